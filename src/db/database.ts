// Opens the app's database: a real PostgreSQL server when DATABASE_URL is
// set, otherwise an embedded PGlite in the data folder. Both get the same
// Prisma client and the same migrations.
import { mkdirSync } from "node:fs";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "./generated/client.ts";

export type Prisma = InstanceType<typeof PrismaClient>;

/** One connection for raw SQL: migrations and lock-sensitive queries. */
export interface SqlSession {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of several statements as one query. */
  exec(script: string): Promise<void>;
  release(): Promise<void>;
}

export interface Database {
  readonly kind: "postgres" | "pglite";
  /** Human-readable location without credentials, for start-up logs. */
  readonly where: string;
  readonly prisma: Prisma;
  session(): Promise<SqlSession>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface PostgresOptions {
  poolSize?: number;
  /** Fail queries fast when the server is gone, instead of hanging. */
  connectTimeoutMs?: number;
}

export function openPostgres(url: string, options: PostgresOptions = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
  });
  // An idle client that loses its server emits 'error'; without a listener
  // that would crash the process. The next query reports the outage instead.
  pool.on("error", () => undefined);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    kind: "postgres",
    where: redactUrl(url),
    prisma,
    async session() {
      const client = await pool.connect();
      return {
        async query<T>(text: string, params?: unknown[]) {
          const res = await client.query(text, params);
          return res.rows as T[];
        },
        async exec(script) {
          await client.query(script);
        },
        async release() {
          client.release();
          return Promise.resolve();
        },
      };
    },
    async ping() {
      const client = await pool.connect();
      try {
        await client.query("SELECT 1");
      } finally {
        client.release();
      }
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/** `dataDir` is a folder, or "memory://" for a throwaway database. */
export async function openPglite(dataDir: string): Promise<Database> {
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
  return {
    kind: "pglite",
    where: dataDir,
    prisma,
    session() {
      // PGlite is a single session; callers must not interleave with Prisma
      // transactions. Only migrations use this, before anything else runs.
      return Promise.resolve({
        async query<T>(text: string, params?: unknown[]) {
          const res = await db.query(text, params);
          return res.rows as T[];
        },
        async exec(script) {
          await db.exec(script);
        },
        release: () => Promise.resolve(),
      });
    },
    async ping() {
      await db.query("SELECT 1");
    },
    async close() {
      await prisma.$disconnect();
      await db.close();
    },
  };
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(invalid url)";
  }
}

/** The client handed to code that runs inside a transaction. */
export type Tx = import("./generated/client.ts").Prisma.TransactionClient;
