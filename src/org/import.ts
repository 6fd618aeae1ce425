// Applies a checked import file to the database in one transaction. The
// file is the whole truth: what it lacks is deactivated (never deleted),
// roles it lacks are removed, bodies it lacks lose their members, and a
// second run with the same file changes nothing. Settings are the exception:
// a setting the file leaves out keeps its value.
import { createHash } from "node:crypto";
import type { Prisma, Tx } from "../db/database.ts";
import { Prisma as PrismaNs, type Prisma as P, type Role } from "../db/generated/client.ts";
import { OFFICE_HOURS_KEY, REMINDER_POLICY_KEY } from "../reminders/settings.ts";
import { QUESTIONS_SETTING_KEY } from "../questions/settings.ts";
import type { TemplateForm } from "../forms/template-schema.ts";
import { ensureInvitations } from "./invitations.ts";
import type { ImportUnit, OrgImport } from "./import-schema.ts";

export interface ImportOptions {
  now: Date;
  /** Days an invitation stays valid. */
  ttlDays: number;
  /** Recorded in the audit log, e.g. the file name. */
  source?: string;
  /** Who ran it (the console's signed-in person); none from the command line. */
  actorId?: number;
  /**
   * Compute everything, then roll the transaction back: the result tells
   * what a real run would change (its invitation codes are not kept).
   */
  dryRun?: boolean;
}

/** Carries a dry run's result out of the transaction it rolls back. */
class DryRunRollback extends Error {
  constructor(readonly result: ImportResult) {
    super("import dry run: rolled back");
  }
}

export interface ChangeCounts {
  created: number;
  updated: number;
  deactivated: number;
}

export interface ImportCounts {
  units: ChangeCounts;
  people: ChangeCounts;
  templates: ChangeCounts & { newVersions: number };
  memberships: { added: number; removed: number };
  targets: { added: number; removed: number };
  /** Standing boards and inspection commissions; updated: a new name or other members. */
  bodies: { created: number; updated: number; membersAdded: number; membersRemoved: number };
  invitations: { created: number; kept: number };
}

/** An invitation to hand to a person who has not linked a chat account. */
export interface InvitationListing {
  personCode: string;
  fullName: string;
  position: string | null;
  units: { name: string; role: Role }[];
  code: string;
  expiresAt: Date;
  created: boolean;
}

/** By name, what an import adds, ends or gives a new form: what the console's dry run lists. */
export interface ImportNames {
  unitsCreated: string[];
  unitsDeactivated: string[];
  peopleCreated: string[];
  peopleDeactivated: string[];
  templatesCreated: string[];
  templatesDeactivated: string[];
  /** Templates whose form changed (a new version). */
  templatesNewVersion: string[];
}

export interface ImportResult {
  counts: ImportCounts;
  names: ImportNames;
  invitations: InvitationListing[];
}

export async function applyImport(prisma: Prisma, data: OrgImport, opts: ImportOptions): Promise<ImportResult> {
  try {
    return await importInTransaction(prisma, data, opts);
  } catch (err) {
    if (err instanceof DryRunRollback) return err.result;
    throw err;
  }
}

async function importInTransaction(prisma: Prisma, data: OrgImport, opts: ImportOptions): Promise<ImportResult> {
  return prisma.$transaction(
    async (tx) => {
      const units = await syncUnits(tx, data.units);
      await syncClosure(tx);
      const people = await syncPeople(tx, data);
      const memberships = await syncMemberships(tx, data, units.ids, people.ids);
      const templates = await syncTemplates(tx, data, units.ids, opts.now);
      const bodies = await syncBodies(tx, data, units.ids, people.ids);
      await syncSettings(tx, data);
      const issued = await ensureInvitations(tx, { now: opts.now, ttlDays: opts.ttlDays });
      const counts: ImportCounts = {
        units: units.counts,
        people: people.counts,
        templates: templates.counts,
        memberships,
        targets: templates.targets,
        bodies,
        invitations: { created: issued.filter((i) => i.created).length, kept: issued.filter((i) => !i.created).length },
      };
      await tx.auditLog.create({
        data: {
          at: opts.now,
          actorId: opts.actorId ?? null,
          action: "org.import",
          entityType: "Organisation",
          // Interfaces lack the index signature Prisma wants for JSON; the value is plain data.
          details: { ...counts, ...(opts.source === undefined ? {} : { source: opts.source }) } as unknown as P.InputJsonObject,
        },
        select: { id: true },
      });
      const names: ImportNames = {
        unitsCreated: units.names.created,
        unitsDeactivated: units.names.deactivated,
        peopleCreated: people.names.created,
        peopleDeactivated: people.names.deactivated,
        templatesCreated: templates.names.created,
        templatesDeactivated: templates.names.deactivated,
        templatesNewVersion: templates.names.newVersion,
      };
      const result: ImportResult = { counts, names, invitations: await listInvitations(tx, data, issued) };
      // Thrown, not returned: only a throw makes Prisma roll the transaction back.
      if (opts.dryRun) throw new DryRunRollback(result);
      return result;
    },
    // Large provinces have thousands of units; the default 5 s is too short.
    { timeout: 120_000, maxWait: 10_000 },
  );
}

async function syncUnits(tx: Tx, units: ImportUnit[]) {
  const counts = { created: 0, updated: 0, deactivated: 0 };
  const names = { created: [] as string[], deactivated: [] as string[] };
  const existing = new Map(
    (
      await tx.unit.findMany({ select: { id: true, code: true, name: true, shortName: true, kind: true, parentId: true, active: true } })
    ).map((u) => [u.code, u]),
  );
  const ids = new Map<string, number>();
  // Parents come first in `units`, so a parent's id is known before its children.
  for (const u of units) {
    const parentId = u.parentCode === null ? null : ids.get(u.parentCode) ?? null;
    const want = { name: u.name, shortName: u.shortName, kind: u.kind, parentId, active: true };
    const have = existing.get(u.code);
    if (!have) {
      const created = await tx.unit.create({ data: { code: u.code, ...want }, select: { id: true } });
      ids.set(u.code, created.id);
      counts.created++;
      names.created.push(u.name);
      continue;
    }
    ids.set(u.code, have.id);
    if (differs(have, want)) {
      await tx.unit.update({ where: { id: have.id }, data: want, select: { id: true } });
      counts.updated++;
    }
  }
  const goneUnits = [...existing.values()].filter((u) => u.active && !ids.has(u.code));
  const gone = goneUnits.map((u) => u.id);
  names.deactivated = goneUnits.map((u) => u.name);
  if (gone.length > 0) {
    counts.deactivated = (await tx.unit.updateMany({ where: { id: { in: gone } }, data: { active: false } })).count;
  }
  return { counts, ids, names };
}

/** Makes UnitClosure match the parent links of every unit, active or not. */
async function syncClosure(tx: Tx): Promise<void> {
  const all = await tx.unit.findMany({ select: { id: true, parentId: true } });
  const parentOf = new Map(all.map((u) => [u.id, u.parentId]));
  const want = new Map<string, { ancestorId: number; descendantId: number; depth: number }>();
  for (const u of all) {
    let cur: number | null = u.id;
    let depth = 0;
    // Bounded: the file check refuses cycles, but old rows must not hang us.
    while (cur !== null && depth <= all.length) {
      want.set(`${cur}:${u.id}`, { ancestorId: cur, descendantId: u.id, depth });
      cur = parentOf.get(cur) ?? null;
      depth++;
    }
  }
  const have = await tx.unitClosure.findMany({ select: { ancestorId: true, descendantId: true, depth: true } });
  const stale = have.filter((r) => want.get(`${r.ancestorId}:${r.descendantId}`)?.depth !== r.depth);
  const staleByDescendant = new Map<number, number[]>();
  for (const r of stale) staleByDescendant.set(r.descendantId, [...(staleByDescendant.get(r.descendantId) ?? []), r.ancestorId]);
  for (const [descendantId, ancestorIds] of staleByDescendant) {
    await tx.unitClosure.deleteMany({ where: { descendantId, ancestorId: { in: ancestorIds } } });
  }
  const kept = new Set(have.filter((r) => !stale.includes(r)).map((r) => `${r.ancestorId}:${r.descendantId}`));
  const missing = [...want.entries()].filter(([k]) => !kept.has(k)).map(([, v]) => v);
  if (missing.length > 0) await tx.unitClosure.createMany({ data: missing });
}

async function syncPeople(tx: Tx, data: OrgImport) {
  const counts = { created: 0, updated: 0, deactivated: 0 };
  const names = { created: [] as string[], deactivated: [] as string[] };
  const existing = new Map(
    (
      await tx.person.findMany({ select: { id: true, code: true, fullName: true, position: true, phone: true, email: true, active: true } })
    ).map((p) => [p.code, p]),
  );
  const ids = new Map<string, number>();
  for (const p of data.people) {
    const want = { fullName: p.fullName, position: p.position, phone: p.phone, email: p.email, active: true };
    const have = existing.get(p.code);
    if (!have) {
      const created = await tx.person.create({ data: { code: p.code, ...want }, select: { id: true } });
      ids.set(p.code, created.id);
      counts.created++;
      names.created.push(p.fullName);
      continue;
    }
    ids.set(p.code, have.id);
    if (differs(have, want)) {
      await tx.person.update({ where: { id: have.id }, data: want, select: { id: true } });
      counts.updated++;
    }
  }
  const gonePeople = [...existing.values()].filter((p) => p.active && !ids.has(p.code));
  const gone = gonePeople.map((p) => p.id);
  names.deactivated = gonePeople.map((p) => p.fullName);
  if (gone.length > 0) {
    counts.deactivated = (await tx.person.updateMany({ where: { id: { in: gone } }, data: { active: false } })).count;
  }
  return { counts, ids, names };
}

async function syncMemberships(tx: Tx, data: OrgImport, unitIds: Map<string, number>, personIds: Map<string, number>) {
  const want = new Map<string, { personId: number; unitId: number; role: Role }>();
  for (const p of data.people) {
    for (const r of p.roles) {
      const m = { personId: personIds.get(p.code)!, unitId: unitIds.get(r.unitCode)!, role: r.role };
      want.set(`${m.personId}:${m.unitId}:${m.role}`, m);
    }
  }
  const have = await tx.membership.findMany({ select: { id: true, personId: true, unitId: true, role: true } });
  const extra = have.filter((m) => !want.has(`${m.personId}:${m.unitId}:${m.role}`)).map((m) => m.id);
  const haveKeys = new Set(have.map((m) => `${m.personId}:${m.unitId}:${m.role}`));
  const missing = [...want.entries()].filter(([k]) => !haveKeys.has(k)).map(([, m]) => m);
  if (extra.length > 0) await tx.membership.deleteMany({ where: { id: { in: extra } } });
  if (missing.length > 0) await tx.membership.createMany({ data: missing });
  return { added: missing.length, removed: extra.length };
}

async function syncTemplates(tx: Tx, data: OrgImport, unitIds: Map<string, number>, now: Date) {
  const counts = { created: 0, updated: 0, deactivated: 0, newVersions: 0 };
  const targets = { added: 0, removed: 0 };
  const names = { created: [] as string[], deactivated: [] as string[], newVersion: [] as string[] };
  const existing = new Map(
    (
      await tx.template.findMany({
        select: { id: true, code: true, title: true, periodType: true, deadlineWorkingDays: true, editAfterDeadline: true, active: true, reminderPolicy: true },
      })
    ).map((t) => [t.code, t]),
  );
  const seen = new Set<string>();
  for (const t of data.templates) {
    seen.add(t.code);
    const want = {
      title: t.title,
      periodType: t.periodType,
      deadlineWorkingDays: t.deadlineWorkingDays,
      editAfterDeadline: t.editAfterDeadline,
      active: true,
    };
    const have = existing.get(t.code);
    // The file is the template's whole truth: a policy taken out of it goes from the database too.
    const policy = t.reminderPolicy === null ? null : JSON.stringify(canonicalValue(t.reminderPolicy));
    const policyChanged = have !== undefined && policy !== (have.reminderPolicy === null ? null : JSON.stringify(canonicalValue(have.reminderPolicy)));
    const reminderPolicy = t.reminderPolicy === null ? PrismaNs.DbNull : (t.reminderPolicy as P.InputJsonObject);
    let id: number;
    if (!have) {
      id = (await tx.template.create({ data: { code: t.code, ...want, reminderPolicy }, select: { id: true } })).id;
      counts.created++;
      names.created.push(t.title);
    } else {
      id = have.id;
      if (differs(have, want) || policyChanged) {
        await tx.template.update({ where: { id }, data: { ...want, reminderPolicy }, select: { id: true } });
        counts.updated++;
      }
    }
    if (await syncVersion(tx, id, t.form, now)) {
      counts.newVersions++;
      if (have) names.newVersion.push(t.title);
      if (have && !differs(have, want) && !policyChanged) counts.updated++;
    }
    const r = await syncTargets(tx, id, t.targetUnitCodes.map((c) => unitIds.get(c)!));
    targets.added += r.added;
    targets.removed += r.removed;
  }
  const goneTemplates = [...existing.values()].filter((t) => t.active && !seen.has(t.code));
  const gone = goneTemplates.map((t) => t.id);
  names.deactivated = goneTemplates.map((t) => t.title);
  if (gone.length > 0) {
    counts.deactivated = (await tx.template.updateMany({ where: { id: { in: gone } }, data: { active: false } })).count;
  }
  return { counts, targets, names };
}

/** Adds a version when the form changed; true when one was added. */
async function syncVersion(tx: Tx, templateId: number, form: TemplateForm, now: Date): Promise<boolean> {
  const checksum = formChecksum(form);
  const latest = await tx.templateVersion.findFirst({
    where: { templateId },
    orderBy: { version: "desc" },
    select: { version: true, checksum: true },
  });
  if (latest?.checksum === checksum) return false;
  await tx.templateVersion.create({
    data: { templateId, version: (latest?.version ?? 0) + 1, definition: canonicalValue(form) as P.InputJsonValue, checksum, createdAt: now },
    select: { id: true },
  });
  return true;
}

async function syncTargets(tx: Tx, templateId: number, unitIds: number[]) {
  const want = new Set(unitIds);
  const have = new Set((await tx.templateTarget.findMany({ where: { templateId }, select: { unitId: true } })).map((t) => t.unitId));
  const extra = [...have].filter((u) => !want.has(u));
  const missing = [...want].filter((u) => !have.has(u));
  if (extra.length > 0) await tx.templateTarget.deleteMany({ where: { templateId, unitId: { in: extra } } });
  if (missing.length > 0) await tx.templateTarget.createMany({ data: missing.map((unitId) => ({ templateId, unitId })) });
  return { added: missing.length, removed: extra.length };
}

async function listInvitations(
  tx: Tx,
  data: OrgImport,
  issued: Awaited<ReturnType<typeof ensureInvitations>>,
): Promise<InvitationListing[]> {
  if (issued.length === 0) return [];
  const people = await tx.person.findMany({
    where: { id: { in: issued.map((i) => i.personId) } },
    select: {
      id: true,
      code: true,
      fullName: true,
      position: true,
      memberships: {
        where: { unit: { active: true } },
        select: { role: true, unit: { select: { name: true } } },
        orderBy: [{ unitId: "asc" }, { role: "asc" }],
      },
    },
  });
  const byId = new Map(people.map((p) => [p.id, p]));
  // In the order of the file, which is how the office thinks of its people.
  const order = new Map(data.people.map((p, i) => [p.code, i]));
  return issued
    .map((i) => {
      const p = byId.get(i.personId)!;
      return {
        personCode: p.code,
        fullName: p.fullName,
        position: p.position,
        units: p.memberships.map((m) => ({ name: m.unit.name, role: m.role })),
        code: i.code,
        expiresAt: i.expiresAt,
        created: i.created,
      };
    })
    .sort((a, b) => (order.get(a.personCode) ?? Infinity) - (order.get(b.personCode) ?? Infinity));
}

/**
 * The standing boards and inspection commissions: each one the file names
 * gets exactly the members (and chair) it lists. One it leaves out keeps its
 * row, so questions put to it keep their addressee, but loses its members,
 * as roles the file leaves out are removed. The office (kind OFFICE) is never
 * in the file and is not touched.
 */
async function syncBodies(tx: Tx, data: OrgImport, unitIds: Map<string, number>, personIds: Map<string, number>) {
  const counts = { created: 0, updated: 0, membersAdded: 0, membersRemoved: 0 };
  const existing = await tx.committeeBody.findMany({
    where: { kind: { in: ["STANDING_BOARD", "INSPECTION"] } },
    select: { id: true, committeeId: true, kind: true, name: true, members: { select: { personId: true, chair: true } } },
    orderBy: { id: "asc" },
  });
  const byKey = new Map(existing.map((b) => [`${b.committeeId}:${b.kind}`, b]));
  const named = new Set<number>();
  for (const b of data.bodies) {
    const committeeId = unitIds.get(b.committeeCode)!;
    const have = byKey.get(`${committeeId}:${b.kind}`);
    let id: number;
    let changed = false;
    if (!have) {
      id = (await tx.committeeBody.create({ data: { committeeId, kind: b.kind, name: b.name }, select: { id: true } })).id;
      counts.created++;
    } else {
      id = have.id;
      if (have.name !== b.name) {
        await tx.committeeBody.update({ where: { id }, data: { name: b.name }, select: { id: true } });
        changed = true;
      }
    }
    named.add(id);
    const want = new Map(b.members.map((m) => [personIds.get(m.personCode)!, m.chair]));
    const r = await syncBodyMembers(tx, id, have?.members ?? [], want);
    counts.membersAdded += r.added;
    counts.membersRemoved += r.removed;
    if (have && (changed || r.added + r.removed + r.chairChanged > 0)) counts.updated++;
  }
  for (const b of existing) {
    if (named.has(b.id) || b.members.length === 0) continue;
    counts.membersRemoved += (await tx.bodyMember.deleteMany({ where: { bodyId: b.id } })).count;
    counts.updated++;
  }
  return counts;
}

async function syncBodyMembers(tx: Tx, bodyId: number, have: { personId: number; chair: boolean }[], want: Map<number, boolean>) {
  const haveChair = new Map(have.map((m) => [m.personId, m.chair]));
  const extra = have.filter((m) => !want.has(m.personId)).map((m) => m.personId);
  const missing = [...want].filter(([personId]) => !haveChair.has(personId)).map(([personId, chair]) => ({ bodyId, personId, chair }));
  const flipped = [...want].filter(([personId, chair]) => haveChair.has(personId) && haveChair.get(personId) !== chair);
  if (extra.length > 0) await tx.bodyMember.deleteMany({ where: { bodyId, personId: { in: extra } } });
  for (const [personId, chair] of flipped) {
    await tx.bodyMember.update({ where: { bodyId_personId: { bodyId, personId } }, data: { chair }, select: { bodyId: true } });
  }
  if (missing.length > 0) await tx.bodyMember.createMany({ data: missing });
  return { added: missing.length, removed: extra.length, chairChanged: flipped.length };
}

/** The office's settings named in the file; those it leaves out keep their value. */
async function syncSettings(tx: Tx, data: OrgImport): Promise<void> {
  // An unchanged value is not written again, so a second run changes nothing (not even updatedAt).
  const put = async (key: string, value: P.InputJsonObject) => {
    const have = await tx.setting.findUnique({ where: { key }, select: { value: true } });
    if (have && JSON.stringify(canonicalValue(have.value)) === JSON.stringify(canonicalValue(value))) return;
    await tx.setting.upsert({ where: { key }, create: { key, value }, update: { value }, select: { key: true } });
  };
  if (data.settings.officeHours) await put(OFFICE_HOURS_KEY, { ...data.settings.officeHours });
  if (data.settings.reminderPolicy) await put(REMINDER_POLICY_KEY, data.settings.reminderPolicy);
  if (data.settings.questions) await put(QUESTIONS_SETTING_KEY, { ...data.settings.questions });
}

function differs<T extends object>(have: T, want: Partial<T>): boolean {
  return (Object.keys(want) as (keyof T)[]).some((k) => have[k] !== want[k]);
}

// ───────── Checksums ─────────

/** Sorted keys, no undefined values: equal forms give equal JSON. */
export function canonicalValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalValue);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonicalValue(v);
    }
    return out;
  }
  return value;
}

export function formChecksum(form: TemplateForm): string {
  return createHash("sha256").update(JSON.stringify(canonicalValue(form))).digest("hex");
}
