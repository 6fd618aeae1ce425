// Start-up problems end in one clear line and exit code 1, never a stack trace.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../support/ports.ts";
import { testRedisUrl } from "../support/app.ts";

const dataDir = mkdtempSync(join(tmpdir(), "baocao-startup-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/**
 * A start on the embedded database can take a minute on a loaded machine
 * (the first one creates it): waited for by its exit, with a bound only
 * against a hang.
 */
const EXIT_BOUND_MS = 240_000;

/** Runs the bot until it exits; resolves with its exit code and output. */
function start(env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: { PATH: process.env.PATH, DATA_DIR: dataDir, HTTP_HOST: "127.0.0.1", HTTP_PORT: "0", LOG_LEVEL: "silent", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    const hang = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the bot did not exit within ${EXIT_BOUND_MS} ms; stderr: ${stderr}`));
    }, EXIT_BOUND_MS);
    // "close": the exit, and the output read to its end.
    child.once("close", (status) => {
      clearTimeout(hang);
      resolve({ status, stdout, stderr });
    });
  });
}

describe("start-up errors", { timeout: EXIT_BOUND_MS + 30_000 }, () => {
  it("says how to get Redis when none answers", async () => {
    const port = await freePort();
    const r = await start({ REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Cannot start: Redis is not reachable at redis://127\\.0\\.0\\.1:${port}`));
  });

  it("names the database when PostgreSQL does not answer, without its password", async () => {
    const port = await freePort();
    const r = await start({ DATABASE_URL: `postgresql://baocao:hunter2@127.0.0.1:${port}/baocao`, REDIS_URL: testRedisUrl });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Cannot start: Database postgresql:\/\/baocao:\*\*\*@127\.0\.0\.1:\d+\/baocao is not usable: /);
    expect(r.stderr).not.toContain("hunter2");
  });

  it("warns about a mistyped setting name and goes on starting", async () => {
    const port = await freePort();
    const r = await start({ REDIS_URL: `redis://127.0.0.1:${port}`, HTTP_POST: "8080", TELEGRAM_TOKEN: "123456:SECRET" });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines.slice(0, 2)).toEqual([
      "Warning: HTTP_POST is not a setting; did you mean HTTP_PORT?",
      "Warning: TELEGRAM_TOKEN is not a setting; did you mean TELEGRAM_BOT_TOKEN?",
    ]);
    // Only a warning: the start went on until the next real problem.
    expect(lines.slice(2)).toHaveLength(1);
    expect(lines[2]).toMatch(/^Cannot start: Redis is not reachable/);
    expect(r.stderr).not.toContain("SECRET");
  });

  it("refuses separate roles on the embedded database", async () => {
    const r = await start({ ROLES: "worker", REDIS_URL: testRedisUrl });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe("Cannot start: Running roles separately needs DATABASE_URL: the embedded database serves a single process.");
  });
});

describe("the sandbox at start-up", { timeout: EXIT_BOUND_MS + 30_000 }, () => {
  it("refuses to start beside a real bot token", async () => {
    const r = await start({ SANDBOX: "on", TELEGRAM_BOT_TOKEN: "123456:SECRET", REDIS_URL: testRedisUrl });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Configuration error: SANDBOX cannot be on while TELEGRAM_BOT_TOKEN or ZALO_BOT_TOKEN is set/);
    expect(r.stderr).not.toContain("SECRET");
  });
});
