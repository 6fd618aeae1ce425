import { readFileSync } from "node:fs";
import { parseHolidayYaml } from "../../src/calendar/holiday-file.ts";
import { createHolidayTable, type HolidayEntry, type HolidayTable } from "../../src/calendar/holidays.ts";

export const SHIPPED_HOLIDAYS = new URL("../../prisma/holidays/vn-2025-2026.yaml", import.meta.url);

export function shippedEntries(): HolidayEntry[] {
  const r = parseHolidayYaml(readFileSync(SHIPPED_HOLIDAYS, "utf8"), "vn-2025-2026.yaml");
  if (!r.ok) throw new Error(r.problems.join("\n"));
  return r.entries;
}

export function shippedTable(): HolidayTable {
  return createHolidayTable(shippedEntries());
}
