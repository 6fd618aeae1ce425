// The whole environment, parsed by one zod schema. Bad values stop the
// start with one line per variable, all of them at once, so a deployment is
// fixed in one round; names that look like a mistyped setting are warned about.
import { z } from "zod";
import { nearMissWarnings } from "./config-names.ts";

export const ROLES = ["http", "poller", "processor", "worker", "scheduler"] as const;
export type RoleName = (typeof ROLES)[number];

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const url = (protocols: string[], what: string) =>
  z
    .string()
    .trim()
    .refine((v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, `must be ${what}`);

const optionalUrl = (protocols: string[], what: string) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), url(protocols, what).optional());

const intInRange = (min: number, max: number, fallback: number) =>
  z.preprocess(
    (v) => (v === undefined || v === "" ? fallback : v),
    z.coerce
      .number({ error: `must be a whole number from ${min} to ${max}` })
      .int(`must be a whole number from ${min} to ${max}`)
      .min(min, `must be a whole number from ${min} to ${max}`)
      .max(max, `must be a whole number from ${min} to ${max}`),
  );

const secret = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, "may contain only letters, digits, _ and -")
      .min(min, `must be ${min} to ${max} characters`)
      .max(max, `must be ${min} to ${max} characters`)
      .optional(),
  );

const fields = {
  DATABASE_URL: optionalUrl(["postgres:", "postgresql:"], "a postgresql:// URL, or unset for the embedded database"),
  DATABASE_PREPARED_STATEMENTS: z.enum(["on", "off"], { error: "must be on or off" }).default("on"),
  DATA_DIR: z.string().trim().min(1, "must be a folder").default("./data"),
  REDIS_URL: optionalUrl(["redis:", "rediss:"], "a redis:// or rediss:// URL"),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, "may contain only letters, digits, _ and -")
    .default("baocao"),
  /** Default: 127.0.0.1 when the sandbox is on (nothing needs the outside), else 0.0.0.0. */
  HTTP_HOST: z.string().trim().min(1, "must be a host name or address").optional(),
  HTTP_PORT: intInRange(0, 65535, 8080),
  ROLES: z
    .string()
    .default(ROLES.join(","))
    .transform((v) => v.split(",").map((r) => r.trim()).filter(Boolean))
    .pipe(z.array(z.enum(ROLES, { error: `must list roles from ${ROLES.join(", ")}, separated by commas` })).min(1, "must name at least one role")),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], { error: "must be fatal, error, warn, info, debug, trace or silent" })
    .default("info"),
  TELEGRAM_BOT_TOKEN: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.string().trim().regex(/^\d+:[A-Za-z0-9_-]+$/, "must look like 123456:ABC-DEF (from @BotFather)").optional(),
  ),
  TELEGRAM_API_ROOT: url(["http:", "https:"], "an http(s):// URL").default("https://api.telegram.org"),
  TELEGRAM_WEBHOOK_URL: optionalUrl(["https:", "http:"], "an https:// URL that reaches this server's /webhook/telegram"),
  TELEGRAM_WEBHOOK_SECRET: secret(1, 256),
  ZALO_BOT_TOKEN: optionalString,
  ZALO_API_ROOT: url(["http:", "https:"], "an http(s):// URL").default("https://bot-api.zaloplatforms.com"),
  ZALO_WEBHOOK_URL: optionalUrl(["https:", "http:"], "an https:// URL that reaches this server's /webhook/zalo"),
  ZALO_WEBHOOK_SECRET: secret(8, 256),
  ZALO_MESSAGES_PER_SECOND: intInRange(1, 1000, 20),
  TELEGRAM_MESSAGES_PER_SECOND: intInRange(1, 1000, 30),
  INVITE_TTL_DAYS: intInRange(1, 365, 14),
  REMINDERS: z.enum(["on", "off"], { error: "must be on or off" }).default("on"),
  SANDBOX: z
    .enum(["on", "off", "auto"], { error: "must be on, off or auto" })
    .default("auto"),
  SANDBOX_PORT: intInRange(0, 65535, 8081),
  FILE_STORAGE: z.enum(["local", "s3"], { error: "must be local or s3" }).default("local"),
  S3_ENDPOINT: optionalUrl(["https:", "http:"], "an http(s):// URL without user or password, e.g. https://s3.ap-southeast-1.amazonaws.com").refine(
    (v) => v === undefined || !URL.canParse(v) || (new URL(v).username === "" && new URL(v).password === ""),
    "must not hold a user or password (use S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY)",
  ),
  S3_REGION: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{1,64}$/, "must be a region name such as us-east-1")
    .default("us-east-1"),
  S3_BUCKET: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be 3 to 63 characters: lowercase letters, digits, dots and hyphens")
    .optional(),
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  S3_FORCE_PATH_STYLE: z
    .enum(["true", "false", "1", "0", "yes", "no"], { error: "must be true or false" })
    .default("true")
    .transform((v) => v === "true" || v === "1" || v === "yes"),
  MAX_FILE_MB: intInRange(1, 50, 20),
  PUBLIC_URL: optionalUrl(["https:", "http:"], "the bot's public https:// address, e.g. https://baocao.example.vn").refine(
    (v) => v === undefined || !URL.canParse(v) || (new URL(v).search === "" && new URL(v).hash === "" && new URL(v).username === ""),
    "must be a plain base address without user, query or #fragment",
  ),
  FILE_LINK_SECRET: secret(32, 256),
  FILE_LINK_TTL_HOURS: intInRange(1, 720, 72),
  CONSOLE_SESSION_HOURS: intInRange(1, 168, 12),
  CONSOLE_REFRESH_SECONDS: intInRange(1, 3600, 30),
  CONSOLE_QUEUE_RETRIES: z.enum(["on", "off"], { error: "must be on or off" }).default("off"),
};

const envSchema = z.object(fields);

export type Env = z.infer<typeof envSchema>;

/** Every variable the bot reads. */
export const SETTING_NAMES: readonly string[] = Object.keys(fields);

interface Problem {
  name: string;
  message: string;
}

/** Rules across variables; each names the variable to change. */
function crossProblems(env: Env): Problem[] {
  const problems: Problem[] = [];
  const add = (name: string, message: string) => problems.push({ name, message });
  if (env.TELEGRAM_WEBHOOK_URL && !env.TELEGRAM_WEBHOOK_SECRET) {
    add("TELEGRAM_WEBHOOK_SECRET", "is required when TELEGRAM_WEBHOOK_URL is set");
  }
  if (env.ZALO_WEBHOOK_URL && !env.ZALO_WEBHOOK_SECRET) {
    add("ZALO_WEBHOOK_SECRET", "is required when ZALO_WEBHOOK_URL is set (8 to 256 characters)");
  }
  if (env.TELEGRAM_WEBHOOK_URL && !env.TELEGRAM_BOT_TOKEN) {
    add("TELEGRAM_BOT_TOKEN", "is required when TELEGRAM_WEBHOOK_URL is set");
  }
  if (env.ZALO_WEBHOOK_URL && !env.ZALO_BOT_TOKEN) {
    add("ZALO_BOT_TOKEN", "is required when ZALO_WEBHOOK_URL is set");
  }
  if (env.PUBLIC_URL && !env.FILE_LINK_SECRET && new Set(env.ROLES).size < ROLES.length) {
    // A secret made at start-up would differ per process: links made by a
    // processor would not open on the http role.
    add("FILE_LINK_SECRET", "is required when PUBLIC_URL is set and roles run in separate processes (32-256 characters)");
  }
  if (env.SANDBOX === "on" && (env.TELEGRAM_BOT_TOKEN || env.ZALO_BOT_TOKEN)) {
    // The sandbox lets anyone at the keyboard speak as anyone: never beside a real bot.
    add("SANDBOX", "cannot be on while TELEGRAM_BOT_TOKEN or ZALO_BOT_TOKEN is set: the sandbox lets anyone on this machine speak as any person");
  }
  if (env.SANDBOX === "on" && new Set(env.ROLES).size < ROLES.length) {
    add("SANDBOX", "runs every role in one process: leave ROLES unset, or set SANDBOX=off");
  }
  if (env.FILE_STORAGE === "s3") {
    for (const name of ["S3_ENDPOINT", "S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const) {
      if (env[name] === undefined) add(name, "is required when FILE_STORAGE=s3");
    }
  }
  return problems;
}

export interface Config {
  databaseUrl: string | undefined;
  /** The hot path's statements prepared once per connection (DATABASE_PREPARED_STATEMENTS). */
  preparedStatements: boolean;
  dataDir: string;
  /** Undefined when REDIS_URL was not set: the default local Redis is tried. */
  redisUrl: string | undefined;
  queuePrefix: string;
  http: { host: string; port: number };
  /** Where the sandbox listens when HTTP_HOST is not loopback: 127.0.0.1 on this port (SANDBOX_PORT). */
  sandboxPort: number;
  roles: Set<RoleName>;
  logLevel: Env["LOG_LEVEL"];
  telegram?: { token: string; apiRoot: string; webhookUrl?: string; webhookSecret?: string; perSecond: number };
  zalo?: { token: string; apiRoot: string; webhookUrl?: string; webhookSecret?: string; perSecond: number };
  inviteTtlDays: number;
  /** Opening periods and sending reminders on schedule (off in tests of other parts). */
  reminders: boolean;
  /** The local web chat for trying the bot without a platform token. */
  sandbox: boolean;
  files: FilesConfig;
  /** Signed download links (GET /f/<token>), for Zalo, which cannot send documents. Unset without PUBLIC_URL. */
  fileLinks?: FileLinksConfig;
  console: ConsoleConfig;
}

export interface ConsoleConfig {
  /** PUBLIC_URL without a trailing slash: where sign-in links point. Unset: this machine's address, when the http role listens on loopback. */
  publicUrl?: string;
  sessionMs: number;
  refreshSeconds: number;
  /** bull-board lets the office retry and clean jobs; otherwise it only shows them. */
  queueRetries: boolean;
}

export interface FileLinksConfig {
  /** PUBLIC_URL without a trailing slash. */
  publicUrl: string;
  /** FILE_LINK_SECRET; unset: one is made and kept in $DATA_DIR/secret (single process only). */
  secret?: string;
  ttlMs: number;
}

export interface S3Config {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** https://endpoint/bucket/key (MinIO, most local providers) rather than https://bucket.endpoint/key. */
  forcePathStyle: boolean;
}

export interface FilesConfig {
  /** Largest attachment the bot downloads and keeps (MAX_FILE_MB). */
  maxBytes: number;
  /** local: $DATA_DIR/files; s3: an S3-compatible bucket. */
  store: { kind: "local" } | ({ kind: "s3" } & S3Config);
}

export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

export class ConfigError extends Error {
  override name = "ConfigError";
  /** One line per bad variable; the message holds them all. */
  constructor(readonly lines: string[]) {
    super(lines.join("\n"));
  }
}

// Values of these are never echoed back, even when they are wrong.
const HIDDEN = /TOKEN|SECRET|PASSWORD|ACCESS_KEY|DATABASE_URL|REDIS_URL|S3_ENDPOINT/;

function problemLine(p: Problem, input: Record<string, string | undefined>): string {
  const value = input[p.name];
  const shown = value !== undefined && !HIDDEN.test(p.name) ? ` (got ${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)})` : "";
  return `Configuration error: ${p.name} ${p.message}${shown}. See .env.example.`;
}

/** Every problem at once: each variable's own, then the rules between them. */
function parseEnv(input: Record<string, string | undefined>): Env {
  const parsed = envSchema.safeParse(input);
  if (parsed.success) {
    const cross = crossProblems(parsed.data);
    if (cross.length === 0) return parsed.data;
    throw new ConfigError(cross.map((p) => problemLine(p, input)));
  }
  const problems = new Map<string, Problem>();
  for (const issue of parsed.error.issues) {
    // The variable, not a position inside it (ROLES.1); its first problem only.
    const name = typeof issue.path[0] === "string" ? issue.path[0] : "environment";
    if (!problems.has(name)) problems.set(name, { name, message: issue.message });
  }
  // The rules between variables are checked on the others too: each bad one
  // is left out, so it takes its default, which no rule asks more of.
  const rest = Object.fromEntries(Object.entries(input).filter(([name]) => !problems.has(name)));
  const reparsed = envSchema.safeParse(rest);
  if (reparsed.success) {
    for (const p of crossProblems(reparsed.data)) if (!problems.has(p.name)) problems.set(p.name, p);
  }
  throw new ConfigError([...problems.values()].map((p) => problemLine(p, input)));
}

/** One line per environment name that looks like a mistyped setting. */
export function configWarnings(env: Record<string, string | undefined>): string[] {
  return nearMissWarnings(env, SETTING_NAMES);
}

/** Parses the environment; `--role=a,b` on the command line overrides ROLES. */
export function loadConfig(env: Record<string, string | undefined>, argv: string[] = []): Config {
  const roleArg = argv.find((a) => a.startsWith("--role=") || a.startsWith("--roles="));
  // An empty value (as in a copied .env.example) means "use the default".
  const input = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""));
  if (roleArg) input.ROLES = roleArg.slice(roleArg.indexOf("=") + 1);
  const e = parseEnv(input);
  const sandboxDefault = !e.TELEGRAM_BOT_TOKEN && !e.ZALO_BOT_TOKEN && new Set(e.ROLES).size === ROLES.length;
  const sandbox = e.SANDBOX === "on" || (e.SANDBOX === "auto" && sandboxDefault);
  return {
    databaseUrl: e.DATABASE_URL,
    preparedStatements: e.DATABASE_PREPARED_STATEMENTS === "on",
    dataDir: e.DATA_DIR,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    http: { host: e.HTTP_HOST ?? (sandbox ? "127.0.0.1" : "0.0.0.0"), port: e.HTTP_PORT },
    sandboxPort: e.SANDBOX_PORT,
    roles: new Set(e.ROLES),
    logLevel: e.LOG_LEVEL,
    telegram: e.TELEGRAM_BOT_TOKEN
      ? {
          token: e.TELEGRAM_BOT_TOKEN,
          apiRoot: e.TELEGRAM_API_ROOT,
          webhookUrl: e.TELEGRAM_WEBHOOK_URL,
          webhookSecret: e.TELEGRAM_WEBHOOK_SECRET,
          perSecond: e.TELEGRAM_MESSAGES_PER_SECOND,
        }
      : undefined,
    zalo: e.ZALO_BOT_TOKEN
      ? {
          token: e.ZALO_BOT_TOKEN,
          apiRoot: e.ZALO_API_ROOT,
          webhookUrl: e.ZALO_WEBHOOK_URL,
          webhookSecret: e.ZALO_WEBHOOK_SECRET,
          perSecond: e.ZALO_MESSAGES_PER_SECOND,
        }
      : undefined,
    inviteTtlDays: e.INVITE_TTL_DAYS,
    reminders: e.REMINDERS === "on",
    sandbox,
    files: {
      maxBytes: e.MAX_FILE_MB * 1024 * 1024,
      store:
        e.FILE_STORAGE === "s3"
          ? {
              kind: "s3",
              // Presence is checked by the schema's refinement above.
              endpoint: e.S3_ENDPOINT!,
              region: e.S3_REGION,
              bucket: e.S3_BUCKET!,
              accessKeyId: e.S3_ACCESS_KEY_ID!,
              secretAccessKey: e.S3_SECRET_ACCESS_KEY!,
              forcePathStyle: e.S3_FORCE_PATH_STYLE,
            }
          : { kind: "local" },
    },
    console: {
      ...(e.PUBLIC_URL && { publicUrl: e.PUBLIC_URL.replace(/\/+$/, "") }),
      sessionMs: e.CONSOLE_SESSION_HOURS * 3_600_000,
      refreshSeconds: e.CONSOLE_REFRESH_SECONDS,
      queueRetries: e.CONSOLE_QUEUE_RETRIES === "on",
    },
    fileLinks: e.PUBLIC_URL
      ? {
          publicUrl: e.PUBLIC_URL.replace(/\/+$/, ""),
          ...(e.FILE_LINK_SECRET !== undefined && { secret: e.FILE_LINK_SECRET }),
          ttlMs: e.FILE_LINK_TTL_HOURS * 3_600_000,
        }
      : undefined,
  };
}
