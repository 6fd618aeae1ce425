// Shared by the org tests: temporary import files built from the example,
// and a snapshot of everything the import writes.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";
import { parse, stringify } from "yaml";
import type { Prisma } from "../../src/db/database.ts";

export const examplesDir = fileURLToPath(new URL("../../examples", import.meta.url));
export const exampleFile = join(examplesDir, "xa-tan-phong.yaml");

/** The example file as plain data, to modify in a test. */
export function exampleData(): ExampleFile {
  return parse(readFileSync(exampleFile, "utf8")) as ExampleFile;
}

export interface ExampleUnit {
  code: string;
  name: string;
  kind: string;
  parent?: string;
  children?: ExampleUnit[];
}

export interface ExampleFile {
  units: ExampleUnit[];
  people: { code: string; name: string; roles: { unit: string; role: string }[] }[];
  templates: { code: string; form?: { questions: Record<string, unknown>[] }; form_file?: string }[];
}

// Each test file evaluates this module afresh, so this removes that file's folders.
const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A folder with the example's form files, to write variants into; removed after the test file. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "baocao-org-"));
  tempDirs.push(dir);
  cpSync(join(examplesDir, "forms"), join(dir, "forms"), { recursive: true });
  return dir;
}

export function writeYaml(dir: string, name: string, data: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof data === "string" ? data : stringify(data));
  return file;
}

export function findUnit(units: ExampleUnit[], code: string): ExampleUnit | undefined {
  for (const u of units) {
    if (u.code === code) return u;
    const inner = findUnit(u.children ?? [], code);
    if (inner) return inner;
  }
  return undefined;
}

/** Everything the import writes, in a stable order. */
export async function snapshot(prisma: Prisma) {
  return {
    units: await prisma.unit.findMany({ orderBy: { id: "asc" } }),
    closure: await prisma.unitClosure.findMany({ orderBy: [{ ancestorId: "asc" }, { descendantId: "asc" }] }),
    people: await prisma.person.findMany({ orderBy: { id: "asc" } }),
    memberships: await prisma.membership.findMany({ orderBy: { id: "asc" } }),
    templates: await prisma.template.findMany({ orderBy: { id: "asc" } }),
    versions: await prisma.templateVersion.findMany({ orderBy: { id: "asc" } }),
    targets: await prisma.templateTarget.findMany({ orderBy: [{ templateId: "asc" }, { unitId: "asc" }] }),
    invitations: await prisma.invitation.findMany({ orderBy: { id: "asc" } }),
    audit: await prisma.auditLog.count(),
  };
}
