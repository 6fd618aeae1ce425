import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { defineConfig } from "vitest/config";
import { patchedPrismaRuntime } from "./scripts/build.mjs";

/**
 * The tests run the Prisma runtime `npm start` runs: the bundle's patched
 * copy (scripts/build.mjs, patchPrismaRuntime), written where node loads it as
 * a dependency, so every query of the suite goes through the patched code.
 */
function prismaRuntimeAsBuilt(): string | undefined {
  const runtime = patchedPrismaRuntime();
  if (runtime === undefined) return undefined;
  const dir = join(import.meta.dirname, "node_modules", ".cache", "baocao");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, runtime.name);
  // Whole or not at all: another run may be loading it.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, runtime.bytes);
  renameSync(tmp, file);
  return file;
}

const runtime = prismaRuntimeAsBuilt();

export default defineConfig({
  resolve: {
    alias: runtime === undefined ? [] : [{ find: /^@prisma\/client\/runtime\/client$/, replacement: runtime }],
  },
  test: {
    include: ["test/**/*.test.ts"],
    // Integration tests share one PostgreSQL server and one Redis; each test
    // file gets its own database and queue prefix (see test/support).
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ["test/support/global-setup.ts"],
  },
});
