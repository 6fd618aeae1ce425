// Who gets a reminder. The directory (people, roles, linked chats, absences)
// is read once per reconcile; picking the recipients of one step is pure.
//
// Decisions:
// - A person linked on both Zalo and Telegram gets the message on each
//   linked, unblocked account: Telegram is blocked by Vietnamese carriers
//   since 2025, so the account a person reads is not known. Each identity has
//   its own dedup key, so each gets it once.
// - Reporters are the unit's active REPORTER members; a unit without any
//   (linked or not) falls back to its HEAD members, so someone is chased.
// - A person absent on the day (absentFrom ≤ day ≤ absentTo; an open end
//   counts as open) is skipped and their deputy gets it instead, once, if the
//   deputy is active, present and linked. Deputies are not chained.
import type { Prisma, Tx } from "../db/database.ts";
import type { PlatformName } from "../channels/channel.ts";
import { fromDbDate, type LocalDate } from "../calendar/dates.ts";
import type { Audience } from "./policy.ts";

export interface Identity {
  id: number;
  platform: PlatformName;
  chatId: string;
}

export interface Contact {
  personId: number;
  fullName: string;
  active: boolean;
  absentFrom: LocalDate | null;
  absentTo: LocalDate | null;
  deputyId: number | null;
  /** Linked and not blocked. */
  identities: Identity[];
}

export interface UnitRoles {
  reporters: number[];
  heads: number[];
  office: number[];
}

export interface Directory {
  people: ReadonlyMap<number, Contact>;
  units: ReadonlyMap<number, UnitRoles>;
  /** Nearest active COMMITTEE ancestor (depth > 0) of each unit, when there is one. */
  committeeOf: ReadonlyMap<number, number>;
}

export interface Recipient {
  personId: number;
  fullName: string;
  identity: Identity;
  /** The absent person this one stands in for. */
  standsInFor: { personId: number; fullName: string } | null;
  /** Holds a filing role in the unit (REPORTER or HEAD), so an "open report" button works for them. */
  canFile: boolean;
}

const noRoles: UnitRoles = { reporters: [], heads: [], office: [] };

export function isAbsent(c: Pick<Contact, "absentFrom" | "absentTo">, day: LocalDate): boolean {
  if (c.absentFrom === null && c.absentTo === null) return false;
  return (c.absentFrom === null || c.absentFrom <= day) && (c.absentTo === null || day <= c.absentTo);
}

/** The people meant to get a step: by role, before absences are applied. */
function intended(dir: Directory, unitId: number, audience: Audience): number[] {
  if (audience === "committee") {
    const committee = dir.committeeOf.get(unitId);
    return committee === undefined ? [] : (dir.units.get(committee) ?? noRoles).office;
  }
  const roles = dir.units.get(unitId) ?? noRoles;
  if (audience === "heads") return roles.heads;
  return roles.reporters.length > 0 ? roles.reporters : roles.heads;
}

/**
 * The recipients of one step for one unit on one day, one entry per linked
 * identity, in a stable order. For "committee" this is the office of the
 * unit's nearest committee; `officeOf` gives a committee's office directly.
 */
export function recipientsFor(dir: Directory, unitId: number, audience: Audience, day: LocalDate): Recipient[] {
  const roles = dir.units.get(unitId) ?? noRoles;
  const filers = new Set([...roles.reporters, ...roles.heads]);
  return resolve(dir, intended(dir, unitId, audience), day, (personId) => audience !== "committee" && filers.has(personId));
}

/** The office staff of a committee on a day (for the digest), absences applied. */
export function officeOf(dir: Directory, committeeId: number, day: LocalDate): Recipient[] {
  return resolve(dir, (dir.units.get(committeeId) ?? noRoles).office, day, () => false);
}

function resolve(dir: Directory, personIds: readonly number[], day: LocalDate, canFile: (personId: number) => boolean): Recipient[] {
  const chosen = new Map<number, { standsInFor: Contact | null }>();
  for (const id of [...personIds].sort((a, b) => a - b)) {
    const person = dir.people.get(id);
    if (!person?.active) continue;
    if (!isAbsent(person, day)) {
      // Present: their own message, even if they are also someone's deputy.
      chosen.set(id, { standsInFor: null });
      continue;
    }
    const deputy = person.deputyId === null ? undefined : dir.people.get(person.deputyId);
    if (!deputy?.active || isAbsent(deputy, day) || chosen.has(deputy.personId)) continue;
    chosen.set(deputy.personId, { standsInFor: person });
  }
  const out: Recipient[] = [];
  for (const [personId, { standsInFor }] of [...chosen].sort((a, b) => a[0] - b[0])) {
    const person = dir.people.get(personId)!;
    for (const identity of person.identities) {
      out.push({
        personId,
        fullName: person.fullName,
        identity,
        standsInFor: standsInFor === null ? null : { personId: standsInFor.personId, fullName: standsInFor.fullName },
        canFile: canFile(personId),
      });
    }
  }
  return out;
}

const personSelect = {
  id: true,
  fullName: true,
  active: true,
  absentFrom: true,
  absentTo: true,
  deputyId: true,
  identities: { where: { blockedAt: null }, select: { id: true, platform: true, chatId: true }, orderBy: { id: "asc" } },
} as const;

/** Roles, people, deputies and linked chats of the units and of their nearest committees. */
export async function loadDirectory(db: Prisma | Tx, unitIds: readonly number[]): Promise<Directory> {
  const ids = [...new Set(unitIds)];
  const closure =
    ids.length === 0
      ? []
      : await db.unitClosure.findMany({
          where: { descendantId: { in: ids }, depth: { gt: 0 }, ancestor: { kind: "COMMITTEE", active: true } },
          select: { ancestorId: true, descendantId: true, depth: true },
        });
  const nearest = new Map<number, { committee: number; depth: number }>();
  for (const row of closure) {
    const seen = nearest.get(row.descendantId);
    if (!seen || row.depth < seen.depth) nearest.set(row.descendantId, { committee: row.ancestorId, depth: row.depth });
  }
  const committeeOf = new Map([...nearest].map(([unit, n]) => [unit, n.committee]));

  const allUnits = [...new Set([...ids, ...committeeOf.values()])];
  const memberships =
    allUnits.length === 0
      ? []
      : await db.membership.findMany({
          where: { unitId: { in: allUnits }, role: { in: ["REPORTER", "HEAD", "OFFICE"] }, person: { active: true } },
          select: { unitId: true, role: true, personId: true },
          orderBy: [{ unitId: "asc" }, { personId: "asc" }],
        });
  const units = new Map<number, UnitRoles>();
  for (const m of memberships) {
    let roles = units.get(m.unitId);
    if (!roles) units.set(m.unitId, (roles = { reporters: [], heads: [], office: [] }));
    if (m.role === "REPORTER") roles.reporters.push(m.personId);
    else if (m.role === "HEAD") roles.heads.push(m.personId);
    else roles.office.push(m.personId);
  }

  const people = new Map<number, Contact>();
  let wanted = [...new Set(memberships.map((m) => m.personId))];
  // Two rounds: the members, then the deputies not already among them.
  for (let round = 0; round < 2 && wanted.length > 0; round++) {
    const rows = await db.person.findMany({ where: { id: { in: wanted } }, select: personSelect });
    for (const p of rows) {
      people.set(p.id, {
        personId: p.id,
        fullName: p.fullName,
        active: p.active,
        absentFrom: p.absentFrom === null ? null : fromDbDate(p.absentFrom),
        absentTo: p.absentTo === null ? null : fromDbDate(p.absentTo),
        deputyId: p.deputyId,
        identities: p.identities,
      });
    }
    wanted = [...new Set(rows.flatMap((p) => (p.deputyId !== null && !people.has(p.deputyId) ? [p.deputyId] : [])))];
  }
  return { people, units, committeeOf };
}
