// Invitation codes link a chat account (Zalo, Telegram) to a person. The
// office hands each official a code; the official sends `/start CODE`.
import { randomInt } from "node:crypto";
import type { Platform, Role } from "../db/generated/client.ts";
import type { Prisma, Tx } from "../db/database.ts";
import { accountThrottled, platformBusy } from "./link-throttle.ts";

/** No 0/O, 1/I/L: codes are read aloud and typed on phones. */
export const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const CODE_LENGTH = 8;
export const DEFAULT_INVITATION_TTL_DAYS = 14;

export function generateInvitationCode(): string {
  for (;;) {
    let code = "";
    for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET.charAt(randomInt(CODE_ALPHABET.length));
    // Excel would read "12345678" or "2E345678" as a number in the CSV export.
    if (!/^\d+(E\d+)?$/.test(code)) return code;
  }
}

/** "k7pm-4qxd " → "K7PM4QXD" */
export function normaliseCode(raw: string): string {
  return raw.normalize("NFC").toUpperCase().replace(/[\s\-‐-―]/g, "");
}

export interface IssuedInvitation {
  personId: number;
  code: string;
  expiresAt: Date;
  /** false when an earlier, still valid invitation was kept. */
  created: boolean;
}

/**
 * Gives every active person without a linked chat account a usable
 * invitation: the existing one when it is unused, unrevoked and unexpired,
 * otherwise a new one. Invitations of inactive people are revoked.
 */
export async function ensureInvitations(tx: Tx, opts: { now: Date; ttlDays: number }): Promise<IssuedInvitation[]> {
  const { now, ttlDays } = opts;
  await tx.invitation.updateMany({
    where: { usedAt: null, revokedAt: null, person: { active: false } },
    data: { revokedAt: now },
  });
  const people = await tx.person.findMany({
    where: { active: true, identities: { none: {} } },
    select: {
      id: true,
      invitations: {
        where: { usedAt: null, revokedAt: null, expiresAt: { gt: now } },
        select: { code: true, expiresAt: true },
        orderBy: { expiresAt: "desc" },
        take: 1,
      },
    },
    orderBy: { id: "asc" },
  });
  const out: IssuedInvitation[] = [];
  for (const p of people) {
    const [valid] = p.invitations;
    if (valid) {
      out.push({ personId: p.id, code: valid.code, expiresAt: valid.expiresAt, created: false });
      continue;
    }
    const expiresAt = new Date(now.getTime() + ttlDays * 86_400_000);
    const code = await unusedCode(tx);
    await tx.invitation.create({ data: { personId: p.id, code, expiresAt, createdAt: now }, select: { id: true } });
    out.push({ personId: p.id, code, expiresAt, created: true });
  }
  return out;
}

async function unusedCode(tx: Tx): Promise<string> {
  // A collision is very unlikely (31^8 codes) but would abort the whole
  // import transaction, so check first.
  for (;;) {
    const code = generateInvitationCode();
    const taken = await tx.invitation.findUnique({ where: { code }, select: { id: true } });
    if (!taken) return code;
  }
}

// ───────── Redeeming ─────────

export interface RedeemInput {
  platform: Platform;
  externalId: string;
  chatId: string;
  displayName?: string;
  code: string;
  now: Date;
}

/**
 * Why a code was refused. A stranger's reply must not tell "invalid", "used"
 * and "expired" apart (src/bot/link-replies.ts); they stay apart here for
 * tests and logs. "busy": the platform-wide limit, before any lookup.
 * "linked_to_other": the account is linked and the code is not its person's
 * (whether it exists or not).
 */
export type RedeemFailure = "invalid" | "used" | "expired" | "throttled" | "busy" | "already_linked" | "linked_to_other";

export type RedeemResult =
  | { ok: true; person: { id: number; fullName: string }; units: { name: string; role: Role }[] }
  | { ok: false; reason: RedeemFailure };

class ClaimLost extends Error {}

/**
 * Works with the client or inside the caller's transaction (the bot
 * handles each update in one). With the client, the claim runs in a
 * transaction of its own.
 */
export async function redeemInvitation(db: Prisma | Tx, input: RedeemInput): Promise<RedeemResult> {
  const { platform, externalId, now } = input;
  const record = (success: boolean) =>
    db.linkAttempt.create({ data: { platform, externalId, success, at: now }, select: { id: true } });

  if (await accountThrottled(db, platform, externalId, now)) {
    await record(false);
    return { ok: false, reason: "throttled" };
  }

  const outcome = await attempt(db, input);
  await record(outcome.ok);
  return outcome;
}

async function attempt(db: Prisma | Tx, input: RedeemInput): Promise<RedeemResult> {
  const { platform, externalId, chatId, now } = input;
  const code = normaliseCode(input.code);
  // A linked account learns one thing only: whether the code is its own
  // person's (following the deep link a second time). Nothing about others'.
  const existing = await db.chatIdentity.findUnique({
    where: { platform_externalId: { platform, externalId } },
    select: { personId: true, person: { select: { active: true } } },
  });
  if (existing) {
    const own =
      existing.person.active && code.length === CODE_LENGTH && (await db.invitation.count({ where: { code, personId: existing.personId } })) > 0;
    return { ok: false, reason: own ? "already_linked" : "linked_to_other" };
  }
  // A code that cannot exist is refused without a lookup, so it probes
  // nothing and needs no platform-wide limit.
  if (code.length !== CODE_LENGTH) return { ok: false, reason: "invalid" };
  if (await platformBusy(db, platform, now)) return { ok: false, reason: "busy" };
  const invitation = await db.invitation.findUnique({
    where: { code },
    select: { id: true, personId: true, usedAt: true, revokedAt: true, expiresAt: true, person: { select: { active: true } } },
  });
  if (!invitation || invitation.revokedAt !== null || !invitation.person.active) return { ok: false, reason: "invalid" };
  if (invitation.usedAt !== null) return { ok: false, reason: await usedBy(db, input, invitation.personId) };
  if (invitation.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };

  const claim = async (tx: Tx) => {
    // The claim comes first and writes nothing unless it wins: only one
    // transaction can move usedAt from null; a concurrent one waits on the
    // row lock, re-checks the condition and updates 0 rows.
    const claimed = await tx.invitation.updateMany({
      where: { id: invitation.id, usedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (claimed.count !== 1) throw new ClaimLost();
    const identity = await tx.chatIdentity.create({
      data: { personId: invitation.personId, platform, externalId, chatId, displayName: input.displayName ?? null, linkedAt: now },
      select: { id: true },
    });
    await tx.invitation.update({ where: { id: invitation.id }, data: { usedByIdentityId: identity.id }, select: { id: true } });
    await tx.auditLog.create({
      data: {
        at: now,
        actorId: invitation.personId,
        action: "identity.linked",
        entityType: "ChatIdentity",
        entityId: String(identity.id),
        details: { platform, invitationId: invitation.id },
      },
      select: { id: true },
    });
  };

  const ownTransaction = "$transaction" in db;
  try {
    if ("$transaction" in db) await db.$transaction(claim);
    else await claim(db);
  } catch (err) {
    // Lost a race. When this very account won it (the same /start sent
    // twice), say so rather than "used". Inside the caller's transaction a
    // failed insert has aborted it, so that error must go up; the caller
    // retries and then sees "already_linked".
    if (err instanceof ClaimLost || (ownTransaction && isUniqueViolation(err))) {
      const reason = await usedBy(db, input, invitation.personId);
      if (err instanceof ClaimLost || reason !== "used") return { ok: false, reason };
    }
    throw err;
  }

  const person = await db.person.findUniqueOrThrow({
    where: { id: invitation.personId },
    select: {
      id: true,
      fullName: true,
      memberships: {
        where: { unit: { active: true } },
        select: { role: true, unit: { select: { name: true } } },
        orderBy: [{ unitId: "asc" }, { role: "asc" }],
      },
    },
  });
  return {
    ok: true,
    person: { id: person.id, fullName: person.fullName },
    units: person.memberships.map((m) => ({ name: m.unit.name, role: m.role })),
  };
}

/**
 * A used code, said from this account's side: the same /start sent twice
 * can find the code used by its own twin that committed a moment earlier.
 */
async function usedBy(db: Prisma | Tx, input: RedeemInput, personId: number): Promise<RedeemFailure> {
  const linked = await db.chatIdentity.findUnique({
    where: { platform_externalId: { platform: input.platform, externalId: input.externalId } },
    select: { personId: true },
  });
  if (!linked) return "used";
  return linked.personId === personId ? "already_linked" : "linked_to_other";
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && "code" in err && err.code === "P2002";
}

// ───────── Who is writing ─────────

export interface KnownIdentity {
  personId: number;
  fullName: string;
  roles: { unitId: number; unitName: string; role: Role }[];
}

/** The active person behind a chat account, or null when not linked. */
export async function findIdentity(prisma: Prisma | Tx, platform: Platform, externalId: string): Promise<KnownIdentity | null> {
  const identity = await prisma.chatIdentity.findUnique({
    where: { platform_externalId: { platform, externalId } },
    select: {
      person: {
        select: {
          id: true,
          fullName: true,
          active: true,
          memberships: {
            where: { unit: { active: true } },
            select: { role: true, unit: { select: { id: true, name: true } } },
            orderBy: [{ unitId: "asc" }, { role: "asc" }],
          },
        },
      },
    },
  });
  if (!identity?.person.active) return null;
  const p = identity.person;
  return {
    personId: p.id,
    fullName: p.fullName,
    roles: p.memberships.map((m) => ({ unitId: m.unit.id, unitName: m.unit.name, role: m.role })),
  };
}
