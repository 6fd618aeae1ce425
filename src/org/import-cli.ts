// `npm run org:import -- <file.yaml> [--telegram-bot name] [--out file.csv] [--ttl-days n]`
// Loads units, people and templates from a YAML file and prints the
// invitation codes. Every problem is one Vietnamese line on stderr, exit 1.
import { writeFileSync } from "node:fs";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import type { Database } from "../db/database.ts";
import { oneLine, openCliDatabase, openFailure, runIfMain } from "../db/cli.ts";
import { vi } from "../texts/vi.ts";
import { applyImport } from "./import.ts";
import { loadImportFile } from "./import-file.ts";
import { invitationsCsv, renderInvitationTable, renderSummary } from "./import-report.ts";
import { DEFAULT_INVITATION_TTL_DAYS } from "./invitations.ts";

interface CliOptions {
  file: string;
  telegramBot: string | undefined;
  out: string | undefined;
  ttlDays: number;
}

class UsageError extends Error {}

function parseCli(argv: string[]): CliOptions {
  const t = vi.importCli;
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        "telegram-bot": { type: "string" },
        out: { type: "string" },
        "ttl-days": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    throw new UsageError(t.badOption((err as Error).message));
  }
  const { values, positionals } = parsed;
  if (values.help) throw new UsageError("");
  const [file, ...extra] = positionals;
  if (file === undefined) throw new UsageError(t.noFile);
  if (extra.length > 0) throw new UsageError(t.badOption(extra.join(" ")));
  const bot = values["telegram-bot"]?.replace(/^@/, "");
  if (bot !== undefined && !/^[A-Za-z0-9_]{3,64}$/.test(bot)) throw new UsageError(t.badBotName);
  const ttlRaw = values["ttl-days"];
  const ttlDays = ttlRaw === undefined ? DEFAULT_INVITATION_TTL_DAYS : Number(ttlRaw);
  if (!Number.isInteger(ttlDays) || ttlDays < 1 || ttlDays > 365) throw new UsageError(t.badTtl);
  return { file, telegramBot: bot, out: values.out, ttlDays };
}


export async function run(argv: string[], env: NodeJS.ProcessEnv, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const t = vi.importCli;
  let opts: CliOptions;
  try {
    opts = parseCli(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    if (e.message) err(e.message);
    err(t.usage);
    return e.message ? 1 : 0;
  }

  const loaded = loadImportFile(opts.file);
  if (!loaded.ok) {
    err(t.problemsHeader(loaded.problems.length));
    for (const p of loaded.problems) err(p);
    return 1;
  }

  let db: Database;
  try {
    db = await openCliDatabase(env, "npm run org:import");
  } catch (e) {
    err(openFailure(e, env, t.databaseFailed));
    return 1;
  }
  try {
    // The CLI is a composition root: the only place that reads the clock.
    const result = await applyImport(db.prisma, loaded.data, { now: new Date(), ttlDays: opts.ttlDays, source: basename(opts.file) });
    out(renderSummary(basename(opts.file), result.counts));
    out("");
    out(renderInvitationTable(result.invitations, { telegramBot: opts.telegramBot }));
    if (opts.out !== undefined) {
      writeFileSync(opts.out, invitationsCsv(result.invitations, { telegramBot: opts.telegramBot }));
      out("");
      out(t.csvWritten(opts.out));
    }
    return 0;
  } catch (e) {
    err(t.failed(oneLine(e)));
    return 1;
  } finally {
    await db.close().catch(() => undefined);
  }
}


runIfMain(import.meta.url, run, vi.importCli.failed);
