// No Docker engine runs in the tests, so the image and compose files are
// checked as text: what an operator copies from .env.example is all compose
// reads, and the image runs as an unprivileged user that can write its data.
import { readFileSync } from "node:fs";
import { posix } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { startSettings } from "../support/start-script.ts";

const read = (name: string) => readFileSync(new URL(`../../${name}`, import.meta.url), "utf8");

/** Names compose interpolates in a string: ${VAR}, ${VAR:-x}, ${VAR:?x}, $VAR; $$ is a literal $. */
function interpolated(value: string): string[] {
  const text = value.replaceAll("$$", "");
  return [...text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
}

function strings(node: unknown): string[] {
  if (typeof node === "string") return [node];
  if (Array.isArray(node)) return node.flatMap(strings);
  if (node && typeof node === "object") return Object.entries(node).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}

interface Instruction {
  op: string;
  args: string;
}

/** The final stage's instructions, continuation lines joined, comments dropped. */
function finalStage(dockerfile: string): Instruction[] {
  const lines = dockerfile
    .replace(/\\\r?\n/g, " ")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
  const all = lines.map((l) => {
    const [op = "", ...rest] = l.split(/\s+/);
    return { op: op.toUpperCase(), args: rest.join(" ") };
  });
  return all.slice(all.map((i) => i.op).lastIndexOf("FROM"));
}

/** Exec-form (JSON) arguments, or the shell form as one string. */
function execForm(args: string): string[] {
  return args.startsWith("[") ? (JSON.parse(args) as string[]) : [args];
}

const compose = parse(read("docker-compose.yml")) as {
  services: Record<string, { build?: unknown; volumes?: string[] }>;
  volumes?: Record<string, unknown>;
};
const stage = finalStage(read("Dockerfile"));
const last = (op: string) => stage.filter((i) => i.op === op).at(-1);

/** Where the app keeps its data in the image: DATA_DIR, else ./data under WORKDIR. */
function dataDir(): string {
  const env = stage.filter((i) => i.op === "ENV").map((i) => /(?:^|\s)DATA_DIR=(\S+)/.exec(i.args)?.[1]).filter((v) => v !== undefined).at(-1);
  return posix.resolve(last("WORKDIR")?.args ?? "/", env ?? "./data");
}

describe("docker-compose.yml and .env.example", () => {
  it("names in .env.example every variable compose reads", () => {
    const documented = new Set([...read(".env.example").matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]!));
    const used = [...new Set(strings(compose).flatMap(interpolated))];
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((name) => !documented.has(name))).toEqual([]);
  });

  it("keeps the bot's data in a named volume at the image's data folder", () => {
    const bot = Object.values(compose.services).find((s) => s.build !== undefined);
    const mounts = (bot?.volumes ?? []).map((v) => v.split(":"));
    const named = mounts.find(([source, target]) => target === dataDir() && source !== undefined && !source.includes("/") && !source.startsWith("."));
    expect(named, `a named volume mounted at ${dataDir()}`).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(named?.[0]);
  });
});

describe("Dockerfile", () => {
  it("runs the app as a user other than root", () => {
    const user = last("USER")?.args.split(":")[0];
    expect(user).toBeDefined();
    expect(["root", "0"]).not.toContain(user);
    expect(stage.findIndex((i) => i.op === "USER")).toBeLessThan(stage.findIndex((i) => i.op === "CMD"));
  });

  it("declares the data folder a volume, writable by that user", () => {
    const dir = dataDir();
    const volumes = stage.filter((i) => i.op === "VOLUME").flatMap((i) => execForm(i.args).flatMap((a) => a.split(/\s+/)));
    expect(volumes).toContain(dir);
    const user = last("USER")?.args.split(":")[0] ?? "root";
    const chown = stage.findIndex((i) => i.op === "RUN" && new RegExp(`chown (-R )?${user}(:\\S+)? ${dir}(\\s|$)`).test(i.args));
    // Ownership set after VOLUME would not reach a new volume's contents.
    expect(chown).toBeGreaterThanOrEqual(0);
    expect(chown).toBeLessThan(stage.findIndex((i) => i.op === "VOLUME"));
  });

  it("lets the npm scripts an operator runs in the container write nothing into the root-owned code", () => {
    const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;
    for (const name of ["start", "org:import", "db:migrate", "calendar:holidays"]) {
      expect(scripts[name], name).toBeDefined();
      expect(scripts[name], name).not.toMatch(/db:generate|prisma generate/);
    }
  });

  it("runs node with npm start's node flags and allocator settings", () => {
    const { env, nodeFlags } = startSettings();
    const cmd = execForm(last("CMD")?.args ?? "");
    expect(cmd.slice(1, cmd.indexOf("dist/app/main.js"))).toEqual(nodeFlags);
    const set = stage.filter((i) => i.op === "ENV").flatMap((i) => i.args.split(/\s+/));
    for (const [name, value] of Object.entries(env)) expect(set, name).toContain(`${name}=${value}`);
  });

  it("starts node directly, so a stop signal reaches the app", () => {
    const cmd = execForm(last("CMD")?.args ?? "");
    expect(last("ENTRYPOINT")).toBeUndefined();
    expect(cmd.slice(0, 1)).toEqual(["node"]);
    expect(cmd).toContain("dist/app/main.js");
  });
});

describe("README", () => {
  it("gives npm start's node flags and allocator settings where it lists them", () => {
    const { env, nodeFlags } = startSettings();
    const readme = read("README.md");
    expect(readme).toContain(`\`${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(" ")}\``);
    expect(readme).toContain(`\`${nodeFlags.join(" ")}\``);
    // The scale-out section's compose command for a role.
    expect(readme).toContain(`command: [${["node", ...nodeFlags, "dist/app/main.js"].map((w) => JSON.stringify(w)).join(", ")}, "--role=processor"]`);
  });
});
