// The build's patch of Prisma's runtime (scripts/build.mjs, patchPrismaRuntime):
// it applies to the installed Prisma, the tests run the patched copy as
// `npm start` does (vitest.config.ts), and queries still reach the query plan
// cache, which is what the patched graph serves: a query that differs from an
// earlier one only in its values is parameterized to the same plan.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Debug } from "@prisma/client/runtime/client";
import { patchedPrismaRuntime, patchPrismaRuntime } from "../../scripts/build.mjs";
import { createTestDb, type TestDb } from "../support/db.ts";

const require = createRequire(import.meta.url);

let pg: TestDb;
beforeAll(async () => {
  pg = await createTestDb();
});
afterAll(async () => {
  await pg.cleanup();
});

describe("Prisma's runtime as the build patches it", () => {
  it("applies to the installed Prisma (after an upgrade, update the edits in scripts/build.mjs)", () => {
    const runtime = patchedPrismaRuntime();
    expect(runtime, "the patch no longer applies").toBeDefined();
    const source = runtime!.bytes.toString("utf8");
    expect(source.match(/\.edges\.get\(/g)).toHaveLength(2);
    expect(source).not.toMatch(/\.edges\[/);
  });

  it("refuses a runtime it was not written for", () => {
    expect(patchPrismaRuntime("let o=n.edges[i];")).toBeUndefined();
    const source = readFileSync(patchedPrismaRuntime()!.file, "utf8");
    expect(patchPrismaRuntime(`${source}\nx.edges;`)).toBeUndefined();
    expect(patchPrismaRuntime(source.replace("o[a]=S", "o[a] = S"))).toBeUndefined();
  });

  it("is the runtime the tests load, and the stock one is not loaded", async () => {
    await pg.db.prisma.unit.count();
    const loaded = Object.keys(require.cache);
    expect(loaded.filter((f) => /prisma-client-runtime-[0-9a-f]{12}\.cjs$/.test(f))).toHaveLength(1);
    expect(loaded).not.toContain(patchedPrismaRuntime()!.file);
  });

  it("parameterizes a query, so a repeat with other values reuses its plan", async () => {
    const lines: string[] = [];
    const warn = vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => lines.push(args.join(" ")));
    // Prisma's debug log writes to console.warn while its namespace is on.
    const before: unknown = Debug.disable();
    Debug.enable("prisma:client:clientEngine");
    try {
      // Values at several depths: a filter, a relation filter, a relation's own arguments.
      const find = (code: string) =>
        pg.db.prisma.unit.findFirst({
          where: { code, parent: { is: { code: `${code}-parent` } } },
          select: { id: true, children: { where: { name: { startsWith: code } }, select: { id: true }, take: 2 } },
        });
      await find("plan-a");
      const first = lines.splice(0);
      await find("plan-b");
      expect(first.some((l) => l.includes("query plan cache miss"))).toBe(true);
      expect(lines.filter((l) => l.includes("query plan cache")).map((l) => /query plan cache \w+/.exec(l)![0])).toEqual(["query plan cache hit"]);
    } finally {
      Debug.enable(typeof before === "string" ? before : "");
      warn.mockRestore();
    }
  });
});
