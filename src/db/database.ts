// Opens the app's database: a real PostgreSQL server when DATABASE_URL is
// set, otherwise an embedded PGlite in the data folder. Both get the same
// Prisma client and the same migrations.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import type { SqlDriverAdapterFactory, Transaction } from "@prisma/driver-adapter-utils";
import { PrismaPg } from "@prisma/adapter-pg";
import type { PGlite } from "@electric-sql/pglite";
import { PrismaClient, type Prisma as P } from "./generated/client.ts";
import { lockDataDir, type DataDirLock } from "./data-lock.ts";
import { oneQueryAtATime } from "./one-query-at-a-time.ts";

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
  /** Round trips sent to the server since the database was opened (benchmarks read it). */
  queryCount(): number;
  /**
   * Runs one statement outside any transaction. On PostgreSQL it goes to the
   * pool directly: the busiest statements (claims, releases, delivery marks)
   * skip the Prisma client's own CPU, several times the driver's. Rows come
   * as the driver gives them: int8 as text, so select ids `::text` or `::int`.
   */
  query<T>(sql: P.Sql): Promise<T[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface PostgresOptions {
  poolSize?: number;
  /** Fail queries fast when the server is gone, instead of hanging. */
  connectTimeoutMs?: number;
  /**
   * Database.query's statements as named prepared statements (default on):
   * PostgreSQL parses and plans the hot path's larger statements once per
   * connection instead of on every message. Off behind a pooler that cannot
   * keep them (PgBouncer before 1.21 in transaction mode).
   */
  prepare?: boolean;
}

/** Distinct statements prepared at most, per process: the hot path has a few dozen shapes. */
const MAX_PREPARED = 128;

/** The name a statement is prepared under, or undefined past the cap (then run unnamed). */
function preparedNames(): (text: string) => string | undefined {
  const names = new Map<string, string>();
  return (text) => {
    let name = names.get(text);
    if (name === undefined && names.size < MAX_PREPARED) {
      name = `q${createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
      names.set(text, name);
    }
    return name;
  };
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
  // Counted at the driver: every statement Prisma, raw SQL or a session sends.
  let queries = 0;
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      queries += 1;
      return query(...args);
    };
  });
  const prisma = new PrismaClient({ adapter: oneQueryAtATime(new PrismaPg(pool)) });
  const nameOf = options.prepare === false ? () => undefined : preparedNames();
  return {
    kind: "postgres",
    where: redactUrl(url),
    prisma,
    queryCount: () => queries,
    async query<T>(sql: P.Sql) {
      const name = nameOf(sql.text);
      const res = await pool.query(name ? { name, text: sql.text, values: sql.values } : { text: sql.text, values: sql.values });
      return res.rows as T[];
    },
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

/**
 * PGlite's stock memory settings (128 MB of shared buffers) cost about 300 MB
 * of resident memory; a single-person evaluation needs far less. 16 MB keeps
 * the process well under 400 MB and is still plenty for a commune's data.
 */
const PGLITE_CONF = ["shared_buffers=16MB", "temp_buffers=1MB", "wal_buffers=1MB"];

export interface PgliteOptions {
  /** Who takes the folder's lock, for the message another opener gets ("bot", "npm run org:import"). */
  owner?: string;
}

/**
 * `dataDir` is a folder, or "memory://" for a throwaway database. A folder is
 * locked for the life of the database: a second opener, in this process or
 * another, gets DataDirBusyError.
 */
export async function openPglite(dataDir: string, options: PgliteOptions = {}): Promise<Database> {
  const memory = dataDir.startsWith("memory://");
  let lock: DataDirLock | undefined;
  if (!memory) {
    mkdirSync(dataDir, { recursive: true });
    lock = lockDataDir(dataDir, options.owner ?? "bot");
  }
  let db: PGlite;
  try {
    // initdb's own WebAssembly instance stays resident long after it ends
    // (about 500 MB), so a new folder is initialised by a short-lived child.
    if (!memory && !existsSync(join(dataDir, "PG_VERSION"))) initialiseInChild(dataDir);
    // Loaded here, not at the top: on PostgreSQL the module would cost ~50 MB for nothing.
    const { PGlite } = await import("@electric-sql/pglite");
    db = await PGlite.create(dataDir, { postgresqlconf: PGLITE_CONF });
  } catch (err) {
    lock?.release();
    throw err;
  }
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  const counter = { queries: 0 };
  const prisma = new PrismaClient({
    adapter: withSavepoints(new PrismaPGlite(db), counter),
    // PGlite is one session: transactions run one after another, so one
    // waits for the others instead of getting a connection (2 s by default).
    transactionOptions: { maxWait: 60_000, timeout: 60_000 },
  });
  return {
    kind: "pglite",
    where: dataDir,
    prisma,
    queryCount: () => counter.queries,
    // PGlite is one session: through Prisma, so it never lands inside another caller's transaction.
    query: <T>(sql: P.Sql) => prisma.$queryRaw<T[]>(sql),
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
      try {
        await prisma.$disconnect();
        await db.close();
      } finally {
        lock?.release();
      }
    },
  };
}

function initialiseInChild(dataDir: string): void {
  // Made aside and renamed into place: a start interrupted during initdb
  // leaves no half-made folder that a later start would take for a database.
  const fresh = `${dataDir}.new`;
  rmSync(fresh, { recursive: true, force: true });
  const script = `const { PGlite } = await import(process.argv[1]); const db = await PGlite.create(process.argv[2], { postgresqlconf: JSON.parse(process.argv[3]) }); await db.close();`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script, import.meta.resolve("@electric-sql/pglite"), fresh, JSON.stringify(PGLITE_CONF)], {
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
    timeout: 300_000,
  });
  if (r.status !== 0) {
    rmSync(fresh, { recursive: true, force: true });
    throw new Error(`cannot create the embedded database in ${dataDir}: ${(r.stderr || r.error?.message || `exit ${r.status}`).trim().split("\n").at(-1)}`);
  }
  // What an older version left half-made is set aside, never deleted.
  if (readdirSync(dataDir).length > 0) renameSync(dataDir, `${dataDir}.incomplete-${Date.now()}`);
  else rmdirSync(dataDir);
  renameSync(fresh, dataDir);
}

/**
 * Nested `$transaction` calls inside a transaction become savepoints, which
 * pglite-prisma-adapter does not implement. The SQL is the same as on
 * PostgreSQL, sent on the transaction's own connection.
 */
function withSavepoints(factory: SqlDriverAdapterFactory, counter: { queries: number }): SqlDriverAdapterFactory {
  const run = (tx: Transaction, sql: string) => tx.executeRaw({ sql, args: [], argTypes: [] }).then(() => undefined);
  // PGlite has no wire: its "round trips" are the statements Prisma sends.
  const counted = <T extends { queryRaw: Transaction["queryRaw"]; executeRaw: Transaction["executeRaw"] }>(q: T): T => {
    const queryRaw = q.queryRaw.bind(q);
    const executeRaw = q.executeRaw.bind(q);
    q.queryRaw = (query) => ((counter.queries += 1), queryRaw(query));
    q.executeRaw = (query) => ((counter.queries += 1), executeRaw(query));
    return q;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const adapter = counted(await factory.connect());
      const start = adapter.startTransaction.bind(adapter);
      adapter.startTransaction = async (isolationLevel) => {
        const tx = counted(await start(isolationLevel));
        tx.createSavepoint = (name) => run(tx, `SAVEPOINT ${name}`);
        tx.rollbackToSavepoint = (name) => run(tx, `ROLLBACK TO SAVEPOINT ${name}`);
        tx.releaseSavepoint = (name) => run(tx, `RELEASE SAVEPOINT ${name}`);
        return tx;
      };
      return adapter;
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

/** Runs one statement outside any transaction (Database.query, or viaPrisma). */
export type Run = <T>(sql: P.Sql) => Promise<T[]>;

/** A Run through the Prisma client: what code without a Database (tests, tools) uses. */
export function viaPrisma(prisma: Prisma | Tx): Run {
  return <T>(sql: P.Sql) => prisma.$queryRaw<T[]>(sql);
}

/** The client handed to code that runs inside a transaction. */
export type Tx = import("./generated/client.ts").Prisma.TransactionClient;
