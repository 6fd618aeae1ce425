// One owner of an embedded database folder: a second opener, in this process
// or another, stops with one line naming the holder; a dead holder's lock is
// taken over.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { DataDirBusyError, lockDataDir } from "../../src/db/data-lock.ts";
import { openPglite } from "../../src/db/database.ts";
import { run as importRun } from "../../src/org/import-cli.ts";
import { run as holidaysRun } from "../../src/calendar/holidays-cli.ts";
import { exampleFile } from "../org/helpers.ts";

const root = mkdtempSync(join(tmpdir(), "baocao-lock-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const folder = () => join(root, `db${n++}`);

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, o: (s: string) => out.push(s), e: (s: string) => err.push(s) };
}

describe("the embedded database folder", () => {
  it("refuses a second opener while the first holds it, and frees it on close", async () => {
    const dir = folder();
    const first = await openPglite(dir);
    try {
      const second = openPglite(dir, { owner: "npm run org:import" });
      await expect(second).rejects.toBeInstanceOf(DataDirBusyError);
      await expect(second).rejects.toThrow(`đang được bot (pid ${process.pid}) sử dụng`);
      await expect(second).rejects.toThrow("stop it first");
    } finally {
      await first.close();
    }
    expect(existsSync(`${dir}.lock`)).toBe(false);
    const again = await openPglite(dir);
    await again.close();
  }, 60_000);

  it("makes org:import and calendar:holidays stop with one line while the bot runs, writing nothing", async () => {
    const dir = folder();
    const bot = lockDataDir(join(dir, "pglite"), "bot");
    try {
      const imp = capture();
      expect(await importRun([exampleFile], { DATA_DIR: dir }, imp.o, imp.e)).toBe(1);
      expect(imp.err).toEqual([expect.stringMatching(/^Cơ sở dữ liệu nhúng .*pglite đang được bot \(pid \d+\) sử dụng: hãy dừng nó trước.* \/ The embedded database .* is in use by the running bot/)]);
      expect(imp.out).toEqual([]);
      const hol = capture();
      expect(await holidaysRun([], { DATA_DIR: dir }, hol.o, hol.e)).toBe(1);
      expect(hol.err).toEqual(imp.err);
    } finally {
      bot.release();
    }
    // Nothing was created behind the bot's back.
    expect(existsSync(join(dir, "pglite", "PG_VERSION"))).toBe(false);
  });

  it("is refused to another process while one holds it", async () => {
    const dir = folder();
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "-e", `const { lockDataDir } = await import(${JSON.stringify(new URL("../../src/db/data-lock.ts", import.meta.url).href)}); lockDataDir(${JSON.stringify(dir)}, "bot"); console.log("locked"); process.stdin.resume(); process.stdin.on("end", () => process.exit(0));`],
      { stdio: ["pipe", "pipe", "inherit"] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        createInterface({ input: child.stdout }).on("line", (l) => l === "locked" && resolve());
        child.once("exit", (code) => reject(new Error(`lock holder exited with ${code}`)));
      });
      expect(() => lockDataDir(dir, "npm run db:migrate")).toThrow(`pid ${child.pid}`);
    } finally {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.stdin.end();
      await exited;
    }
    // Its exit released the lock.
    lockDataDir(dir, "bot").release();
  });

  it("takes over the lock of a holder that died (kill -9, a reboot) or left a torn file", () => {
    const dir = folder();
    // A pid that no longer runs: a child that has already exited.
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    writeFileSync(`${dir}.lock`, JSON.stringify({ pid: dead, host: hostname(), what: "bot" }));
    const a = lockDataDir(dir, "bot");
    expect(JSON.parse(readFileSync(`${dir}.lock`, "utf8"))).toMatchObject({ pid: process.pid, what: "bot" });
    a.release();

    writeFileSync(`${dir}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), boot: "another-boot", what: "bot" }));
    lockDataDir(dir, "bot").release();

    writeFileSync(`${dir}.lock`, "");
    lockDataDir(dir, "bot").release();
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });

  it("names the lock file to delete when another machine holds it (a shared folder, a recreated container)", () => {
    const dir = folder();
    writeFileSync(`${dir}.lock`, JSON.stringify({ pid: 4242, host: "container-old", what: "bot" }));
    expect(() => lockDataDir(dir, "bot")).toThrow(`đang được máy container-old (pid 4242) sử dụng; nếu tiến trình đó không còn chạy (ví dụ container đã được tạo lại), hãy xóa ${dir}.lock`);
    // Never taken over: it may well be alive over there.
    expect(JSON.parse(readFileSync(`${dir}.lock`, "utf8"))).toMatchObject({ host: "container-old" });
  });
});
