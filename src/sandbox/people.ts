// Who the sandbox page can speak as: every active person of the organisation,
// each with a chat of their own ("p<id>") linked to them, so a clock jump's
// reminders reach everyone and the page can switch between them.
import type { Prisma } from "../db/database.ts";
import type { Role } from "../db/generated/client.ts";

export const personChat = (personId: number) => `p${personId}`;

/** The person whose own chat this is ("p12" → 12), or null for any other chat. */
export function personOfChat(chat: string): number | null {
  const m = /^p(\d{1,9})$/.exec(chat);
  return m ? Number(m[1]) : null;
}

export interface SandboxPerson {
  id: number;
  code: string;
  name: string;
  position: string | null;
  chat: string;
  roles: { role: Role; unit: string }[];
  /** An unused invitation, for trying `/start CODE` from the visitor chat. */
  invitation: string | null;
}

/** Links every active person to their sandbox chat; returns how many were new. */
export async function linkEveryone(prisma: Prisma, now: Date): Promise<number> {
  const people = await prisma.person.findMany({
    where: { active: true, identities: { none: { platform: "SANDBOX", externalId: { startsWith: "p" } } } },
    select: { id: true },
  });
  if (people.length === 0) return 0;
  const created = await prisma.chatIdentity.createMany({
    data: people.map((p) => ({ personId: p.id, platform: "SANDBOX" as const, externalId: personChat(p.id), chatId: personChat(p.id), linkedAt: now })),
    skipDuplicates: true,
  });
  if (created.count > 0) await prisma.auditLog.create({ data: { at: now, action: "sandbox.linked", details: { people: created.count } }, select: { id: true } });
  return created.count;
}

export async function listPeople(prisma: Prisma, now: Date): Promise<SandboxPerson[]> {
  const rows = await prisma.person.findMany({
    where: { active: true },
    select: {
      id: true,
      code: true,
      fullName: true,
      position: true,
      memberships: { where: { unit: { active: true } }, select: { role: true, unit: { select: { name: true } } }, orderBy: [{ role: "asc" }, { unitId: "asc" }] },
      invitations: { where: { usedAt: null, revokedAt: null, expiresAt: { gt: now } }, select: { code: true }, take: 1 },
    },
    orderBy: { id: "asc" },
  });
  return rows.map((p) => ({
    id: p.id,
    code: p.code,
    name: p.fullName,
    position: p.position,
    chat: personChat(p.id),
    roles: p.memberships.map((m) => ({ role: m.role, unit: m.unit.name })),
    invitation: p.invitations[0]?.code ?? null,
  }));
}

const PAUSED = "sandbox_off";

/**
 * With the sandbox off its chats reach nobody (no process sends to them), so
 * they are marked blocked, which planners skip, and what waited for them is
 * settled. A database tried in the sandbox and then used with a real bot
 * thus keeps no messages queued forever. Returns how many chats it paused.
 */
export async function pauseSandboxChats(prisma: Prisma, now: Date): Promise<number> {
  const paused = await prisma.chatIdentity.updateMany({ where: { platform: "SANDBOX", blockedAt: null }, data: { blockedAt: now, blockReason: PAUSED } });
  await prisma.outboundMessage.updateMany({ where: { platform: "SANDBOX", status: { in: ["PLANNED", "QUEUED"] } }, data: { status: "SKIPPED", reason: PAUSED } });
  return paused.count;
}

/** The sandbox is on again: its chats receive messages again. */
export async function resumeSandboxChats(prisma: Prisma): Promise<void> {
  await prisma.chatIdentity.updateMany({ where: { platform: "SANDBOX", blockReason: PAUSED }, data: { blockedAt: null, blockReason: null } });
}
