// Sign-in to the web console without passwords: /dangnhap in chat makes a
// one-time link (10 minutes), opening it makes a session (a cookie). Only
// SHA-256 hashes of the tokens are stored, so a copy of the database signs
// nobody in. Who may sign in is decided here, by the committee roles, never
// by the web layer.
import { createHash, randomBytes } from "node:crypto";
import type { Prisma, Tx } from "../db/database.ts";
import { secretMatches } from "../channels/shared/secret.ts";
import { committeeScope, type CommitteeScope } from "../committee/scope.ts";

export const LOGIN_TTL_MS = 10 * 60_000;
/** Far longer than any real token: junk is refused before a query. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const newToken = () => randomBytes(32).toString("base64url");
export const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");
export const isTokenShaped = (token: string) => TOKEN.test(token);

export interface ConsolePerson {
  id: number;
  fullName: string;
  scope: CommitteeScope;
}

/** A fresh sign-in link's token, or null when the person may not use the console. */
export async function createLogin(tx: Tx, personId: number, now: Date): Promise<{ token: string; expiresAt: Date } | null> {
  if (!(await committeeScope(tx, personId))) return null;
  const token = newToken();
  const expiresAt = new Date(now.getTime() + LOGIN_TTL_MS);
  await tx.consoleLogin.create({ data: { tokenHash: tokenHash(token), personId, createdAt: now, expiresAt }, select: { id: true } });
  await audit(tx, personId, "console.login-link", now);
  return { token, expiresAt };
}

export type LoginCheck = { ok: true; fullName: string } | { ok: false; reason: "unknown" | "used" | "expired" };

/** Whether a link still works, without using it (the page that asks to confirm). */
export async function checkLogin(db: Prisma, token: string, now: Date): Promise<LoginCheck> {
  if (!isTokenShaped(token)) return { ok: false, reason: "unknown" };
  const row = await db.consoleLogin.findUnique({ where: { tokenHash: tokenHash(token) }, select: { usedAt: true, expiresAt: true, person: { select: { fullName: true } } } });
  if (!row) return { ok: false, reason: "unknown" };
  if (row.usedAt) return { ok: false, reason: "used" };
  if (row.expiresAt <= now) return { ok: false, reason: "expired" };
  return { ok: true, fullName: row.person.fullName };
}

export type Redeemed = { ok: true; session: string; csrf: string; expiresAt: Date } | { ok: false; reason: "unknown" | "used" | "expired" | "no-role" };

/**
 * Uses a link once: the row is marked used by the same statement that
 * checks it, so two browsers racing for one link get one session between them.
 */
export async function redeemLogin(db: Prisma, token: string, now: Date, sessionMs: number, userAgent: string | undefined): Promise<Redeemed> {
  if (!isTokenShaped(token)) return { ok: false, reason: "unknown" };
  const hash = tokenHash(token);
  return db.$transaction(async (tx) => {
    const taken = await tx.consoleLogin.updateManyAndReturn({
      where: { tokenHash: hash, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
      select: { personId: true },
    });
    const personId = taken[0]?.personId;
    if (personId === undefined) {
      const row = await tx.consoleLogin.findUnique({ where: { tokenHash: hash }, select: { usedAt: true } });
      return { ok: false, reason: !row ? "unknown" : row.usedAt ? "used" : "expired" };
    }
    // A role taken away between the link and the click counts.
    if (!(await committeeScope(tx, personId))) return { ok: false, reason: "no-role" };
    const session = newToken();
    const csrf = newToken();
    const expiresAt = new Date(now.getTime() + sessionMs);
    await tx.consoleSession.create({
      data: { tokenHash: tokenHash(session), csrfToken: csrf, personId, createdAt: now, expiresAt, userAgent: userAgent?.slice(0, 300) ?? null },
      select: { id: true },
    });
    await audit(tx, personId, "console.sign-in", now);
    return { ok: true, session, csrf, expiresAt };
  });
}

export interface Session {
  id: number;
  csrf: string;
  person: ConsolePerson;
}

/** The session behind a cookie, with the person's committee scope as it is now; null when none holds. */
export async function loadSession(db: Prisma, token: string | undefined, now: Date): Promise<Session | null> {
  if (token === undefined || !isTokenShaped(token)) return null;
  const row = await db.consoleSession.findUnique({
    where: { tokenHash: tokenHash(token) },
    select: { id: true, csrfToken: true, expiresAt: true, revokedAt: true, person: { select: { id: true, fullName: true, active: true } } },
  });
  if (!row || row.revokedAt || row.expiresAt <= now || !row.person.active) return null;
  const scope = await committeeScope(db, row.person.id);
  if (!scope) return null;
  return { id: row.id, csrf: row.csrfToken, person: { id: row.person.id, fullName: row.person.fullName, scope } };
}

export const csrfMatches = (session: Session, given: string | undefined) => secretMatches(given, session.csrf);

/** Signs out this browser. */
export async function endSession(db: Prisma, session: Session, now: Date): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.consoleSession.update({ where: { id: session.id }, data: { revokedAt: now }, select: { id: true } });
    await audit(tx, session.person.id, "console.sign-out", now);
  });
}

/** Signs the person out everywhere (/dangxuat): every session and every unused link. */
export async function endAllSessions(tx: Tx, personId: number, now: Date): Promise<number> {
  const ended = await tx.consoleSession.updateMany({ where: { personId, revokedAt: null, expiresAt: { gt: now } }, data: { revokedAt: now } });
  await tx.consoleLogin.updateMany({ where: { personId, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });
  await audit(tx, personId, "console.sign-out-everywhere", now, { sessions: ended.count });
  return ended.count;
}

/** One audit row per console action: who, what, on which entity; never a token or a text typed. */
export async function audit(
  tx: Tx | Prisma,
  personId: number,
  action: string,
  now: Date,
  details?: Record<string, string | number | boolean | null>,
  entity?: { type: string; id: string | number },
): Promise<void> {
  await tx.auditLog.create({
    data: { at: now, actorId: personId, action, ...(entity && { entityType: entity.type, entityId: String(entity.id) }), ...(details && { details }) },
    select: { id: true },
  });
}

/** Rows kept a day past their end (for the audit's sake they say little more); then gone. */
const KEEP_ENDED_MS = 86_400_000;

/** Deletes sign-in links and sessions that ended more than a day ago; run by the maintenance sweep. */
export async function pruneConsole(db: Prisma, now: Date): Promise<number> {
  const before = new Date(now.getTime() - KEEP_ENDED_MS);
  const links = await db.consoleLogin.deleteMany({ where: { expiresAt: { lt: before } } });
  const sessions = await db.consoleSession.deleteMany({ where: { OR: [{ expiresAt: { lt: before } }, { revokedAt: { lt: before } }] } });
  return links.count + sessions.count;
}
