// Shared by the reports tests: the example organisation (xa-tan-phong.yaml)
// in a fresh database, and look-ups by the codes of the file.
import type { Prisma, Tx } from "../../src/db/database.ts";
import { applyImport } from "../../src/org/import.ts";
import { loadImportFile } from "../../src/org/import-file.ts";
import { exampleFile } from "../org/helpers.ts";

export async function importExample(prisma: Prisma, now: Date): Promise<void> {
  const r = loadImportFile(exampleFile);
  if (!r.ok) throw new Error(r.problems.join("\n"));
  await applyImport(prisma, r.data, { now, ttlDays: 14, source: "test" });
}

export function ids(prisma: Prisma) {
  return {
    unit: async (code: string) => (await prisma.unit.findUniqueOrThrow({ where: { code }, select: { id: true } })).id,
    person: async (code: string) => (await prisma.person.findUniqueOrThrow({ where: { code }, select: { id: true } })).id,
    template: async (code: string) => (await prisma.template.findUniqueOrThrow({ where: { code }, select: { id: true } })).id,
    assignment: async (unitCode: string, templateCode: string, periodKey: string) =>
      (
        await prisma.assignment.findFirstOrThrow({
          where: { unit: { code: unitCode }, template: { code: templateCode }, period: { key: periodKey } },
          select: { id: true },
        })
      ).id,
  };
}

/** Runs `fn` in its own transaction, as the conversation engine does per message. */
export function inTx<T>(prisma: Prisma, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return prisma.$transaction(fn);
}

/** A local (Vietnam) date and time as an instant: vn("2026-12-15 17:00"). */
export function vn(text: string): Date {
  return new Date(`${text.replace(" ", "T")}:00+07:00`);
}
