// npm start's allocator settings and node flags, read from package.json's
// "start" script, for whatever runs the app as npm start does (the benchmarks)
// or repeats them (the Dockerfile, the README; test/docker checks they agree).
import { readFileSync } from "node:fs";

export interface StartSettings {
  /** The environment the script sets, e.g. MALLOC_ARENA_MAX. */
  env: Record<string, string>;
  /** node's options, before the script it runs. */
  nodeFlags: string[];
}

export function startSettings(): StartSettings {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { scripts: { start: string } };
  const words = pkg.scripts.start.split(/\s+/);
  const node = words.indexOf("node");
  if (node < 0) throw new Error(`package.json's start script does not run node: ${pkg.scripts.start}`);
  const env: Record<string, string> = {};
  for (const w of words.slice(0, node)) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(w);
    if (m) env[m[1]!] = m[2]!;
  }
  const rest = words.slice(node + 1);
  const script = rest.findIndex((w) => !w.startsWith("--"));
  return { env, nodeFlags: script < 0 ? rest : rest.slice(0, script) };
}
