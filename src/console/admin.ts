// Who may change what the whole organisation shares (the organisation file,
// the holiday table, settings, the queues): the office (OFFICE) of a top
// unit. A subtree's office sees its subtree only, as in chat.
import type { Prisma, Tx } from "../db/database.ts";

export async function isOrgAdmin(db: Prisma | Tx, personId: number): Promise<boolean> {
  const n = await db.membership.count({ where: { personId, role: "OFFICE", person: { active: true }, unit: { active: true, parentId: null } } });
  return n > 0;
}
