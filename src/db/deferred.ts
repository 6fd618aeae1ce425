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
import type { Prisma, Run, Tx } from "./database.ts";

export interface Write {
  ctes: [name: string, body: P.Sql][];
  atLeast: number;
  /** Names the write in the error when it changed too little. */
  what: string;
}

/**
 * `guard`: a condition the write's statements must add to their WHERE (the
 * optimistic try's check, below); TRUE otherwise.
 */
export type WriteOf = (name: (local: string) => string, guard: P.Sql) => Write;

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
export function takeDeferred(tx: Tx, guard?: P.Sql): Composed {
  const writes = pending.get(tx) ?? [];
  pending.delete(tx);
  return compose(writes, "w", guard);
}


export interface Composed {
  /** `name AS (...)` parts, for the statement's WITH. */
  ctes: P.Sql[];
  /**
   * `count AS key` parts, for the statement's SELECT. With a guard, a write
   * that changed too little fails the statement itself (an error in its
   * SELECT), so a statement sent without a transaction writes all or nothing.
   */
  counts: P.Sql[];
  /** Throws WriteMissedError when a write changed too little. */
  check(row: Record<string, unknown>): void;
}

/** Several writes as parts of one statement; `prefix` keeps their names apart from the statement's own. */
export function compose(list: readonly WriteOf[], prefix: string, guard?: P.Sql): Composed {
  const writes = list.map((w, i) => ({ ...w((local) => `${prefix}${i}_${local}`, guard ?? P.sql`TRUE`), key: `${prefix}${i}` }));
  return {
    ctes: writes.flatMap((w) => w.ctes.map(([name, body]) => P.sql`${P.raw(`"${name}"`)} AS (${body})`)),
    counts: writes.map((w) => {
      const last = P.raw(`"${lastName(w)}"`);
      const key = P.raw(`"${w.key}"`);
      // In a transaction, check() throws and the transaction rolls back.
      if (!guard) return P.sql`(SELECT count(*) FROM ${last})::int AS ${key}`;
      // Without one (the optimistic try), the statement itself must fail. Not
      // a constant, so it fails only when its branch is taken; held back by
      // the guard, a write changes nothing and fails nothing.
      const fail = P.sql`(${`${w.what}: nothing to write `} || count(*)::text)::int`;
      return P.sql`(SELECT CASE WHEN count(*) < ${w.atLeast} AND ${guard} THEN ${fail} ELSE count(*)::int END FROM ${last}) AS ${key}`;
    }),
    check(row) {
      for (const w of writes) if (Number(row[w.key]) < w.atLeast) throw new WriteMissedError(w.what);
    },
  };
}

/** Runs writes now, together in one statement. */
export async function runWrite(db: Tx | Prisma, ...writes: WriteOf[]): Promise<void> {
  const w = compose(writes, "w");
  const rows = await db.$queryRaw<Record<string, unknown>[]>`WITH ${P.join(w.ctes, ", ")} SELECT ${P.join(w.counts, ", ")}`;
  w.check(rows[0] ?? {});
}

function lastName(w: Write): string {
  const last = w.ctes.at(-1);
  if (!last) throw new Error(`${w.what}: a write without statements`);
  return last[0];
}

// ───────── the optimistic first try ─────────
//
// Most messages of a report in hand read the person's state and report
// (lockWriter) and leave their writes for the end. Such a message needs no
// transaction: the state is read without a lock, and the final statement
// writes everything only if the state's version is still the one read (and
// the update still pending); otherwise the message runs again in a
// transaction. A submit reads its submission the same way (its version is
// checked too), and a file answer writes its attachment row straight away
// (an orphan if the message runs again). Anything else the handler would
// touch the database for ends the try at once (NeedsTransaction), before
// anything was written.

export class NeedsTransaction extends Error {
  constructor() {
    super("the message needs a transaction");
    this.name = "NeedsTransaction";
  }
}

export interface Optimistic {
  run: Run;
  /** The state read: the final statement writes only if it is unchanged. */
  guard?: { personId: number; version: number };
  /**
   * Other rows read without a lock that must be unchanged too: each a
   * `SELECT 1 ... FOR UPDATE` that finds its row only while it is as read.
   * Lock them after the state, as a transaction would.
   */
  unchanged: P.Sql[];
}

const optimistic = new WeakMap<object, Optimistic>();

/** A Tx that only lockWriter (through `run`) and defer() may use; anything else throws NeedsTransaction. */
export function optimisticTx(run: Run): Tx {
  const tx = new Proxy(
    {},
    {
      get(_target, prop) {
        // Not a promise, when awaited or returned from an async function.
        if (prop === "then") return undefined;
        throw new NeedsTransaction();
      },
    },
  ) as Tx;
  optimistic.set(tx, { run, unchanged: [] });
  return tx;
}

export function optimisticOf(tx: Tx): Optimistic | undefined {
  return optimistic.get(tx);
}
