// Who may look at what: a committee member or the office sees the subtree
// of each unit where they hold that role; nobody else sees anything here.
import type { Prisma, Tx } from "../db/database.ts";

export const COMMITTEE_ROLES = ["COMMITTEE_MEMBER", "OFFICE"] as const;

export interface CommitteeScope {
  /** Roots of the subtrees the person sees; none is inside another. */
  unitIds: number[];
  /** Holds the OFFICE role on at least one of them. */
  isOffice: boolean;
}

/** The person's committee subtrees, or null when they hold no committee role (or are inactive). */
export async function committeeScope(db: Prisma | Tx, personId: number): Promise<CommitteeScope | null> {
  const rows = await db.membership.findMany({
    where: { personId, role: { in: [...COMMITTEE_ROLES] }, person: { active: true }, unit: { active: true } },
    select: { unitId: true, role: true },
  });
  if (rows.length === 0) return null;
  const ids = [...new Set(rows.map((r) => r.unitId))];
  // A root under another root adds nothing and would count its units twice.
  const nested = await db.unitClosure.findMany({
    where: { descendantId: { in: ids }, ancestorId: { in: ids }, depth: { gt: 0 } },
    select: { descendantId: true },
  });
  const inner = new Set(nested.map((n) => n.descendantId));
  return { unitIds: ids.filter((id) => !inner.has(id)).sort((a, b) => a - b), isOffice: rows.some((r) => r.role === "OFFICE") };
}

export async function inScope(db: Prisma | Tx, scope: CommitteeScope, unitId: number): Promise<boolean> {
  const n = await db.unitClosure.count({ where: { descendantId: unitId, ancestorId: { in: scope.unitIds } } });
  return n > 0;
}

/** One row per use of a committee command: who, which command, the arguments (never other message text). */
export async function auditUse(
  tx: Tx,
  input: { personId: number; command: string; args: string; now: Date; refused?: string },
): Promise<void> {
  await tx.auditLog.create({
    data: {
      at: input.now,
      actorId: input.personId,
      action: `committee.${input.command}`,
      details: { args: input.args, ...(input.refused === undefined ? {} : { refused: input.refused }) },
    },
    select: { id: true },
  });
}
