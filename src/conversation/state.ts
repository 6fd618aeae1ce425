// A person's place in the conversation, stored per person (not per chat) and
// locked for the length of one message's transaction, so two channels of
// one person never interleave.
import { z } from "zod";
import type { Tx } from "../db/database.ts";
import { Prisma as P, type Platform } from "../db/generated/client.ts";
import { NeedsTransaction, optimisticOf, runWrite, type WriteOf } from "../db/deferred.ts";
import type { KnownIdentity } from "../org/invitations.ts";
import { filingRow, toFiling, type Filing, type FilingRow } from "./assignment.ts";

// Aliases are the words the review tells people to type ("gửi", "sửa"): kept with the menu.
const menu = z.array(z.object({ value: z.string(), label: z.string(), aliases: z.array(z.string()).optional() })).optional();

const report = { submissionId: z.number().int(), assignmentId: z.number().int() };

export const conversationState = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("idle"), menu }),
  /** `picked`: the options tapped so far on a select_multiple question, until "Xong". */
  z.object({ mode: z.literal("filling"), ...report, stepId: z.string(), returnToReview: z.boolean().optional(), menu, picked: z.array(z.number().int()).optional() }),
  /** `shown`: the answer paths in the order the review numbered them, so "sửa 5" means what the official saw. */
  z.object({ mode: z.literal("review"), ...report, menu, shown: z.array(z.string()).optional() }),
  z.object({ mode: z.literal("pick-edit"), ...report, shown: z.array(z.string()).optional() }),
  z.object({ mode: z.literal("confirm-cancel"), ...report, menu }),
  /** A committee member's guided command (e.g. an ad hoc request); its data belongs to that command. */
  z.object({ mode: z.literal("committee"), flow: z.string(), data: z.json(), menu }),
]);

export type ConversationState = z.infer<typeof conversationState>;

export const idle: ConversationState = { mode: "idle" };

/** Reads and locks the person's state; a broken or missing state reads as idle. */
export async function lockState(tx: Tx, personId: number): Promise<ConversationState> {
  // One statement creates the row when missing and locks it either way
  // (ON CONFLICT DO UPDATE takes the row lock) until the transaction ends.
  const rows = await tx.$queryRaw<{ state: unknown }[]>`
    INSERT INTO "Conversation" ("personId", state, version, "updatedAt")
    VALUES (${personId}, '{"mode":"idle"}'::jsonb, 0, now())
    ON CONFLICT ("personId") DO UPDATE SET "personId" = EXCLUDED."personId"
    RETURNING state`;
  const parsed = conversationState.safeParse(rows[0]?.state);
  return parsed.success ? parsed.data : idle;
}

export interface Writer {
  identity: KnownIdentity;
  state: ConversationState;
  /** The report in hand, when the state has one: read in the same statement. */
  filing: Filing | null;
}

/**
 * Who writes from a chat account (the active person, with their roles in
 * active units) and their conversation state, locked as lockState does: one
 * statement, since every message of a linked person needs both. Null when
 * the account is not linked to an active person.
 */
export async function lockWriter(tx: Tx, platform: Platform, externalId: string): Promise<Writer | null> {
  const inHand = (key: string) => P.sql`CASE WHEN jsonb_typeof(l.state -> ${key}) = 'number' THEN (l.state ->> ${key})::int END`;
  // The optimistic try (db/deferred.ts) reads without a lock, straight from
  // the pool; the final statement then checks that the version still holds.
  const try1 = optimisticOf(tx);
  const locked = try1
    ? P.sql`SELECT state, version FROM "Conversation" WHERE "personId" = (SELECT id FROM who)`
    : P.sql`INSERT INTO "Conversation" ("personId", state, version, "updatedAt")
      SELECT id, '{"mode":"idle"}'::jsonb, 0, now() FROM who
      ON CONFLICT ("personId") DO UPDATE SET "personId" = EXCLUDED."personId"
      RETURNING state, version`;
  const sql = P.sql`
    WITH who AS (
      SELECT p.id, p."fullName" FROM "ChatIdentity" c JOIN "Person" p ON p.id = c."personId"
      WHERE c.platform = ${platform}::"Platform" AND c."externalId" = ${externalId} AND p.active),
    locked AS (${locked})
    SELECT who.id AS "personId", who."fullName",
      coalesce((SELECT json_agg(json_build_object('unitId', u.id, 'unitName', u.name, 'role', m.role) ORDER BY m."unitId", m.role)
        FROM "Membership" m JOIN "Unit" u ON u.id = m."unitId" AND u.active
        WHERE m."personId" = who.id), '[]'::json) AS roles,
      l.state, l.version,
      -- The statement's snapshot predates a wait for the lock: what it read
      -- of the draft holds only if the state did not move meanwhile.
      l.version IS NOT DISTINCT FROM (SELECT c.version FROM "Conversation" c WHERE c."personId" = who.id) AS fresh,
      (SELECT row_to_json(f) FROM (${filingRow(P.sql`who.id`, inHand("assignmentId"), inHand("submissionId"))}) f) AS filing
    FROM who LEFT JOIN locked l ON true`;
  type Row = { personId: number; fullName: string; roles: KnownIdentity["roles"]; state: unknown; version: number | null; fresh: boolean; filing: FilingRow | null };
  const rows = try1 ? await try1.run<Row>(sql) : await tx.$queryRaw<Row[]>(sql);
  const row = rows[0];
  if (!row) return null;
  if (try1) {
    // A person's first message makes their state row: in a transaction.
    if (row.version === null) throw new NeedsTransaction();
    try1.guard = { personId: row.personId, version: row.version };
  }
  const parsed = conversationState.safeParse(row.state);
  const state = parsed.success ? parsed.data : idle;
  return {
    identity: { personId: row.personId, fullName: row.fullName, roles: row.roles },
    state,
    filing: row.filing && row.fresh && "assignmentId" in state ? await toFiling(tx, row.filing) : null,
  };
}

export async function saveState(tx: Tx, personId: number, state: ConversationState): Promise<void> {
  await runWrite(tx, stateWrite(personId, state));
}

export function stateWrite(personId: number, state: ConversationState): WriteOf {
  return (name, guard) => ({
    what: `Conversation of person ${personId}`,
    atLeast: 1,
    ctes: [
      [
        name("state"),
        P.sql`UPDATE "Conversation" SET state = ${JSON.stringify(state)}::jsonb, version = version + 1, "updatedAt" = now()
          WHERE "personId" = ${personId} AND ${guard} RETURNING 1`,
      ],
    ],
  });
}
