// Writes a message's handler leaves for the end of its transaction, where the
// processor sends them in one statement with the update's DONE mark and its
// replies: each round trip saved is one the busiest path never pays.
//
// A write is a list of data-modifying CTEs (PostgreSQL allows those only at
// the top of a statement, so a write cannot nest its own WITH). Its names
// come from a prefix, so several writes fit in one statement; the last CTE
// returns one row per row written, and fewer than `atLeast` fails the whole
// transaction, as the same write run on its own would have.
import { Prisma as P } from "./generated/client.ts";
import type { Prisma, Tx } from "./database.ts";

export interface Write {
  ctes: [name: string, body: P.Sql][];
  atLeast: number;
  /** Names the write in the error when it changed too little. */
  what: string;
}

export type WriteOf = (name: (local: string) => string) => Write;

export class WriteMissedError extends Error {
  constructor(what: string) {
    super(`${what}: nothing to write`);
    this.name = "WriteMissedError";
  }
}

const pending = new WeakMap<object, WriteOf[]>();

/** Leaves the write for the processor's final statement of this transaction. */
export function defer(tx: Tx, write: WriteOf): void {
  const list = pending.get(tx) ?? [];
  list.push(write);
  pending.set(tx, list);
}

/** The CTEs of every deferred write, and the checks to make on the row the statement returns. */
export function takeDeferred(tx: Tx): Composed {
  const writes = pending.get(tx) ?? [];
  pending.delete(tx);
  return compose(writes, "w");
}

export interface Composed {
  /** `name AS (...)` parts, for the statement's WITH. */
  ctes: P.Sql[];
  /** `count AS key` parts, for the statement's SELECT. */
  counts: P.Sql[];
  /** Throws WriteMissedError when a write changed too little. */
  check(row: Record<string, unknown>): void;
}

/** Several writes as parts of one statement; `prefix` keeps their names apart from the statement's own. */
export function compose(list: readonly WriteOf[], prefix: string): Composed {
  const writes = list.map((w, i) => ({ ...w((local) => `${prefix}${i}_${local}`), key: `${prefix}${i}` }));
  return {
    ctes: writes.flatMap((w) => w.ctes.map(([name, body]) => P.sql`${P.raw(`"${name}"`)} AS (${body})`)),
    counts: writes.map((w) => P.sql`(SELECT count(*) FROM ${P.raw(`"${lastName(w)}"`)})::int AS ${P.raw(`"${w.key}"`)}`),
    check(row) {
      for (const w of writes) if (Number(row[w.key]) < w.atLeast) throw new WriteMissedError(w.what);
    },
  };
}

/** Runs a write now, on its own. */
export async function runWrite(db: Tx | Prisma, write: WriteOf): Promise<void> {
  const w = compose([write], "w");
  const rows = await db.$queryRaw<Record<string, unknown>[]>`WITH ${P.join(w.ctes, ", ")} SELECT ${P.join(w.counts, ", ")}`;
  w.check(rows[0] ?? {});
}

function lastName(w: Write): string {
  const last = w.ctes.at(-1);
  if (!last) throw new Error(`${w.what}: a write without statements`);
  return last[0];
}
