import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { loadConfig, configWarnings, ConfigError, SETTING_NAMES } from "../../src/config.ts";

// The one style of every refusal: the variable, what it must be, the bad value
// unless it is secret, and where to look.
const ONE_STYLE = /^Configuration error: [A-Z][A-Z0-9_]* (must|may|is|cannot|runs) [^\n]+\. See \.env\.example\.$/;

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

  it("reports every bad variable at once, one line each, in one style", () => {
    const lines = errorOf({
      HTTP_PORT: "eighty",
      LOG_LEVEL: "loud",
      ROLES: "http,cron",
      MAX_FILE_MB: "100",
      TELEGRAM_BOT_TOKEN: "123:abc",
      TELEGRAM_WEBHOOK_URL: "https://bot.example.vn/webhook/telegram",
    }).split("\n");
    expect(lines).toEqual([
      'Configuration error: HTTP_PORT must be a whole number from 0 to 65535 (got "eighty"). See .env.example.',
      'Configuration error: ROLES must list roles from http, poller, processor, worker, scheduler, separated by commas (got "http,cron"). See .env.example.',
      'Configuration error: LOG_LEVEL must be fatal, error, warn, info, debug, trace or silent (got "loud"). See .env.example.',
      'Configuration error: MAX_FILE_MB must be a whole number from 1 to 50 (got "100"). See .env.example.',
      // A rule between variables is reported beside the others' own problems.
      "Configuration error: TELEGRAM_WEBHOOK_SECRET is required when TELEGRAM_WEBHOOK_URL is set. See .env.example.",
    ]);
  });

  it("refuses any variable in the same style, never in the validator's words", () => {
    for (const name of SETTING_NAMES) {
      for (const value of ["\u0007 not-a-value %%", "-1", "x".repeat(300)]) {
        let message: string;
        try {
          loadConfig({ [name]: value });
          continue;
        } catch (err) {
          message = (err as Error).message;
        }
        for (const line of message.split("\n")) {
          expect(line, `${name}=${JSON.stringify(value)}`).toMatch(ONE_STYLE);
          expect(line).not.toMatch(/Invalid|expected|received/);
        }
        // Long values are cut, so a pasted file does not flood the terminal.
        expect(message.length).toBeLessThan(400);
      }
    }
  });

  it("checks the rules between variables even when another one is bad, without doubling a variable", () => {
    const lines = errorOf({ HTTP_PORT: "x", SANDBOX: "on", ZALO_BOT_TOKEN: "z", ZALO_WEBHOOK_URL: "https://x.vn/w", ZALO_WEBHOOK_SECRET: "short" }).split("\n");
    expect(lines.map((l) => l.split(" ")[2])).toEqual(["HTTP_PORT", "ZALO_WEBHOOK_SECRET", "SANDBOX"]);
    // Its own problem, not also "is required".
    expect(lines[1]).toContain("must be 8 to 256 characters");
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

  it("warns about names that look like a mistyped setting", () => {
    expect(
      configWarnings({
        HTTP_POST: "8080",
        TELEGRAM_TOKEN: "123:abc",
        ZALO_TOKEN: "z",
        DATABASE_URI: "postgresql://a@b/c",
        REDIS_URI: "redis://r",
        SANDBOX_PROT: "8081",
        log_level: "debug",
        S3_BUCKET_NAME: "files",
        ZALO_APP_ID: "42",
      }),
    ).toEqual([
      "Warning: HTTP_POST is not a setting; did you mean HTTP_PORT?",
      "Warning: TELEGRAM_TOKEN is not a setting; did you mean TELEGRAM_BOT_TOKEN?",
      "Warning: ZALO_TOKEN is not a setting; did you mean ZALO_BOT_TOKEN?",
      "Warning: DATABASE_URI is not a setting; did you mean DATABASE_URL?",
      "Warning: REDIS_URI is not a setting; did you mean REDIS_URL?",
      "Warning: SANDBOX_PROT is not a setting; did you mean SANDBOX_PORT?",
      "Warning: log_level is not a setting; did you mean LOG_LEVEL?",
      "Warning: S3_BUCKET_NAME is not a setting; did you mean S3_BUCKET?",
      "Warning: ZALO_APP_ID is not a setting; see .env.example for the ones there are.",
    ]);
  });

  it("says nothing about the rest of the environment", () => {
    const usual = {
      PATH: "/usr/bin", HOME: "/root", USER: "bot", SHELL: "/bin/sh", PWD: "/app", LANG: "C.UTF-8", TERM: "xterm", TZ: "Asia/Ho_Chi_Minh",
      HOSTNAME: "bot-1", NODE_ENV: "production", NODE_OPTIONS: "--max-old-space-size=512", INIT_CWD: "/app", COLOR: "0", EDITOR: "vi",
      npm_config_cache: "/root/.npm", npm_lifecycle_event: "start", npm_package_name: "baocao",
      HTTP_PROXY: "http://proxy:3128", HTTPS_PROXY: "http://proxy:3128", http_proxy: "http://proxy:3128", NO_PROXY: "localhost",
      POSTGRES_PASSWORD: "change-me", TEST_DATABASE_URL: "postgresql://x", TEST_REDIS_URL: "redis://x",
      // Kubernetes service variables and Docker links for a service named redis.
      REDIS_SERVICE_HOST: "10.0.0.5", REDIS_SERVICE_PORT: "6379", REDIS_PORT: "tcp://10.0.0.5:6379",
      REDIS_PORT_6379_TCP: "tcp://10.0.0.5:6379", REDIS_PORT_6379_TCP_ADDR: "10.0.0.5", REDIS_PORT_6379_TCP_PROTO: "tcp",
      REDIS_NAME: "/bot/redis", REDIS_ENV_REDIS_VERSION: "7.2",
      // Its own settings, of course.
      ...Object.fromEntries(SETTING_NAMES.map((n) => [n, ""])),
    };
    expect(configWarnings(usual)).toEqual([]);
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

  it("prints every problem and near-miss name before stopping `npm start`", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
      env: { PATH: process.env.PATH, HTTP_PORT: "eighty", LOG_LEVEL: "loud", HTTP_POST: "8080", TELEGRAM_TOKEN: "123456:SECRET-TOKEN" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([
      "Warning: HTTP_POST is not a setting; did you mean HTTP_PORT?",
      "Warning: TELEGRAM_TOKEN is not a setting; did you mean TELEGRAM_BOT_TOKEN?",
      'Configuration error: HTTP_PORT must be a whole number from 0 to 65535 (got "eighty"). See .env.example.',
      'Configuration error: LOG_LEVEL must be fatal, error, warn, info, debug, trace or silent (got "loud"). See .env.example.',
    ]);
    expect(r.stderr).not.toContain("SECRET-TOKEN");
    expect(r.stdout).toBe("");
  });
});
