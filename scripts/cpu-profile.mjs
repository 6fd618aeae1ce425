// Summarises a V8 CPU profile (node --cpu-prof): self time by package or
// source folder, then the busiest functions. Usage:
//   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx test/bench/conversation.bench.ts
//   node scripts/cpu-profile.mjs /tmp/prof/<the largest>.cpuprofile
import { readFileSync } from "node:fs";
import console from "node:console";
import process from "node:process";

const file = process.argv[2];
if (!file) {
  process.stderr.write("usage: node scripts/cpu-profile.mjs <file.cpuprofile> [rows]\n");
  process.exit(1);
}
const rows = Number(process.argv[3] ?? 25);
const profile = JSON.parse(readFileSync(file, "utf8"));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

function where(url, fn) {
  if (!url) return fn || "(native)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const parts = url.slice(nm + 13).split("/");
    return parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (url.startsWith("node:")) return `node:${url.slice(5).split("/")[0]}`;
  const src = url.search(/\/(src|jobs|test)\//);
  return src >= 0 ? url.slice(src + 1).split("/").slice(0, 2).join("/") : url;
}

const byPlace = new Map();
const byFunction = new Map();
let total = 0;
for (const [id, us] of self) {
  const { callFrame: f } = nodes.get(id);
  total += us;
  const place = where(f.url, f.functionName);
  byPlace.set(place, (byPlace.get(place) ?? 0) + us);
  const fn = `${f.functionName || "(anonymous)"}  ${f.url.split("/").slice(-2).join("/")}:${f.lineNumber + 1}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
}
const show = (m) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, rows)
    .forEach(([name, us]) => console.log(`${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${name}`));
console.log(`total ${(total / 1000).toFixed(0)} ms (idle included)`);
show(byPlace);
console.log("--- functions");
show(byFunction);
