// `npm run bench`: runs every benchmark in its own process, one after the
// other (the machines are small and shared). `npm run bench -- ingest` runs one.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const dir = import.meta.dirname;
const only = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .map((f) => f.replace(/\.bench\.ts$/, ""))
  .filter((name) => only.length === 0 || only.includes(name));

let failed = 0;
for (const name of benches) {
  process.stdout.write(`\n== ${name}\n`);
  const r = spawnSync(process.execPath, ["--import", "tsx", join(dir, `${name}.bench.ts`)], { stdio: "inherit" });
  if (r.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
