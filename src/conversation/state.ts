// A person's place in the conversation, stored per person (not per chat) and
// locked for the length of one message's transaction, so two channels of
// one person never interleave.
import { z } from "zod";
import type { Tx } from "../db/database.ts";

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

export async function saveState(tx: Tx, personId: number, state: ConversationState): Promise<void> {
  await tx.conversation.update({
    where: { personId },
    data: { state, version: { increment: 1 } },
    select: { personId: true },
  });
}
