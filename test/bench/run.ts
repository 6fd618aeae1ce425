// `npm run bench`: runs every benchmark in its own process, one after the
// other (the machines are small and shared). `npm run bench -- ingest` runs one.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { startSettings } from "../support/start-script.ts";

const dir = import.meta.dirname;
const only = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .map((f) => f.replace(/\.bench\.ts$/, ""))
  .filter((name) => only.length === 0 || only.includes(name));

// Each runs as `npm start` runs the bot (package.json): the same node flags
// and allocator settings, so the figures are those of production.
const start = startSettings();
const NODE_FLAGS = start.nodeFlags;
const env = { ...process.env, ...start.env };

process.stdout.write(`node flags ${NODE_FLAGS.join(" ")}; ${Object.entries(start.env).map(([k, v]) => `${k}=${v}`).join(" ")} (package.json, start)\n`);
let failed = 0;
for (const name of benches) {
  process.stdout.write(`\n== ${name}\n`);
  const r = spawnSync(process.execPath, [...NODE_FLAGS, "--import", "tsx", join(dir, `${name}.bench.ts`)], { stdio: "inherit", env });
  if (r.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
