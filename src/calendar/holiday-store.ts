// The office's holiday table in the database (model Holiday). Office-wide
// rows have no unit; a unit may add or override days of its own (a local
// festival, a province's swapped day), which win over the office's. A year
// with office-wide rows is "loaded": its schedule is exactly those rows. Any
// other year follows the Labour Code (statutory.ts) until it is loaded.
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { Prisma, Tx } from "../db/database.ts";
import { dateParts, fromDbDate, toDbDate, toLocalDate, type LocalDate } from "./dates.ts";
import { loadHolidayFile } from "./holiday-file.ts";
import { createHolidayTable, type HolidayEntry, type HolidayTable } from "./holidays.ts";

/**
 * The calendar shipped with the app: only years whose official schedule was
 * published, since a year in the table counts as confirmed. Loaded into a
 * fresh install; ensureShippedHolidays also updates an install that still
 * has an earlier version unchanged.
 */
export const SHIPPED_HOLIDAY_FILE = fileURLToPath(new URL("../../prisma/holidays/vn-2025-2026.yaml", import.meta.url));

/** The audit source of the shipped file loaded at start-up (the CLI records the file's name). */
const SHIPPED_SOURCE = "shipped";

/** Office-wide days, then the unit's own days on top. */
export async function loadHolidayTable(db: Prisma | Tx, unitId?: number): Promise<HolidayTable> {
  const rows = await db.holiday.findMany({
    where: unitId === undefined ? { unitId: null } : { OR: [{ unitId: null }, { unitId }] },
    select: { date: true, kind: true, name: true, unitId: true },
  });
  const entry = (r: (typeof rows)[number]): HolidayEntry => ({ date: fromDbDate(r.date), kind: r.kind, name: r.name });
  return createHolidayTable(rows.filter((r) => r.unitId === null).map(entry), rows.filter((r) => r.unitId !== null).map(entry));
}

/** Which of these years have an office-wide schedule loaded. */
export async function loadedHolidayYears(db: Prisma | Tx, years: readonly number[]): Promise<Set<number>> {
  if (years.length === 0) return new Set();
  const rows = await db.holiday.findMany({ where: { unitId: null, OR: years.map(yearRange) }, select: { date: true } });
  return new Set(rows.map((r) => dateParts(fromDbDate(r.date)).year));
}

/**
 * From this month on, next year's official schedule is asked for: the
 * government publishes it in the autumn, and December's deadlines and
 * reminders already reach into January.
 */
export const NEXT_YEAR_NOTICE_MONTH = 11;

/** The years whose official schedule should be loaded by `now`: this year, and from November the next. */
export function yearsDue(now: Date): number[] {
  const { year, month } = dateParts(toLocalDate(now));
  return month >= NEXT_YEAR_NOTICE_MONTH ? [year, year + 1] : [year];
}

/** Of yearsDue(now), those without an office-wide schedule (they run on the Labour Code's days). */
export async function missingHolidayYears(db: Prisma | Tx, now: Date): Promise<number[]> {
  const due = yearsDue(now);
  const loaded = await loadedHolidayYears(db, due);
  return due.filter((y) => !loaded.has(y));
}

function yearRange(year: number) {
  return { date: { gte: toDbDate(`${year}-01-01` as LocalDate), lte: toDbDate(`${year}-12-31` as LocalDate) } };
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
 * At start-up. An empty Holiday table gets the shipped calendar, so a fresh
 * install has working days right. On a table that has rows, the only years
 * changed are those still exactly as an earlier version of the app shipped
 * them (RETIRED_SHIPPED_FILES) and last loaded by this start-up load: they
 * become what the shipped file says now (2026 gets its corrected National
 * Day, and 2027, shipped as a guess, is taken out until the office loads it).
 * A year the office loaded or edited is never touched. Returns null when
 * nothing changed.
 */
export async function ensureShippedHolidays(
  prisma: Prisma,
  now: Date,
  file = SHIPPED_HOLIDAY_FILE,
  retired: readonly string[] = RETIRED_SHIPPED_FILES,
): Promise<HolidayImportResult | null> {
  const shipped = readShipped(file);
  const earlier = retired.map(readShipped);
  return prisma.$transaction(async (tx) => {
    await lockHolidays(tx);
    if ((await tx.holiday.count()) === 0) return importLocked(tx, shipped, { now, source: SHIPPED_SOURCE });
    const years = await outdatedYears(tx, shipped, earlier);
    if (years.length === 0) return null;
    const plan = await planImport(tx, shipped.filter((e) => years.includes(dateParts(e.date).year)), years);
    return applyPlan(tx, plan, { now, source: SHIPPED_SOURCE });
  });
}

/** Calendars earlier versions shipped, kept to recognise an install that still has one unchanged. */
export const RETIRED_SHIPPED_FILES = [fileURLToPath(new URL("../../prisma/holidays/retired/vn-2025-2027.yaml", import.meta.url))];

function readShipped(file: string): HolidayEntry[] {
  const loaded = loadHolidayFile(file);
  // The shipped files are tested; failing here means a broken build, not user input.
  if (!loaded.ok) throw new Error(`shipped holiday file ${file} is invalid: ${loaded.problems.join("; ")}`);
  return loaded.entries;
}

const importDetails = z.object({ years: z.array(z.number().int()), source: z.string().optional() });

/** Years still as an earlier shipped calendar had them, last loaded at start-up, and shipped differently now. */
async function outdatedYears(tx: Tx, shipped: readonly HolidayEntry[], earlier: readonly (readonly HolidayEntry[])[]): Promise<number[]> {
  const audits = await tx.auditLog.findMany({ where: { action: "holidays.import" }, select: { details: true }, orderBy: { id: "asc" } });
  const lastSource = new Map<number, string | undefined>();
  for (const a of audits) {
    const d = importDetails.safeParse(a.details);
    if (d.success) for (const y of d.data.years) lastSource.set(y, d.data.source);
  }
  const candidates = [...new Set(earlier.flatMap(yearsOf))].filter((y) => lastSource.get(y) === SHIPPED_SOURCE);
  if (candidates.length === 0) return [];
  const rows = await tx.holiday.findMany({ where: { unitId: null, OR: candidates.map(yearRange) }, select: { date: true, kind: true, name: true } });
  const have = rows.map((r): HolidayEntry => ({ date: fromDbDate(r.date), kind: r.kind, name: r.name }));
  const ofYear = (entries: readonly HolidayEntry[], year: number) => fingerprint(entries.filter((e) => dateParts(e.date).year === year));
  return candidates
    .filter((y) => {
      const current = ofYear(have, y);
      return current !== ofYear(shipped, y) && earlier.some((entries) => ofYear(entries, y) === current);
    })
    .sort((a, b) => a - b);
}

/** The days as one comparable string, whatever their order. */
function fingerprint(entries: readonly HolidayEntry[]): string {
  return entries
    .map((e) => `${e.date}|${e.kind}|${e.name}`)
    .sort()
    .join("\n");
}

// Serialises writers of the table: office-wide rows have unitId NULL, which
// the unique index (date, unitId) does not cover, so two concurrent imports
// could otherwise insert the same day twice. Readers are not blocked.
async function lockHolidays(tx: Tx): Promise<void> {
  await tx.$executeRawUnsafe(`LOCK TABLE "Holiday" IN SHARE ROW EXCLUSIVE MODE`);
}

function yearsOf(entries: readonly HolidayEntry[]): number[] {
  return [...new Set(entries.map((e) => dateParts(e.date).year))].sort((a, b) => a - b);
}

async function importLocked(tx: Tx, entries: readonly HolidayEntry[], opts: HolidayImportOptions): Promise<HolidayImportResult> {
  await lockHolidays(tx);
  return applyPlan(tx, await planImport(tx, entries, yearsOf(entries)), opts);
}

interface ImportPlan {
  years: number[];
  create: HolidayEntry[];
  update: { id: number; kind: HolidayEntry["kind"]; name: string }[];
  remove: number[];
}

/** What makes the office-wide rows of `years` match `entries` (which hold only days of those years). */
async function planImport(tx: Tx, entries: readonly HolidayEntry[], years: number[]): Promise<ImportPlan> {
  const want = new Map<LocalDate, HolidayEntry>(entries.map((e) => [e.date, e]));
  const have =
    years.length === 0
      ? []
      : await tx.holiday.findMany({
          where: { unitId: null, OR: years.map(yearRange) },
          select: { id: true, date: true, kind: true, name: true },
          orderBy: { id: "asc" },
        });
  const plan: ImportPlan = { years, create: [], update: [], remove: [] };
  const seen = new Set<LocalDate>();
  for (const row of have) {
    const date = fromDbDate(row.date);
    const e = want.get(date);
    // A duplicate office row (possible before the lock existed) goes too.
    if (!e || seen.has(date)) {
      plan.remove.push(row.id);
      continue;
    }
    seen.add(date);
    if (row.kind !== e.kind || row.name !== e.name) plan.update.push({ id: row.id, kind: e.kind, name: e.name });
  }
  plan.create = [...want.values()].filter((e) => !seen.has(e.date));
  return plan;
}

async function applyPlan(tx: Tx, plan: ImportPlan, opts: HolidayImportOptions): Promise<HolidayImportResult> {
  const result: HolidayImportResult = { years: plan.years, created: 0, updated: 0, removed: 0 };
  for (const u of plan.update) {
    await tx.holiday.update({ where: { id: u.id }, data: { kind: u.kind, name: u.name }, select: { id: true } });
    result.updated++;
  }
  if (plan.remove.length > 0) result.removed = (await tx.holiday.deleteMany({ where: { id: { in: plan.remove } } })).count;
  if (plan.create.length > 0) {
    result.created = (
      await tx.holiday.createMany({ data: plan.create.map((e) => ({ date: toDbDate(e.date), kind: e.kind, name: e.name, unitId: null })) })
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
