// Limits on guessing invitation codes, read from the LinkAttempt rows that
// every "/start CODE" leaves. Two limits: one per chat account, and one for
// all accounts of a platform together, since a guesser with many accounts
// passes the first untouched.
import type { Platform } from "../db/generated/client.ts";
import type { Prisma, Tx } from "../db/database.ts";

/** Per account: this many refused attempts within the window locks it until it pauses for a whole window. */
export const MAX_FAILED_ATTEMPTS = 5;
export const THROTTLE_WINDOW_MS = 15 * 60_000;

/**
 * Per platform, all accounts together: at most this many refused attempts a
 * minute, each account counting for no more than MAX_FAILED_ATTEMPTS, so that
 * one account hammering away (already locked by its own limit) cannot shut
 * everyone else out. An office linking 50 people in an afternoon makes a few
 * typos in a minute at its busiest; 30 leaves ample room, and holds a crowd of
 * guessers to 30 guesses a minute against 31^8 possible codes.
 */
export const PLATFORM_MAX_FAILURES = 30;
export const PLATFORM_WINDOW_MS = 60_000;
/**
 * More refused attempts than this in a minute is a flood whoever sends them.
 * It also bounds the query: only the latest this many refused rows are read.
 */
export const PLATFORM_FLOOD = 300;

type Db = Prisma | Tx;

/** The account has used up its refused attempts; throttled ones count too, so a guesser who keeps trying stays out. */
export async function accountThrottled(db: Db, platform: Platform, externalId: string, now: Date): Promise<boolean> {
  const failures = await db.linkAttempt.count({
    where: { platform, externalId, success: false, at: { gt: new Date(now.getTime() - THROTTLE_WINDOW_MS), lte: now } },
  });
  return failures >= MAX_FAILED_ATTEMPTS;
}

/**
 * Too many refused attempts on this platform in the last minute. Walks the
 * primary key backwards from the newest row and stops after PLATFORM_FLOOD
 * refused ones, so the cost stays the same however large the table grows.
 * Attempts of transactions not yet committed are not seen; with a handful of
 * processors that lets a few more through, never many.
 */
export async function platformBusy(db: Db, platform: Platform, now: Date): Promise<boolean> {
  const since = new Date(now.getTime() - PLATFORM_WINDOW_MS);
  const rows = await db.$queryRaw<{ attempts: number; counted: number }[]>`
    SELECT coalesce(sum(n), 0)::int AS attempts, coalesce(sum(least(n, ${MAX_FAILED_ATTEMPTS}::int)), 0)::int AS counted
    FROM (
      SELECT count(*)::int AS n
      FROM (
        SELECT "externalId", at FROM "LinkAttempt"
        WHERE platform = ${platform}::"Platform" AND NOT success
        ORDER BY id DESC
        LIMIT ${PLATFORM_FLOOD}::int
      ) AS latest
      WHERE at > ${since} AND at <= ${now}
      GROUP BY "externalId"
    ) AS per_account`;
  const row = rows[0];
  return row !== undefined && (row.attempts >= PLATFORM_FLOOD || row.counted >= PLATFORM_MAX_FAILURES);
}
