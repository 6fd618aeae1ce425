// "Load the example organisation" on an empty sandbox: the commune of the
// README, imported as `npm run org:import` would, its current periods
// opened, everyone linked to a sandbox chat.
import { fileURLToPath } from "node:url";
import type { Prisma } from "../db/database.ts";
import { loadImportFile } from "../org/import-file.ts";
import { applyImport } from "../org/import.ts";
import { openDuePeriods } from "../reminders/open-periods.ts";
import { linkEveryone } from "./people.ts";

export const EXAMPLE_FILE = fileURLToPath(new URL("../../examples/xa-tan-phong.yaml", import.meta.url));

export type ExampleResult = { ok: true; people: number; units: number; periods: number } | { ok: false; reason: "not_empty" };

export async function isEmpty(prisma: Prisma): Promise<boolean> {
  return (await prisma.unit.count()) === 0;
}

export async function loadExample(prisma: Prisma, now: Date, ttlDays: number): Promise<ExampleResult> {
  // Never mixed into an organisation that is already there.
  if (!(await isEmpty(prisma))) return { ok: false, reason: "not_empty" };
  const file = loadImportFile(EXAMPLE_FILE);
  if (!file.ok) throw new Error(`the example organisation does not load: ${file.problems.join("; ")}`);
  const imported = await applyImport(prisma, file.data, { now, ttlDays, source: "sandbox" });
  const people = await linkEveryone(prisma, now);
  const periods = await openDuePeriods(prisma, now);
  return { ok: true, people, units: imported.counts.units.created, periods: periods.opened.length };
}
