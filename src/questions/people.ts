// Who stands where around a question. Decided here, in the domain, for every
// channel and every command:
// - answerers send the answer: a unit's HEAD members; the named person; a
//   body's chair (all its members when none is marked chair); the office's
//   OFFICE people;
// - the told are answerers plus those who should know: the heads' deputies,
//   the body's members;
// - the drafter is a colleague an answerer let draft (/giaosoan);
// - the addressee's heads are chased after the deadline: a unit's heads, a
//   person's heads in their units, a body's chair;
// - the watchers see it: the asker (and the office person who typed it), the
//   committee's office and standing board, and, when the committee's setting
//   says so, every member of the committee.
import type { Prisma, Tx } from "../db/database.ts";
import type { Prisma as P } from "../db/generated/client.ts";
import { loadQuestionSettings } from "./settings.ts";

export interface QuestionParties {
  committeeId: number;
  askedById: number;
  enteredById: number | null;
  targetUnitId: number | null;
  targetPersonId: number | null;
  targetBodyId: number | null;
  drafterId: number | null;
}

export const partiesSelect = {
  committeeId: true,
  askedById: true,
  enteredById: true,
  targetUnitId: true,
  targetPersonId: true,
  targetBodyId: true,
  drafterId: true,
} as const;

type Db = Prisma | Tx;

async function activeMembers(db: Db, unitIds: number[], roles: ("HEAD" | "OFFICE" | "COMMITTEE_MEMBER" | "REPORTER")[]): Promise<number[]> {
  if (unitIds.length === 0) return [];
  const rows = await db.membership.findMany({
    where: { unitId: { in: unitIds }, role: { in: roles }, person: { active: true }, unit: { active: true } },
    select: { personId: true },
    orderBy: { personId: "asc" },
  });
  return [...new Set(rows.map((r) => r.personId))];
}

async function bodyOf(db: Db, bodyId: number) {
  return db.committeeBody.findUnique({
    where: { id: bodyId },
    select: { kind: true, committeeId: true, members: { where: { person: { active: true } }, select: { personId: true, chair: true }, orderBy: { personId: "asc" } } },
  });
}

/** The people who may send the answer. */
export async function answerers(db: Db, q: QuestionParties): Promise<number[]> {
  if (q.targetPersonId !== null) {
    const p = await db.person.findUnique({ where: { id: q.targetPersonId }, select: { active: true } });
    return p?.active ? [q.targetPersonId] : [];
  }
  if (q.targetUnitId !== null) return activeMembers(db, [q.targetUnitId], ["HEAD"]);
  if (q.targetBodyId === null) return [];
  const body = await bodyOf(db, q.targetBodyId);
  if (!body) return [];
  if (body.kind === "OFFICE") return activeMembers(db, [body.committeeId], ["OFFICE"]);
  const chairs = body.members.filter((m) => m.chair).map((m) => m.personId);
  return chairs.length > 0 ? chairs : body.members.map((m) => m.personId);
}

/** Answerers and those told with them: the heads' deputies, a body's members. */
export async function told(db: Db, q: QuestionParties): Promise<number[]> {
  const senders = await answerers(db, q);
  const more: number[] = [];
  if (q.targetUnitId !== null && senders.length > 0) {
    const deputies = await db.person.findMany({ where: { deputyFor: { some: { id: { in: senders } } }, active: true }, select: { id: true } });
    more.push(...deputies.map((d) => d.id));
  }
  if (q.targetBodyId !== null) {
    const body = await bodyOf(db, q.targetBodyId);
    more.push(...(body?.members.map((m) => m.personId) ?? []));
  }
  return [...new Set([...senders, ...more])];
}

/** Those chased after the deadline, before the office. */
export async function addresseeHeads(db: Db, q: QuestionParties): Promise<number[]> {
  if (q.targetPersonId !== null) {
    const units = await db.membership.findMany({ where: { personId: q.targetPersonId, unit: { active: true } }, select: { unitId: true } });
    const heads = await activeMembers(db, [...new Set(units.map((u) => u.unitId))], ["HEAD"]);
    return heads.filter((id) => id !== q.targetPersonId);
  }
  return answerers(db, q);
}

/** The committee's office: who is told last, and who sees every question of the committee. */
export function officeOf(db: Db, committeeId: number): Promise<number[]> {
  return activeMembers(db, [committeeId], ["OFFICE"]);
}

/** Colleagues an answerer may let draft: the unit's active members, the body's members, the person's unit colleagues. */
export async function colleagues(db: Db, q: QuestionParties): Promise<number[]> {
  if (q.targetUnitId !== null) return activeMembers(db, [q.targetUnitId], ["HEAD", "REPORTER", "OFFICE", "COMMITTEE_MEMBER"]);
  if (q.targetBodyId !== null) {
    const body = await bodyOf(db, q.targetBodyId);
    if (body?.kind === "OFFICE") return activeMembers(db, [body.committeeId], ["OFFICE"]);
    return body?.members.map((m) => m.personId) ?? [];
  }
  if (q.targetPersonId === null) return [];
  const units = await db.membership.findMany({ where: { personId: q.targetPersonId, unit: { active: true } }, select: { unitId: true } });
  return activeMembers(db, [...new Set(units.map((u) => u.unitId))], ["HEAD", "REPORTER", "OFFICE", "COMMITTEE_MEMBER"]);
}

export type Standing = "asker" | "answerer" | "drafter" | "told" | "watcher";

/**
 * How a person stands toward a question, the strongest first; null when the
 * question is not theirs to see. Callers treat null exactly like a question
 * that does not exist.
 */
export async function standingOf(db: Db, personId: number, q: QuestionParties): Promise<Standing | null> {
  const person = await db.person.findUnique({ where: { id: personId }, select: { active: true } });
  if (!person?.active) return null;
  if ((await answerers(db, q)).includes(personId)) return "answerer";
  if (q.askedById === personId || q.enteredById === personId) return "asker";
  if (q.drafterId === personId) return "drafter";
  if ((await told(db, q)).includes(personId)) return "told";
  if (await watches(db, personId, q.committeeId)) return "watcher";
  return null;
}

/** The committee's office or standing board, or (by the committee's setting) any of its members. */
async function watches(db: Db, personId: number, committeeId: number): Promise<boolean> {
  const ancestors = await db.unitClosure.findMany({ where: { descendantId: committeeId }, select: { ancestorId: true } });
  const above = ancestors.map((a) => a.ancestorId);
  const office = await db.membership.count({ where: { personId, role: "OFFICE", unitId: { in: above }, unit: { active: true } } });
  if (office > 0) return true;
  const board = await db.bodyMember.count({ where: { personId, body: { committeeId, kind: "STANDING_BOARD" } } });
  if (board > 0) return true;
  if (!(await loadQuestionSettings(db)).visibleToMembers) return false;
  return (await db.membership.count({ where: { personId, role: "COMMITTEE_MEMBER", unitId: { in: above }, unit: { active: true } } })) > 0;
}

/**
 * The questions a person sees, as one filter for lists and exports; the same
 * rule as standingOf, which tests hold it to.
 */
export async function visibleWhere(db: Db, personId: number): Promise<QuestionWhere> {
  const roots = async (roles: ("OFFICE" | "COMMITTEE_MEMBER")[]) => {
    const rows = await db.membership.findMany({ where: { personId, role: { in: roles }, unit: { active: true } }, select: { unitId: true } });
    return rows.map((r) => r.unitId);
  };
  const watched = [...(await roots(["OFFICE"])), ...((await loadQuestionSettings(db)).visibleToMembers ? await roots(["COMMITTEE_MEMBER"]) : [])];
  const mine = (role: "HEAD" | "OFFICE") => ({ some: { personId, role, person: { active: true } } });
  return {
    OR: [
      { askedById: personId },
      { enteredById: personId },
      { drafterId: personId },
      { targetPersonId: personId },
      { targetUnit: { active: true, memberships: mine("HEAD") } },
      { targetUnit: { active: true, memberships: { some: { role: "HEAD", person: { active: true, deputyId: personId } } } } },
      { targetBody: { members: { some: { personId } } } },
      { targetBody: { kind: "OFFICE", committee: { active: true, memberships: mine("OFFICE") } } },
      { committee: { bodies: { some: { kind: "STANDING_BOARD", members: { some: { personId } } } } } },
      ...(watched.length > 0 ? [{ committee: { ancestors: { some: { ancestorId: { in: watched } } } } }] : []),
    ],
  };
}

export type QuestionWhere = P.QuestionWhereInput;
