// `npm run calendar:holidays -- [file.yaml]`
// Loads the office's holiday table from a YAML file (default: the shipped
// one) into the database. For each year in the file, the office-wide days of
// that year become exactly the file's; other years are untouched. Every
// problem is one Vietnamese line on stderr, exit 1.
import { basename } from "node:path";
import { parseArgs } from "node:util";
import type { Database } from "../db/database.ts";
import { oneLine, openCliDatabase, openFailure, runIfMain } from "../db/cli.ts";
import { vi } from "../texts/vi.ts";
import { loadHolidayFile } from "./holiday-file.ts";
import { importHolidays, SHIPPED_HOLIDAY_FILE } from "./holiday-store.ts";

class UsageError extends Error {}

function parseCli(argv: string[]): { file: string } {
  const t = vi.holidaysCli;
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: "boolean", short: "h" } } });
  } catch (err) {
    throw new UsageError(t.badOption((err as Error).message));
  }
  if (parsed.values.help) throw new UsageError("");
  const [file, ...extra] = parsed.positionals;
  if (extra.length > 0) throw new UsageError(t.badOption(extra.join(" ")));
  return { file: file ?? SHIPPED_HOLIDAY_FILE };
}


export async function run(argv: string[], env: NodeJS.ProcessEnv, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const t = vi.holidaysCli;
  let file: string;
  try {
    ({ file } = parseCli(argv));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    if (e.message) err(e.message);
    err(t.usage);
    return e.message ? 1 : 0;
  }

  const loaded = loadHolidayFile(file, basename(file));
  if (!loaded.ok) {
    err(t.problemsHeader(loaded.problems.length));
    for (const p of loaded.problems) err(p);
    return 1;
  }

  let db: Database;
  try {
    db = await openCliDatabase(env, "npm run calendar:holidays");
  } catch (e) {
    err(openFailure(e, env, t.databaseFailed));
    return 1;
  }
  try {
    // The CLI is a composition root: the only place that reads the clock.
    const r = await importHolidays(db.prisma, loaded.entries, { now: new Date(), source: basename(file) });
    out(t.done(basename(file), r.years, r.created, r.updated, r.removed));
    return 0;
  } catch (e) {
    err(t.failed(oneLine(e)));
    return 1;
  } finally {
    await db.close().catch(() => undefined);
  }
}


runIfMain(import.meta.url, run, vi.holidaysCli.failed);
