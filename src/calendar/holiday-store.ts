// The office's holiday table in the database (model Holiday). Office-wide
// rows have no unit; a unit may add or override days of its own (a local
// festival, a province's swapped day), which win over the office's.
import { fileURLToPath } from "node:url";
import type { Prisma, Tx } from "../db/database.ts";
import { dateParts, fromDbDate, toDbDate, type LocalDate } from "./dates.ts";
import { loadHolidayFile } from "./holiday-file.ts";
import { createHolidayTable, type HolidayEntry, type HolidayTable } from "./holidays.ts";

/** The calendar shipped with the app, loaded into a fresh install. */
export const SHIPPED_HOLIDAY_FILE = fileURLToPath(new URL("../../prisma/holidays/vn-2025-2027.yaml", import.meta.url));

/** Office-wide days, then the unit's own days on top (later entries win in createHolidayTable). */
export async function loadHolidayTable(db: Prisma | Tx, unitId?: number): Promise<HolidayTable> {
  const rows = await db.holiday.findMany({
    where: unitId === undefined ? { unitId: null } : { OR: [{ unitId: null }, { unitId }] },
    select: { date: true, kind: true, name: true, unitId: true },
  });
  // Sort so that unit rows come after office rows whatever order the database returns.
  rows.sort((a, b) => Number(a.unitId !== null) - Number(b.unitId !== null));
  return createHolidayTable(rows.map((r) => ({ date: fromDbDate(r.date), kind: r.kind, name: r.name })));
}

export interface HolidayImportOptions {
  now: Date;
  actorId?: number;
  /** Recorded in the audit log, e.g. the file name. */
  source?: string;
}

export interface HolidayImportResult {
  /** Years the file covers; only office-wide rows of these years were touched. */
  years: number[];
  created: number;
  updated: number;
  removed: number;
}

/**
 * Makes the office-wide rows of the years present in `entries` match them:
 * new days are added, changed ones updated, and days of those years missing
 * from the entries are removed. Other years and units' own rows are left
 * alone, so a file with only next year's calendar adds that year. A second
 * run with the same entries changes nothing (one audit row per run).
 */
export async function importHolidays(prisma: Prisma, entries: readonly HolidayEntry[], opts: HolidayImportOptions): Promise<HolidayImportResult> {
  return prisma.$transaction((tx) => importLocked(tx, entries, opts));
}

/**
 * Loads the shipped calendar into an EMPTY Holiday table (any rows at all,
 * office or unit, count as "the office has a calendar"), so a fresh install
 * has working days right and an office's edits are never overwritten.
 * Returns null when the table already had rows.
 */
export async function ensureShippedHolidays(prisma: Prisma, now: Date, file = SHIPPED_HOLIDAY_FILE): Promise<HolidayImportResult | null> {
  const loaded = loadHolidayFile(file);
  // The shipped file is tested; failing here means a broken build, not user input.
  if (!loaded.ok) throw new Error(`shipped holiday file ${file} is invalid: ${loaded.problems.join("; ")}`);
  return prisma.$transaction(async (tx) => {
    await lockHolidays(tx);
    if ((await tx.holiday.count()) > 0) return null;
    return importLocked(tx, loaded.entries, { now, source: "shipped" });
  });
}

// Serialises writers of the table: office-wide rows have unitId NULL, which
// the unique index (date, unitId) does not cover, so two concurrent imports
// could otherwise insert the same day twice. Readers are not blocked.
async function lockHolidays(tx: Tx): Promise<void> {
  await tx.$executeRawUnsafe(`LOCK TABLE "Holiday" IN SHARE ROW EXCLUSIVE MODE`);
}

async function importLocked(tx: Tx, entries: readonly HolidayEntry[], opts: HolidayImportOptions): Promise<HolidayImportResult> {
  await lockHolidays(tx);
  const years = [...new Set(entries.map((e) => dateParts(e.date).year))].sort((a, b) => a - b);
  const want = new Map<LocalDate, HolidayEntry>(entries.map((e) => [e.date, e]));
  const have = await tx.holiday.findMany({
    where: { unitId: null, OR: years.map((y) => ({ date: { gte: toDbDate(`${y}-01-01` as LocalDate), lte: toDbDate(`${y}-12-31` as LocalDate) } })) },
    select: { id: true, date: true, kind: true, name: true },
    orderBy: { id: "asc" },
  });

  const result: HolidayImportResult = { years, created: 0, updated: 0, removed: 0 };
  const seen = new Set<LocalDate>();
  const stale: number[] = [];
  for (const row of have) {
    const date = fromDbDate(row.date);
    const e = want.get(date);
    // A duplicate office row (possible before the lock existed) goes too.
    if (!e || seen.has(date)) {
      stale.push(row.id);
      continue;
    }
    seen.add(date);
    if (row.kind !== e.kind || row.name !== e.name) {
      await tx.holiday.update({ where: { id: row.id }, data: { kind: e.kind, name: e.name }, select: { id: true } });
      result.updated++;
    }
  }
  if (stale.length > 0) result.removed = (await tx.holiday.deleteMany({ where: { id: { in: stale } } })).count;
  const missing = [...want.values()].filter((e) => !seen.has(e.date));
  if (missing.length > 0) {
    result.created = (
      await tx.holiday.createMany({ data: missing.map((e) => ({ date: toDbDate(e.date), kind: e.kind, name: e.name, unitId: null })) })
    ).count;
  }

  await tx.auditLog.create({
    data: {
      at: opts.now,
      actorId: opts.actorId ?? null,
      action: "holidays.import",
      entityType: "Holiday",
      details: { ...result, ...(opts.source === undefined ? {} : { source: opts.source }) },
    },
    select: { id: true },
  });
  return result;
}
