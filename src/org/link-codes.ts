// A linked person's own code for a second app: /lienket on Zalo gives a code
// to send as /start CODE on Telegram, or the other way round. Office codes
// are issued once, to people not yet linked; this one is for someone already
// known, asked for in their own chat.
import type { Tx } from "../db/database.ts";
import { generateInvitationCode } from "./invitations.ts";

/** Long enough to switch apps at leisure, short enough that a code left in a chat goes stale. */
export const LINK_CODE_TTL_MS = 24 * 3_600_000;

export async function issueLinkCode(tx: Tx, personId: number, now: Date): Promise<{ code: string; expiresAt: Date }> {
  // One valid code at a time: asking again withdraws the earlier one.
  await tx.invitation.updateMany({ where: { personId, usedAt: null, revokedAt: null }, data: { revokedAt: now } });
  let code = generateInvitationCode();
  while (await tx.invitation.findUnique({ where: { code }, select: { id: true } })) code = generateInvitationCode();
  const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MS);
  await tx.invitation.create({ data: { personId, code, expiresAt, createdAt: now }, select: { id: true } });
  await tx.auditLog.create({ data: { at: now, actorId: personId, action: "identity.link_code_issued" }, select: { id: true } });
  return { code, expiresAt };
}
