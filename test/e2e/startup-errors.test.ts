// Start-up problems end in one clear line and exit code 1, never a stack trace.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../support/ports.ts";
import { testRedisUrl } from "../support/app.ts";

const dataDir = mkdtempSync(join(tmpdir(), "baocao-startup-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: { PATH: process.env.PATH, DATA_DIR: dataDir, HTTP_HOST: "127.0.0.1", HTTP_PORT: "0", LOG_LEVEL: "silent", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("start-up errors", () => {
  it("says how to get Redis when none answers", async () => {
    const port = await freePort();
    const r = start({ REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Cannot start: Redis is not reachable at redis://127\\.0\\.0\\.1:${port}`));
  });

  it("names the database when PostgreSQL does not answer, without its password", async () => {
    const port = await freePort();
    const r = start({ DATABASE_URL: `postgresql://baocao:hunter2@127.0.0.1:${port}/baocao`, REDIS_URL: testRedisUrl });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Cannot start: Database postgresql:\/\/baocao:\*\*\*@127\.0\.0\.1:\d+\/baocao is not usable: /);
    expect(r.stderr).not.toContain("hunter2");
  });

  it("refuses separate roles on the embedded database", () => {
    const r = start({ ROLES: "worker", REDIS_URL: testRedisUrl });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe("Cannot start: Running roles separately needs DATABASE_URL: the embedded database serves a single process.");
  });
});

describe("the sandbox at start-up", () => {
  it("refuses to start beside a real bot token", () => {
    const r = start({ SANDBOX: "on", TELEGRAM_BOT_TOKEN: "123456:SECRET", REDIS_URL: testRedisUrl });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Configuration error: SANDBOX cannot be on while TELEGRAM_BOT_TOKEN or ZALO_BOT_TOKEN is set/);
    expect(r.stderr).not.toContain("SECRET");
  });
});
