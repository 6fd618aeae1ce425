// What reminders read from the office's configuration: office hours (the
// Setting row "office_hours") and the holiday table, office-wide and per unit.
import type { Prisma, Tx } from "../db/database.ts";
import { fromDbDate } from "../calendar/dates.ts";
import { createHolidayTable, type HolidayEntry, type HolidayTable } from "../calendar/holidays.ts";
import type { OfficeHours } from "../calendar/office-hours.ts";
import { parseOfficeHours, parsePolicy, type PolicyOverrides } from "./policy.ts";

export const OFFICE_HOURS_KEY = "office_hours";
/** The office's reminder policy: overrides of the built-in one, which each template's own overrides refine. */
export const REMINDER_POLICY_KEY = "reminder_policy";

/** The office hours setting, e.g. {"start": "07:30", "end": "17:00"}; the default when missing or invalid. */
export async function loadOfficeHours(db: Prisma | Tx): Promise<OfficeHours> {
  const row = await db.setting.findUnique({ where: { key: OFFICE_HOURS_KEY }, select: { value: true } });
  return parseOfficeHours(row?.value);
}

export interface HolidayTables {
  office: HolidayTable;
  /** The office's days with the unit's own days on top, as loadHolidayTable(db, unitId) gives. */
  forUnit(unitId: number): HolidayTable;
}

/** The whole Holiday table in one query (a few dozen rows a year), split per unit on demand. */
export async function loadHolidayTables(db: Prisma | Tx): Promise<HolidayTables> {
  const rows = await db.holiday.findMany({ select: { date: true, kind: true, name: true, unitId: true }, orderBy: { id: "asc" } });
  const officeEntries: HolidayEntry[] = [];
  const unitEntries = new Map<number, HolidayEntry[]>();
  for (const r of rows) {
    const entry: HolidayEntry = { date: fromDbDate(r.date), kind: r.kind, name: r.name };
    if (r.unitId === null) officeEntries.push(entry);
    else unitEntries.set(r.unitId, [...(unitEntries.get(r.unitId) ?? []), entry]);
  }
  // Years without office rows get the Labour Code's days (createHolidayTable); a unit's own rows never count as a loaded year.
  const office = createHolidayTable(officeEntries);
  const cache = new Map<number, HolidayTable>();
  return {
    office,
    forUnit(unitId) {
      const own = unitEntries.get(unitId);
      if (!own) return office;
      let table = cache.get(unitId);
      if (!table) cache.set(unitId, (table = createHolidayTable(officeEntries, own)));
      return table;
    },
  };
}

/** Units that have days of their own in the holiday table. */
export async function unitsWithOwnHolidays(db: Prisma | Tx): Promise<number[]> {
  const rows = await db.holiday.findMany({ where: { unitId: { not: null } }, select: { unitId: true }, distinct: ["unitId"] });
  return rows.flatMap((r) => (r.unitId === null ? [] : [r.unitId]));
}

/** The office's default reminder policy (overrides only); none, or an invalid one, gives the built-in policy. */
export async function loadPolicyDefaults(db: Prisma | Tx): Promise<PolicyOverrides> {
  const row = await db.setting.findUnique({ where: { key: REMINDER_POLICY_KEY }, select: { value: true } });
  const value = row?.value;
  if (value === null || value === undefined || typeof value !== "object" || Array.isArray(value)) return {};
  return parsePolicy(value).ok ? (value) : {};
}
