import type { Prisma, Tx } from "../db/database.ts";

/**
 * Runs `fn` in a transaction: a new one on a client, or the caller's own when
 * given a transaction client (which has no $transaction), so domain functions
 * compose into a caller's larger unit of work.
 */
export function inTransaction<T>(db: Prisma | Tx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return "$transaction" in db ? db.$transaction(fn) : fn(db);
}
