// What every command-line tool shares: the database named by the
// environment (DATABASE_URL, else the embedded one in DATA_DIR), migrated,
// and errors reduced to one line.
import { basename, join } from "node:path";
import { openPglite, openPostgres, type Database } from "./database.ts";
import { migrate } from "./migrate.ts";
import { DataDirBusyError } from "./data-lock.ts";

/**
 * `tool` names the command for the message another process gets while this
 * one holds the embedded database ("npm run org:import"). While the bot
 * holds it, this throws DataDirBusyError: print its message as it is.
 */
export async function openCliDatabase(env: NodeJS.ProcessEnv, tool: string): Promise<Database> {
  const url = env.DATABASE_URL?.trim();
  const db = url ? openPostgres(url, { poolSize: 2 }) : await openPglite(join(env.DATA_DIR?.trim() || "./data", "pglite"), { owner: tool });
  try {
    await migrate(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return db;
}

/** Where the tool's data lives, for messages: never the URL (it may hold a password). */
export function databaseName(env: NodeJS.ProcessEnv): string {
  return env.DATABASE_URL ? "DATABASE_URL" : "PGlite";
}

/** The line to print when the database cannot be opened: the lock's own message is already complete. */
export function openFailure(e: unknown, env: NodeJS.ProcessEnv, describe: (where: string, detail: string) => string): string {
  return e instanceof DataDirBusyError ? e.message : describe(databaseName(env), oneLine(e));
}

/** An error as one line: driver errors can span lines (SQL context). */
export function oneLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .join(" ")
    .slice(0, 500);
}

export type CliRun = (argv: string[], env: NodeJS.ProcessEnv, out: (s: string) => void, err: (s: string) => void) => Promise<number>;

/** Runs a tool when its module is the program (not when a test imports it). */
export function runIfMain(moduleUrl: string, run: CliRun, failed: (detail: string) => string): void {
  const entry = process.argv[1];
  if (entry === undefined || !moduleUrl.endsWith(basename(entry))) return;
  run(
    process.argv.slice(2),
    process.env,
    (s) => process.stdout.write(s + "\n"),
    (s) => process.stderr.write(s + "\n"),
  ).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(failed(oneLine(e)) + "\n");
      process.exitCode = 1;
    },
  );
}
