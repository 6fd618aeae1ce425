// The example commune (examples/xa-tan-phong.yaml) as the console's tests
// use it: imported with its periods open, and as text to change for uploads.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import type { Prisma } from "../../src/db/database.ts";
import { loadImportFile } from "../../src/org/import-file.ts";
import { applyImport } from "../../src/org/import.ts";
import { openPeriod } from "../../src/reports/periods.ts";

export const EXAMPLES = join(import.meta.dirname, "../../examples");
export const EXAMPLE_FILE = join(EXAMPLES, "xa-tan-phong.yaml");
export const EXAMPLE = readFileSync(EXAMPLE_FILE, "utf8");
export const NEW_UNIT = "Chi bộ thôn Tân Mới";

/** The example with one more chi bộ and its secretary. */
export const WITH_NEW_UNIT = replaceOnce(
  replaceOnce(EXAMPLE, "      - { code: CB-QUAN-SU, name: Chi bộ Quân sự xã, kind: PARTY_ORG }\n", `      - { code: CB-QUAN-SU, name: Chi bộ Quân sự xã, kind: PARTY_ORG }\n      - { code: CB-THON-TAN-MOI, name: ${NEW_UNIT}, kind: PARTY_ORG }\n`),
  "  # Ủy ban Kiểm tra Đảng ủy\n",
  '  - code: nguyenvanmoi\n    name: Nguyễn Văn Mới\n    phone: "0912345699"\n    roles:\n      - { unit: CB-THON-TAN-MOI, role: HEAD }\n\n  # Ủy ban Kiểm tra Đảng ủy\n',
);

export function replaceOnce(text: string, from: string, to: string): string {
  expect(text.split(from)).toHaveLength(2);
  return text.replace(from, to);
}

/** 1-based line of the first line holding `needle`. */
export function lineOf(text: string, needle: string): number {
  const i = text.split("\n").findIndex((l) => l.includes(needle));
  expect(i, needle).toBeGreaterThanOrEqual(0);
  return i + 1;
}

export type ExamplePeriod = "quarterly" | "monthly";

/** Imports the example and opens Q4/2026 (quarterly) and December 2026 (monthly) as asked; the invitation code of each person. */
export async function importExample(prisma: Prisma, now: Date, periods: readonly ExamplePeriod[] = []): Promise<Map<string, string>> {
  const file = loadImportFile(EXAMPLE_FILE);
  if (!file.ok) throw new Error(file.problems.join("\n"));
  const imported = await applyImport(prisma, file.data, { now, ttlDays: 14 });
  const open = { quarterly: ["CCHC-QUY", "QUARTERLY", 4], monthly: ["TINH-HINH-THANG", "MONTHLY", 12] } as const;
  for (const p of periods) {
    const [code, type, number] = open[p];
    const template = await prisma.template.findUniqueOrThrow({ where: { code }, select: { id: true } });
    await openPeriod(prisma, { templateId: template.id, type, year: 2026, number }, { now });
  }
  return new Map(imported.invitations.map((i) => [i.personCode, i.code]));
}
