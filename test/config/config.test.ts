import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { loadConfig, ConfigError } from "../../src/config.ts";

const errorOf = (env: Record<string, string>, argv: string[] = []) => {
  try {
    loadConfig(env, argv);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("expected a configuration error");
};

describe("configuration", () => {
  it("starts with sensible defaults from an empty environment", () => {
    const c = loadConfig({});
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir).toBe("./data");
    expect(c.http.port).toBe(8080);
    expect([...c.roles]).toEqual(["http", "poller", "processor", "worker", "scheduler"]);
    expect(c.telegram).toBeUndefined();
    expect(c.zalo).toBeUndefined();
    expect(c.sandbox).toBe(true);
  });

  it("keeps the sandbox away from real bots, split roles and the network", () => {
    // Nothing configured: the sandbox, and everything on loopback.
    expect(loadConfig({}).http.host).toBe("127.0.0.1");
    // A real bot: no sandbox, and the server faces the network (webhooks).
    const real = loadConfig({ TELEGRAM_BOT_TOKEN: "123:abc" });
    expect(real.sandbox).toBe(false);
    expect(real.http.host).toBe("0.0.0.0");
    expect(loadConfig({ ROLES: "worker" }).sandbox).toBe(false);
    expect(errorOf({ SANDBOX: "on", TELEGRAM_BOT_TOKEN: "123:abc" })).toContain("SANDBOX cannot be on while TELEGRAM_BOT_TOKEN or ZALO_BOT_TOKEN is set");
    expect(errorOf({ SANDBOX: "on", ZALO_BOT_TOKEN: "z" })).toContain("SANDBOX cannot be on");
    expect(errorOf({ SANDBOX: "on", ROLES: "http" })).toContain("SANDBOX runs every role in one process");
    // An explicit HTTP_HOST is kept; the sandbox then gets a listener of its own (SANDBOX_PORT).
    const open = loadConfig({ HTTP_HOST: "0.0.0.0" });
    expect(open.http.host).toBe("0.0.0.0");
    expect(open.sandboxPort).toBe(8081);
  });

  it("treats empty values, as in a copied .env.example, as unset", () => {
    const c = loadConfig({ DATABASE_URL: "", ROLES: "", HTTP_PORT: " ", TELEGRAM_BOT_TOKEN: "" });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.roles.size).toBe(5);
    expect(c.http.port).toBe(8080);
  });

  it.each([
    [{ HTTP_PORT: "eighty" }, "HTTP_PORT must be a whole number from 0 to 65535"],
    [{ HTTP_PORT: "70000" }, "HTTP_PORT must be a whole number from 0 to 65535"],
    [{ DATABASE_URL: "mysql://x@y/z" }, "DATABASE_URL must be a postgresql:// URL"],
    [{ REDIS_URL: "localhost:6379" }, "REDIS_URL must be a redis:// or rediss:// URL"],
    [{ ROLES: "http,cron" }, "ROLES"],
    [{ TELEGRAM_BOT_TOKEN: "not-a-token" }, "TELEGRAM_BOT_TOKEN must look like 123456:ABC-DEF"],
    [{ TELEGRAM_BOT_TOKEN: "123:abc", TELEGRAM_WEBHOOK_URL: "https://bot.example.vn/webhook/telegram" }, "TELEGRAM_WEBHOOK_SECRET is required"],
    [{ ZALO_BOT_TOKEN: "z", ZALO_WEBHOOK_URL: "https://bot.example.vn/webhook/zalo", ZALO_WEBHOOK_SECRET: "short" }, "ZALO_WEBHOOK_SECRET must be 8 to 256 characters"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ INVITE_TTL_DAYS: "0" }, "INVITE_TTL_DAYS must be a whole number from 1 to 365"],
    [{ FILE_STORAGE: "ftp" }, "FILE_STORAGE must be local or s3"],
    [{ FILE_STORAGE: "s3", S3_ENDPOINT: "http://minio:9000", S3_ACCESS_KEY_ID: "k", S3_SECRET_ACCESS_KEY: "s" }, "S3_BUCKET is required when FILE_STORAGE=s3"],
    [{ MAX_FILE_MB: "100" }, "MAX_FILE_MB must be a whole number from 1 to 50"],
    [{ S3_FORCE_PATH_STYLE: "maybe" }, "S3_FORCE_PATH_STYLE must be true or false"],
  ])("refuses %o with one clear line", (env, expected) => {
    const message = errorOf(env);
    expect(message).toContain(expected);
    expect(message).not.toContain("\n");
    expect(message).toContain(".env.example");
  });

  it("never echoes a secret value back", () => {
    const message = errorOf({ TELEGRAM_BOT_TOKEN: "12345:SECRET-TOKEN", TELEGRAM_WEBHOOK_URL: "https://x.vn/w", TELEGRAM_WEBHOOK_SECRET: "bad secret!" });
    expect(message).toContain("TELEGRAM_WEBHOOK_SECRET");
    expect(message).not.toContain("bad secret!");
    expect(message).not.toContain("SECRET-TOKEN");
  });

  it("reads the file storage settings and never echoes S3 credentials", () => {
    expect(loadConfig({}).files).toEqual({ maxBytes: 20 * 1024 * 1024, store: { kind: "local" } });
    const c = loadConfig({
      FILE_STORAGE: "s3",
      S3_ENDPOINT: "http://minio:9000",
      S3_BUCKET: "baocao-files",
      S3_ACCESS_KEY_ID: "AKIAEXAMPLE",
      S3_SECRET_ACCESS_KEY: "s3cr3t/key",
      MAX_FILE_MB: "10",
    });
    expect(c.files).toEqual({
      maxBytes: 10 * 1024 * 1024,
      store: { kind: "s3", endpoint: "http://minio:9000", region: "us-east-1", bucket: "baocao-files", accessKeyId: "AKIAEXAMPLE", secretAccessKey: "s3cr3t/key", forcePathStyle: true },
    });
    const message = errorOf({ S3_ENDPOINT: "https://user:p4ss@s3.example.vn" });
    expect(message).toContain("S3_ENDPOINT must not hold a user or password");
    expect(message).not.toContain("p4ss");
  });

  it("takes --role from the command line over ROLES", () => {
    const c = loadConfig({ ROLES: "http", DATABASE_URL: "postgresql://a@b/c" }, ["--role=worker,scheduler"]);
    expect([...c.roles]).toEqual(["worker", "scheduler"]);
    expect(c.databaseUrl).toBe("postgresql://a@b/c");
  });

  it("stops `npm start` with one line and no stack trace", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
      env: { PATH: process.env.PATH, HTTP_PORT: "eighty" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('Configuration error: HTTP_PORT must be a whole number from 0 to 65535 (got "eighty"). See .env.example.');
    expect(r.stdout).toBe("");
  });
});
