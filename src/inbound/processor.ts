// Handles stored updates: one chat at a time per process, in arrival order,
// many chats in parallel, across any number of processes.
//
// A chat is claimed with a lease row (ChatLease), short and renewed by a
// heartbeat while the chat is held, so a dead process's chats are taken over
// within a lease. The handler's writes, its replies (as outbox rows) and the
// DONE mark commit in one transaction, so a crash either leaves the update
// PENDING (handled again, from scratch) or fully handled. Replies are sent
// after the commit, still under the lease, so they go out in order; each is
// claimed before its platform call (replies.ts), so one that a dead or
// stalled process may have sent is never sent again.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { ChannelSender, InboundMessage, OutboundMessage, PlatformName } from "../channels/channel.ts";
import { viaPrisma, type Prisma, type Run, type Tx } from "../db/database.ts";
import type { Logger } from "../logger.ts";
import type { Clock } from "../clock.ts";
import { flushReplies, sendRows, settledWrite, type QueuedReply, type SentReply } from "./replies.ts";
import { settleSent } from "./delivery.ts";
import { compose, defer, NeedsTransaction, optimisticOf, optimisticTx, takeDeferred } from "../db/deferred.ts";
import { Prisma as P } from "../db/generated/client.ts";

export type MessageHandler = (tx: Tx, message: InboundMessage, now: Date) => Promise<OutboundMessage[]>;

export interface ProcessorDeps {
  prisma: Prisma;
  /**
   * Runs the statements outside transactions (claims, releases, the
   * heartbeat); Database.query, which skips the Prisma client on PostgreSQL.
   * Default: through Prisma.
   */
  query?: Run;
  channels: ReadonlyMap<PlatformName, ChannelSender & { toInbound(raw: unknown): InboundMessage | null }>;
  handle: MessageHandler;
  /** What to tell the user when an update keeps failing. */
  failureReply: OutboundMessage;
  logger: Logger;
  clock: Clock;
  /** Parallel chats per process. */
  concurrency?: number;
  /**
   * How long a claimed chat stays reserved if its process dies (or stalls);
   * renewed every third of it while the chat is held.
   */
  leaseMs?: number;
  /** Polling interval when idle; local stores wake the loop at once. */
  idleMs?: number;
  maxAttempts?: number;
  /** Pause before a failed update is tried again, times its attempts. */
  retryDelayMs?: number;
  /** Unsent replies older than this are retried by whichever process is free. */
  staleReplyMs?: number;
}

export interface Processor {
  start(): void;
  /**
   * Wakes idle loops; called when this process stored new updates. With the
   * chats' keys, those chats are claimed straight away, by as many loops as
   * there are chats, without looking for candidates first.
   */
  wake(chatKeys?: readonly string[]): void;
  /** Finishes the chats in hand, then resolves. */
  stop(): Promise<void>;
  /** Runs until no update is pending (tests and the CLI). */
  drain(): Promise<void>;
  /** Called after each update is handled and its replies sent; returns an unsubscribe. */
  onHandled(listener: (chatKey: string) => void): () => void;
}

interface PendingRow {
  /** The update's id (int8), as text. */
  id: string;
  platform: PlatformName;
  payload: unknown;
  attempts: number;
}

/** The replies a final statement queued (its `queued` CTE, repliesCtes), as QueuedReply[]. */
const QUEUED_REPLIES = P.sql`coalesce((SELECT json_agg(json_build_object('id', id, 'payload', payload, 'claimed', claimed) ORDER BY id) FROM queued), '[]'::json) AS queued`;

/** Keeps the oldest (smallest) order given for a chat. */
function keepOldest(orders: Map<string, number>, chatKey: string, order: number): void {
  const had = orders.get(chatKey);
  if (had === undefined || order < had) orders.set(chatKey, order);
}

/** A dead process's chats are taken over within this (plus one idle poll). */
export const LEASE_MS = 7_000;
/**
 * Chats in hand at once per process. Most of a message's time is waiting
 * (PostgreSQL, the platform, a file's write), and the light path holds no
 * connection while it waits, so eight keep two cores busy; a killed process
 * leaves at most this many replies uncertain.
 */
export const CONCURRENCY = 8;
/** The owner of a chat paused after a failed update. */
const PAUSED = "paused";
/** Pending updates read per round trip. */
const BATCH = 20;

/**
 * Replies delivered whose records (SENT) wait for the chat's next statement,
 * and whether "handled" is owed to the listeners until they are written.
 */
class Unsettled {
  readonly sent: SentReply[] = [];
  private owed = false;
  constructor(private readonly fire: () => void) {}
  /** An update's replies went out: listeners hear it once they are recorded. */
  handled(): void {
    if (this.sent.length === 0) this.fire();
    else this.owed = true;
  }
  written(): void {
    this.sent.length = 0;
    if (this.owed) {
      this.owed = false;
      this.fire();
    }
  }
}

/** The update was handled already (a stale lease's twin); its transaction rolls back. */
class AlreadyHandled extends Error {}

function splitKey(chatKey: string): { platform: PlatformName; chatId: string } {
  const [platform, ...rest] = chatKey.split(":");
  return { platform: platform as PlatformName, chatId: rest.join(":") };
}

export function createProcessor(deps: ProcessorDeps): Processor {
  // Says which process holds a chat, for whoever looks at ChatLease.
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = deps.leaseMs ?? LEASE_MS;
  const idleMs = deps.idleMs ?? 500;
  const maxAttempts = deps.maxAttempts ?? 5;
  const concurrency = deps.concurrency ?? CONCURRENCY;
  const staleReplyMs = deps.staleReplyMs ?? 20_000;
  const retryDelayMs = deps.retryDelayMs ?? 2_000;
  const { prisma, logger } = deps;
  const query = deps.query ?? viaPrisma(prisma);
  let running = false;
  let loops: Promise<void>[] = [];
  let wakers: (() => void)[] = [];
  const handledListeners = new Set<(chatKey: string) => void>();

  // Chats this process just stored updates for; claimed without the candidates query.
  // Each with the arrival order of its first unhandled hint, so the oldest goes first.
  const hinted = new Map<string, number>();
  // Hinted chats that a loop of this process held or had taken at the time:
  // hinted again, with their first order, when that loop is done with them.
  const deferred = new Map<string, number>();
  let arrivals = 0;

  function hint(chatKey: string, order = ++arrivals): void {
    keepOldest(hinted, chatKey, order);
  }

  function wake(chatKeys?: readonly string[]): void {
    if (chatKeys) for (const k of chatKeys) hint(k);
    const w = chatKeys ? wakers.splice(0, Math.max(1, hinted.size)) : wakers.splice(0);
    for (const f of w) f();
  }

  /**
   * The oldest hinted chat that no loop of this process holds. One at a
   * time, when a loop is ready for it: the loops share the hints in arrival
   * order instead of one loop taking all of them.
   */
  function nextHint(): string | undefined {
    for (;;) {
      let oldest: [string, number] | undefined;
      for (const e of hinted) if (!oldest || e[1] < oldest[1]) oldest = e;
      if (!oldest) return undefined;
      const [k, order] = oldest;
      hinted.delete(k);
      if (takeIfFree(k, order)) return k;
      keepOldest(deferred, k, order);
    }
  }

  /**
   * Chats a loop took (from the hints or the candidates) and has not
   * finished with, claimed or not yet, with their hint's order. A loop of
   * this process never claims a chat another one holds or took: two loops
   * trading chats in one statement each would deadlock.
   */
  const taken = new Map<string, number>();

  function takeIfFree(chatKey: string, order: number): boolean {
    if (held.has(chatKey) || taken.has(chatKey)) return false;
    taken.set(chatKey, order);
    return true;
  }

  /** A loop is done with a chat: hints that came meanwhile are hinted again. */
  function finished(chatKey: string): void {
    taken.delete(chatKey);
    const order = deferred.get(chatKey);
    if (held.has(chatKey) || order === undefined) return;
    deferred.delete(chatKey);
    hint(chatKey, order);
    wake([]);
  }

  /** A hinted chat taken but not claimed goes back, in its place, for any loop. */
  function giveBackHint(chatKey: string): void {
    const order = taken.get(chatKey);
    if (order !== undefined) hint(chatKey, order);
    finished(chatKey);
    wake([]);
  }

  function idle(): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, idleMs);
      function done() {
        clearTimeout(t);
        // Woken by its timer, it leaves the list: a processor that nothing
        // wakes (its own role, or no traffic) kept one per poll, for good.
        wakers = wakers.filter((w) => w !== done);
        resolve();
      }
      wakers.push(done);
    });
  }

  async function candidates(): Promise<string[]> {
    // Chats with pending updates, chats whose replies were left unsent (a
    // crash after commit, or a platform outage) for a while, and chats with a
    // reply left SENDING (its process died mid-send: settled, not re-sent).
    const rows = await query<{ chatKey: string }>(P.sql`
      SELECT c."chatKey", min(c.first) AS first FROM (
        SELECT u."chatKey", min(u.id) AS first
        FROM "InboundUpdate" u WHERE u.status = 'PENDING' GROUP BY u."chatKey"
        UNION ALL
        SELECT o.platform::text || ':' || o."chatId", 0
        FROM "OutboundMessage" o
        WHERE o.purpose = 'reply'
          AND (o.status = 'SENDING' OR (o.status = 'QUEUED' AND o."updatedAt" < now() - make_interval(secs => ${staleReplyMs / 1000})))
      ) c
      LEFT JOIN "ChatLease" l ON l."chatKey" = c."chatKey"
      WHERE l."chatKey" IS NULL OR l.until < now()
      GROUP BY c."chatKey"
      ORDER BY min(c.first)
      LIMIT 16`);
    return rows.map((r) => r.chatKey);
  }

  interface Claimed {
    /** The chat's first pending updates (none when only replies were left to settle). */
    rows: PendingRow[];
    /** Replies of this chat left QUEUED or SENDING: they go out before anything newer. */
    backlog: boolean;
  }

  type ClaimRow = (PendingRow | { [K in keyof PendingRow]: null }) & { previous: string | null; backlog: boolean };

  /**
   * The lease of `chatKey` taken when it is free (or ran out), as CTEs
   * (prev, claimed), and, as a select, the chat's first pending updates with
   * whether replies were left unsent; `when` gates the claim.
   */
  function claimSql(chatKey: string, when: P.Sql): { ctes: P.Sql; select: P.Sql } {
    const { platform, chatId } = splitKey(chatKey);
    return {
      ctes: P.sql`prev AS (SELECT owner FROM "ChatLease" WHERE "chatKey" = ${chatKey}),
      claimed AS (
        INSERT INTO "ChatLease" ("chatKey", owner, until)
        SELECT ${chatKey}, ${owner}, now() + make_interval(secs => ${leaseMs / 1000}) WHERE ${when}
        ON CONFLICT ("chatKey") DO UPDATE SET owner = EXCLUDED.owner, until = EXCLUDED.until
          WHERE "ChatLease".until < now()
        RETURNING 1)`,
      // The LEFT JOIN gives one row of NULLs when nothing is pending.
      select: P.sql`SELECT (SELECT owner FROM prev) AS previous,
        EXISTS (SELECT 1 FROM "OutboundMessage" o
          WHERE o.platform::text = ${platform} AND o."chatId" = ${chatId} AND o.purpose = 'reply' AND o.status IN ('QUEUED', 'SENDING')) AS backlog,
        u.id::text AS id, u.platform, u.payload, u.attempts
      FROM claimed
      LEFT JOIN LATERAL (
        SELECT id, platform::text AS platform, payload, attempts FROM "InboundUpdate"
        WHERE "chatKey" = ${chatKey} AND status = 'PENDING'
        ORDER BY id LIMIT ${BATCH}) u ON true`,
    };
  }

  function claimedOf(rows: readonly ClaimRow[]): Claimed | null {
    const first = rows[0];
    if (!first) return null;
    const previous = first.previous;
    // A lease left to run out (not released, not a pause): its process died or stalled.
    if (previous !== null && previous !== PAUSED && previous !== owner) logger.warn({ from: previous }, "took over a chat whose process stopped renewing its lease");
    return { rows: rows.filter((r): r is ClaimRow & PendingRow => r.id !== null), backlog: first.backlog };
  }

  /** Claims the chat and reads its first pending updates, in one statement; null when another process holds it. */
  async function claim(chatKey: string): Promise<Claimed | null> {
    const c = claimSql(chatKey, P.sql`TRUE`);
    return claimedOf(await query<ClaimRow>(P.sql`WITH ${c.ctes} ${c.select}`));
  }

  /** Keeps the lease for a wait of `ms`, plus the usual lease after it. */
  async function renewFor(chatKey: string, ms: number): Promise<boolean> {
    const rows = await query(P.sql`
      UPDATE "ChatLease" SET until = now() + make_interval(secs => ${(ms + leaseMs) / 1000})
      WHERE "chatKey" = ${chatKey} AND owner = ${owner} RETURNING 1`);
    return rows.length === 1;
  }

  // The heartbeat: one UPDATE renews every chat this process holds. A chat
  // whose lease row is no longer ours was taken over (this process stalled
  // past its lease): its loop stops at the next step.
  const held = new Map<string, number>();
  const lost = new Set<string>();
  let holds = 0;
  let beat: NodeJS.Timeout | undefined;
  let beating = false;

  async function heartbeat(): Promise<void> {
    if (beating || held.size === 0) return;
    beating = true;
    const holding = new Map(held);
    try {
      const kept = await query<{ chatKey: string }>(P.sql`
        UPDATE "ChatLease" SET until = greatest(until, now() + make_interval(secs => ${leaseMs / 1000}))
        WHERE owner = ${owner} AND "chatKey" = ANY(${[...holding.keys()]})
        RETURNING "chatKey"`);
      const ours = new Set(kept.map((r) => r.chatKey));
      // Only for holds that began before this beat: a chat released and
      // claimed again meanwhile is not lost.
      for (const [chatKey, hold] of holding) if (!ours.has(chatKey) && held.get(chatKey) === hold) lost.add(chatKey);
    } catch (err) {
      // The lease may run out meanwhile; the replies' claim keeps that safe.
      logger.warn({ err: errorSummary(err) }, "chat lease renewal failed");
    } finally {
      beating = false;
    }
  }

  function hold(chatKey: string): void {
    held.set(chatKey, ++holds);
    lost.delete(chatKey);
    if (!beat) {
      beat = setInterval(() => void heartbeat(), Math.max(1, Math.floor(leaseMs / 3)));
      beat.unref();
    }
  }

  function unhold(chatKey: string): void {
    held.delete(chatKey);
    lost.delete(chatKey);
    if (held.size === 0 && beat) {
      clearInterval(beat);
      beat = undefined;
    }
  }

  /** Pauses the chat (no process holds it meanwhile). */
  async function holdFor(chatKey: string, ms: number): Promise<void> {
    await query(P.sql`
      UPDATE "ChatLease" SET owner = ${PAUSED}, until = now() + make_interval(secs => ${ms / 1000})
      WHERE "chatKey" = ${chatKey} AND owner = ${owner}`);
  }

  /**
   * Releases the chat when nothing is pending, in the same statement that
   * otherwise reads the next pending updates: an update stored meanwhile is
   * either read here or finds the chat free. With `nextKey`, a chat released
   * claims that one in the same statement (`next`, when it could).
   */
  async function releaseOrNext(chatKey: string, unsettled: Unsettled, nextKey?: string): Promise<{ rows: PendingRow[]; next?: Claimed }> {
    // The records of the replies just delivered go in the same statement.
    const w = compose(unsettled.sent.length > 0 ? [settledWrite(unsettled.sent)] : [], "s");
    const released = P.sql`released AS (
        DELETE FROM "ChatLease" WHERE "chatKey" = ${chatKey} AND owner = ${owner}
          AND NOT EXISTS (SELECT 1 FROM "InboundUpdate" WHERE "chatKey" = ${chatKey} AND status = 'PENDING')
        RETURNING 1)`;
    const pending = P.sql`SELECT id::text AS id, platform::text AS platform, payload, attempts FROM "InboundUpdate"
      WHERE "chatKey" = ${chatKey} AND status = 'PENDING' AND NOT EXISTS (SELECT 1 FROM released)
      ORDER BY id LIMIT ${BATCH}`;
    if (nextKey === undefined) {
      const rows = await query<PendingRow>(P.sql`WITH ${P.join([...w.ctes, released], ", ")} ${pending}`);
      unsettled.written();
      return { rows };
    }
    const c = claimSql(nextKey, P.sql`EXISTS (SELECT 1 FROM released)`);
    let rows: (ClaimRow & { next: boolean })[];
    try {
      rows = await query<ClaimRow & { next: boolean }>(P.sql`
        WITH ${P.join([...w.ctes, released, c.ctes], ", ")},
        mine AS (${pending})
        SELECT false AS next, NULL::text AS previous, false AS backlog, mine.* FROM mine
        UNION ALL
        SELECT true AS next, n.* FROM (${c.select}) n`);
    } catch (err) {
      // Two processes each releasing the chat the other claims lock the two
      // lease rows in opposite orders; PostgreSQL cancels one of them, which
      // changed nothing: released on its own, the next chat is claimed apart.
      if ((err as { code?: unknown }).code !== "40P01") throw err;
      return releaseOrNext(chatKey, unsettled);
    }
    unsettled.written();
    const own = rows.filter((r): r is ClaimRow & PendingRow & { next: boolean } => !r.next && r.id !== null);
    if (own.length > 0) return { rows: own };
    // Not claimed: held elsewhere, or this chat was not released (its lease
    // lost); the caller claims it on its own, as without a handoff.
    return { rows: [], next: claimedOf(rows.filter((r) => r.next)) ?? undefined };
  }

  /**
   * Handles one update; returns its queued replies, or false when it failed
   * and the chat should wait. `direct`: its replies will be sent straight
   * away (nothing older waits), so the first is queued claimed.
   */
  async function handleOne(row: PendingRow, unsettled: Unsettled, direct: boolean): Promise<QueuedReply[] | false> {
    const channel = deps.channels.get(row.platform);
    const log = logger.child({ update: row.id, platform: row.platform });
    const now = deps.clock.now();
    let queued: QueuedReply[] = [];
    try {
      const message = channel?.toInbound(row.payload) ?? null;
      // Typed text, taps and files first without a transaction
      // (db/deferred.ts); what the handler needs more for, in one.
      const light = message !== null && (message.content.type === "text" || message.content.type === "choice" || message.content.type === "file");
      const done = light ? await tryWithoutTransaction(row, message, now, unsettled, direct) : null;
      if (done) {
        log.debug("update handled");
        return done.queued;
      }
      await prisma.$transaction(async (tx) => {
        // The records of the replies before this update go with its DONE mark.
        if (unsettled.sent.length > 0) defer(tx, settledWrite([...unsettled.sent]));
        const replies = message ? await deps.handle(tx, message, now) : [];
        // Marked last, with the replies, in one statement. A second process
        // holding a stale lease waits on the person's state lock, then finds
        // the update done here and rolls back all it did.
        queued = await finish(tx, row.id, now, message, replies, direct);
      });
      unsettled.written();
    } catch (err) {
      if (err instanceof AlreadyHandled) return [];
      const attempts = row.attempts + 1;
      const giveUp = attempts >= maxAttempts;
      log.error({ err: errorSummary(err), attempts }, giveUp ? "update failed for good" : "update failed, will retry");
      await prisma.$executeRaw`
        UPDATE "InboundUpdate" SET attempts = ${attempts}, error = ${errorSummary(err)},
          status = ${giveUp ? "FAILED" : "PENDING"}::"InboundStatus"
        WHERE id = ${BigInt(row.id)} AND status = 'PENDING'`;
      if (!giveUp) return false;
      const message = channel?.toInbound(row.payload);
      return message ? await queueReplies(prisma, row.id, message, [deps.failureReply]).catch(() => []) : [];
    }
    log.debug("update handled");
    return queued;
  }

  /**
   * The optimistic try: the handler reads through lockWriter without a lock
   * and leaves its writes; one statement without a transaction then writes
   * them, marks the update done and queues its replies, only if the person's
   * state is still the version read and the update still pending (both
   * locked by the statement for its length). Null when the message needs a
   * transaction: the handler wanted more, or the state moved meanwhile.
   */
  async function tryWithoutTransaction(row: PendingRow, message: InboundMessage, now: Date, unsettled: Unsettled, direct: boolean): Promise<{ queued: QueuedReply[] } | null> {
    const tx = optimisticTx(query);
    let replies: OutboundMessage[];
    try {
      replies = await deps.handle(tx, message, now);
    } catch (err) {
      if (err instanceof NeedsTransaction) return null;
      throw err;
    }
    const optimistic = optimisticOf(tx);
    const read = optimistic?.guard;
    // Other rows the handler read without a lock (a submission's version):
    // each must still be as read, locked by the statement like the state.
    const also = (optimistic?.unchanged ?? []).map((check, i) => ({ name: P.raw(`"fresh${i + 1}"`), check }));
    // They are checked with the state's; without a state read, in a transaction.
    if (also.length > 0 && !read) return null;
    const fresh = read ? P.join([P.sql`EXISTS (SELECT 1 FROM "fresh")`, ...also.map((a) => P.sql`EXISTS (SELECT 1 FROM ${a.name})`)], " AND ") : P.sql`FALSE`;
    const guard = read ? P.sql`${fresh} AND EXISTS (SELECT 1 FROM "pending")` : P.sql`EXISTS (SELECT 1 FROM "pending")`;
    const w = compose(unsettled.sent.length > 0 ? [settledWrite([...unsettled.sent])] : [], "s");
    const writes = takeDeferred(tx, guard);
    const id = BigInt(row.id);
    const rows = await query<{ pending: number; fresh: number; marked: number; queued: QueuedReply[] } & Record<string, unknown>>(P.sql`
      WITH pending AS MATERIALIZED (SELECT id FROM "InboundUpdate" WHERE id = ${id} AND status = 'PENDING' FOR UPDATE),
      fresh AS MATERIALIZED (
        SELECT 1 FROM "Conversation" WHERE "personId" = ${read?.personId ?? 0} AND version = ${read?.version ?? 0} AND ${read ? P.sql`TRUE` : P.sql`FALSE`}
        FOR UPDATE),
      ${P.join([...also.map((a) => P.sql`${a.name} AS MATERIALIZED (${a.check})`), ...w.ctes, ...writes.ctes, P.empty], ", ")}
      ${repliesCtes(id, now, message, replies, guard, direct)}
      SELECT ${P.join([...w.counts, ...writes.counts, P.empty], ", ")}
        (SELECT count(*) FROM pending)::int AS pending, (${fresh})::int AS fresh,
        (SELECT count(*) FROM done)::int AS marked,
        ${QUEUED_REPLIES}`);
    // The records of the replies sent before went in, whatever else happened.
    unsettled.written();
    const result = rows[0];
    if (!result || result.pending === 0) return { queued: [] }; // handled already (a stale lease's twin)
    if (read && result.fresh === 0) return null; // the state moved: again, in a transaction
    acknowledgeChoice(message);
    return { queued: result.queued };
  }

  /** The DONE mark and the queued replies, as the last CTEs of a final statement. */
  function repliesCtes(id: bigint, now: Date, message: InboundMessage | null, replies: OutboundMessage[], guard: P.Sql, direct: boolean): P.Sql {
    const out = message ? replies : [];
    const keys = out.map((_, i) => `reply:${message?.platform}:${id.toString()}:${i}`);
    const payloads = out.map((r) => JSON.stringify(toJson(r)));
    // Going straight out, the first reply is queued claimed (SENDING, first
    // try), saving its claim; the others are claimed one by one as they go,
    // so a send that stops early leaves them QUEUED, not interrupted.
    const claim = P.sql`${direct}::boolean AND r.n = 1`;
    return P.sql`done AS (
        UPDATE "InboundUpdate" SET status = 'DONE', "processedAt" = ${now}, payload = NULL
        WHERE id = ${id} AND status = 'PENDING' AND ${guard} RETURNING id),
      queued AS (
        INSERT INTO "OutboundMessage" ("dedupKey", purpose, platform, "chatId", "inboundUpdateId", payload, status, attempts, "updatedAt")
        SELECT r.key, 'reply', ${message?.platform ?? "TELEGRAM"}::text::"Platform", ${message?.chatId ?? ""}, done.id, r.payload,
          CASE WHEN ${claim} THEN 'SENDING' ELSE 'QUEUED' END::"OutboundStatus", CASE WHEN ${claim} THEN 1 ELSE 0 END, now()
        FROM done, unnest(${keys}::text[], ${payloads}::jsonb[]) WITH ORDINALITY AS r(key, payload, n)
        ON CONFLICT ("dedupKey") DO NOTHING
        RETURNING id, payload, status = 'SENDING' AS claimed)`;
  }

  /**
   * Marks the update done and queues its replies, with the writes the handler
   * left for the end (db/deferred.ts), in one statement. Throws
   * AlreadyHandled when the update was not pending.
   */
  async function finish(tx: Tx, updateId: string, now: Date, message: InboundMessage | null, replies: OutboundMessage[], direct: boolean): Promise<QueuedReply[]> {
    const writes = takeDeferred(tx);
    const rows = await tx.$queryRaw<({ marked: number; queued: QueuedReply[] } & Record<string, unknown>)[]>`
      WITH ${P.join([...writes.ctes, P.empty], ", ")}
      ${repliesCtes(BigInt(updateId), now, message, replies, P.sql`TRUE`, direct)}
      SELECT ${P.join([...writes.counts, P.empty], ", ")}
        (SELECT count(*) FROM done)::int AS marked,
        ${QUEUED_REPLIES}`;
    const row = rows[0];
    if (row?.marked !== 1) throw new AlreadyHandled();
    writes.check(row);
    acknowledgeChoice(message);
    return row.queued;
  }

  async function queueReplies(tx: Tx | Prisma, updateId: string, message: InboundMessage, replies: OutboundMessage[]): Promise<QueuedReply[]> {
    if (replies.length === 0) return [];
    const rows = await tx.outboundMessage.createManyAndReturn({
      select: { id: true, payload: true },
      data: replies.map((reply, i) => ({
        dedupKey: `reply:${message.platform}:${updateId}:${i}`,
        purpose: "reply",
        platform: message.platform,
        chatId: message.chatId,
        inboundUpdateId: BigInt(updateId),
        payload: toJson(reply),
        status: "QUEUED" as const,
      })),
      skipDuplicates: true,
    });
    acknowledgeChoice(message);
    return rows.sort((a, b) => a.id - b.id);
  }

  function acknowledgeChoice(message: InboundMessage | null): void {
    if (!message?.callbackQueryId) return;
    // Acknowledging a button is cosmetic; it never blocks handling.
    const channel = deps.channels.get(message.platform);
    void channel?.answerChoice?.(message.callbackQueryId).catch(() => undefined);
  }

  /** Where a loop's next chats come from: the hints, or one poll's candidates. */
  interface Source {
    take(): string | undefined;
    /** A chat taken but not claimed, back in its place. */
    giveBack(chatKey: string): void;
  }

  /**
   * When the chat was released: the next chat it took (`key`, undefined when
   * there was none), and its claim when the release made it.
   */
  type After = { released: false } | { released: true; key?: string; claimed?: Claimed };

  /**
   * Handles a claimed chat. When it is released, the chat the source gives
   * next is claimed in the same statement.
   */
  async function processChat(chatKey: string, claimed: Claimed, source: Source): Promise<After> {
    hold(chatKey);
    try {
      return await processHeld(chatKey, claimed, source);
    } finally {
      unhold(chatKey);
      finished(chatKey);
    }
  }

  /** Handles a claimed chat until it is released, paused, or no longer ours. */
  async function processHeld(chatKey: string, claimed: Claimed, source: Source): Promise<After> {
    const { platform, chatId } = splitKey(chatKey);
    // A 429 wait extends the lease first, so the chat stays ours while we wait.
    const deliver = {
      prisma,
      query,
      channels: deps.channels,
      logger,
      clock: deps.clock,
      beforeWait: async (ms: number) => !lost.has(chatKey) && (await renewFor(chatKey, ms)),
    };
    const flush = () => flushReplies(deliver, platform, chatId);
    // Replies sent straight after their transaction are recorded with the
    // next statement of this chat (the next update's, or the release).
    const unsettled = new Unsettled(() => {
      for (const l of handledListeners) l(chatKey);
    });
    const direct = { ...deliver, settleLater: (sent: SentReply) => unsettled.sent.push(sent) };
    try {
      return await handleHeld(chatKey, claimed, source, unsettled, flush, (replies) => sendRows(direct, platform, chatId, replies));
    } finally {
      // Left by a return mid-chat, or a failed statement: recorded on their own.
      for (const sent of unsettled.sent) await settleSent(prisma, sent.id, sent.ids, sent.at).catch(() => undefined);
      unsettled.written();
    }
  }

  async function handleHeld(
    chatKey: string,
    claimed: Claimed,
    source: Source,
    unsettled: Unsettled,
    flush: () => Promise<boolean>,
    send: (replies: QueuedReply[]) => Promise<boolean>,
  ): Promise<After> {
    // Replies left unsent by a crash go out before anything newer.
    let backlog = claimed.backlog && !(await flush());
    let rows = claimed.rows;
    for (;;) {
      if (rows.length === 0) {
        // Taken for this try only: when the chat has more to do, it goes
        // back, so no other chat waits behind this one.
        const nextKey = running || draining ? source.take() : undefined;
        let after: Awaited<ReturnType<typeof releaseOrNext>>;
        try {
          after = await releaseOrNext(chatKey, unsettled, nextKey);
        } catch (err) {
          if (nextKey !== undefined) source.giveBack(nextKey);
          throw err;
        }
        if (after.rows.length === 0) return { released: true, key: nextKey, claimed: after.next };
        if (nextKey !== undefined) source.giveBack(nextKey);
        rows = after.rows;
      }
      for (const row of rows) {
        // Taken over by another process while this one stalled: it carries on.
        if (lost.has(chatKey)) return { released: false };
        const replies = await handleOne(row, unsettled, !backlog);
        if (replies === false) {
          // Keep the chat reserved for a while, so a failing update is not
          // retried in a hot loop and later updates do not overtake it.
          await holdFor(chatKey, retryDelayMs * row.attempts + retryDelayMs);
          return { released: false };
        }
        // Straight from the transaction when nothing older waits; otherwise
        // through the queue, oldest first.
        backlog = !(backlog ? await flush() : await send(replies));
        unsettled.handled();
      }
      rows = [];
    }
  }

  /**
   * One pass: claims and processes chats until none is left. The chats this
   * process stored updates for come first; without them, the candidates
   * query finds the rest. Returns whether work was done.
   */
  async function pass(useHints: boolean): Promise<boolean> {
    let worked = false;
    const polled = useHints && hinted.size > 0 ? undefined : await candidates();
    const source: Source = polled
      ? {
          take() {
            // A candidate another loop has is left to it (the poll saw it before that loop's claim).
            for (let k = polled.shift(); k !== undefined; k = polled.shift()) if (takeIfFree(k, 0)) return k;
            return undefined;
          },
          giveBack(k) {
            finished(k);
            polled.unshift(k);
          },
        }
      : { take: nextHint, giveBack: giveBackHint };
    let chatKey = source.take();
    // Claimed by the previous chat's release (one round trip less per chat).
    let handoff: Claimed | undefined;
    try {
      while (chatKey !== undefined) {
        // A chat claimed already is handled, stopping or not: it is in hand.
        if (handoff === undefined && !running && !draining) break;
        const claimed = handoff ?? (await claim(chatKey));
        handoff = undefined;
        let after: After = { released: false };
        if (claimed) {
          worked = true;
          after = await processChat(chatKey, claimed, source);
        } else finished(chatKey);
        handoff = after.released ? after.claimed : undefined;
        chatKey = after.released ? after.key : source.take();
      }
    } finally {
      // Left by a stop, or by a failed statement: a chat not yet claimed goes
      // back for the next pass. One claimed stays leased to this process
      // until its lease runs out, then a poll (of any process) takes it.
      if (chatKey !== undefined) source.giveBack(chatKey);
    }
    return worked;
  }

  let draining = false;

  async function loop(): Promise<void> {
    // After the hinted chats, a loop waits for the next wake (or its poll)
    // rather than asking for candidates after every message.
    let poll = true;
    while (running) {
      try {
        if (hinted.size > 0) {
          await pass(true);
          poll = false;
        } else if (poll) {
          if (!(await pass(false))) await idle();
        } else {
          await idle();
          poll = hinted.size === 0;
        }
      } catch (err) {
        logger.error({ err: errorSummary(err) }, "update processor error; retrying");
        await idle();
      }
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loops = Array.from({ length: concurrency }, () => loop());
    },
    wake,
    onHandled(listener) {
      handledListeners.add(listener);
      return () => handledListeners.delete(listener);
    },
    async stop() {
      running = false;
      wake();
      await Promise.all(loops);
      loops = [];
    },
    async drain() {
      draining = true;
      try {
        while (await pass(true)) {
          /* keep going until a pass finds nothing */
        }
      } finally {
        draining = false;
      }
    },
  };
}

export function errorSummary(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`.slice(0, 500);
  return String(err).slice(0, 500);
}

function toJson(message: OutboundMessage): object {
  // Files are not stored in the outbox row; they are rendered again on retry.
  const { file, ...rest } = message;
  return file ? { ...rest, file: { fileName: file.fileName, mimeType: file.mimeType, data: Buffer.from(file.data).toString("base64") } } : rest;
}
