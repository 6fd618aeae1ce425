// Derives the reminder plan from the data (assignments, deadlines, policies,
// people, linked chats, absences) and makes the PLANNED OutboundMessage rows
// match it. Safe to run at any time, as often as wanted, in several processes
// at once: rows are keyed by a deterministic dedupKey, and only PLANNED (or
// re-planned CANCELLED) rows are ever changed; sent rows are never touched.
import type { Prisma, Tx } from "../db/database.ts";
import type { Prisma as P } from "../db/generated/client.ts";
import type { OutboundMessage } from "../channels/channel.ts";
import { addDays, toInstant, toLocalDate, type LocalDate } from "../calendar/dates.ts";
import { nextSendTime, type OfficeHours } from "../calendar/office-hours.ts";
import { loadHolidayTables, loadOfficeHours, loadPolicyDefaults, type HolidayTables } from "./settings.ts";
import { digestMessage, stepMessage, type AssignmentInfo, type DigestItem } from "./messages.ts";
import { horizonDays, parsePolicy, planSteps, type Audience, type PlannedStep } from "./policy.ts";
import { loadDirectory, officeOf, recipientsFor, type Directory, type Recipient } from "./recipients.ts";
import { stepsToPlan } from "./schedule.ts";

/** Purposes of the rows this module plans. */
export const REMINDER_PURPOSES = ["opened", "reminder", "escalation", "digest"] as const;
export type ReminderPurpose = (typeof REMINDER_PURPOSES)[number];
const ASSIGNMENT_PURPOSES: ReminderPurpose[] = ["opened", "reminder", "escalation"];

/** Statuses that mean "this went out, or is going out". */
const DELIVERED = new Set(["QUEUED", "SENDING", "UNCERTAIN", "SENT"]);

export interface ReconcileOptions {
  now: Date;
  /** Only these assignments (and no digest). Default: every open assignment within the policy horizon, and the digests. */
  assignmentIds?: readonly number[];
}

export interface ReconcileResult {
  assignments: number;
  created: number;
  updated: number;
  revived: number;
  cancelled: number;
  /** Templates whose stored reminderPolicy is invalid; the default policy was used. */
  invalidPolicies: { templateId: number; problems: string[] }[];
}

interface Desired {
  dedupKey: string;
  purpose: ReminderPurpose;
  step: string;
  assignmentId: number | null;
  recipientId: number;
  platform: Recipient["identity"]["platform"];
  chatId: string;
  plannedFor: Date;
  payload: OutboundMessage;
  /** A caught-up step: a row already due keeps its time instead of moving with "now". */
  catchUp: boolean;
}

interface Existing {
  id: number;
  dedupKey: string;
  status: string;
  reason: string | null;
  purpose: string;
  assignmentId: number | null;
  platform: string;
  chatId: string;
  plannedFor: Date;
  sentAt: Date | null;
  payload: unknown;
}

const existingSelect = {
  id: true,
  dedupKey: true,
  status: true,
  reason: true,
  purpose: true,
  assignmentId: true,
  platform: true,
  chatId: true,
  plannedFor: true,
  sentAt: true,
  payload: true,
} as const;

export function dedupKeyFor(purpose: ReminderPurpose, ref: number | string, step: string, identityId: number): string {
  switch (purpose) {
    case "opened":
      return `opened:${ref}:${identityId}`;
    case "reminder":
      return `remind:${ref}:${step}:${identityId}`;
    case "escalation":
      return `escalate:${ref}:${step}:${identityId}`;
    case "digest":
      return `digest:${ref}:${step}:${identityId}`;
  }
}

function purposeOf(step: PlannedStep): ReminderPurpose {
  if (step.step === "opened") return "opened";
  return step.audience === "heads" ? "escalation" : "reminder";
}

const assignmentSelect = {
  id: true,
  unitId: true,
  deadline: true,
  createdAt: true,
  status: true,
  unit: { select: { name: true, active: true } },
  template: { select: { id: true, title: true, active: true, reminderPolicy: true } },
  period: { select: { label: true } },
} as const;
type AssignmentRow = P.AssignmentGetPayload<{ select: typeof assignmentSelect }>;

export async function reconcileReminders(prisma: Prisma | Tx, opts: ReconcileOptions): Promise<ReconcileResult> {
  const { now } = opts;
  const ids = opts.assignmentIds === undefined ? undefined : [...new Set(opts.assignmentIds)];
  const result: ReconcileResult = { assignments: 0, created: 0, updated: 0, revived: 0, cancelled: 0, invalidPolicies: [] };
  if (ids?.length === 0) return result;
  const scope = ids === undefined ? {} : { assignmentId: { in: ids } };

  // Submitted or inactive: nothing more to remind.
  result.cancelled += (
    await prisma.outboundMessage.updateMany({
      where: { status: "PLANNED", purpose: { in: ASSIGNMENT_PURPOSES }, assignment: { status: "SUBMITTED" }, ...scope },
      data: { status: "CANCELLED", reason: "submitted" },
    })
  ).count;
  result.cancelled += (
    await prisma.outboundMessage.updateMany({
      where: {
        status: "PLANNED",
        purpose: { in: ASSIGNMENT_PURPOSES },
        assignment: { OR: [{ unit: { active: false } }, { template: { active: false } }] },
        ...scope,
      },
      data: { status: "CANCELLED", reason: "inactive" },
    })
  ).count;

  const hours = await loadOfficeHours(prisma);
  const tables = await loadHolidayTables(prisma);
  const officePolicy = await loadPolicyDefaults(prisma);
  const assignments = await loadCandidates(prisma, now, ids, result);
  result.assignments = assignments.length;
  const dir = await loadDirectory(
    prisma,
    assignments.map((a) => a.unitId),
  );

  const existing = await loadExisting(prisma, assignments, now, hours, tables);
  const desired: Desired[] = [];
  const digests = new Map<number, DigestItem[]>();
  const digestDay = toLocalDate(nextSendTime(now, hours, tables.office));

  for (const a of assignments) {
    const table = tables.forUnit(a.unitId);
    const policy = parsePolicy(a.template.reminderPolicy, officePolicy).policy;
    const openedAt = a.createdAt.getTime() > now.getTime() ? now : a.createdAt;
    const timeline = planSteps({ deadline: a.deadline, openedAt }, policy, table, hours);
    const nextSend = nextSendTime(now, hours, table);
    const info: AssignmentInfo = { id: a.id, deadline: a.deadline, unitName: a.unit.name, templateTitle: a.template.title, periodLabel: a.period.label };
    desired.push(...assignmentRows(info, a.unitId, timeline, dir, existing, now, nextSend));

    const late = timeline.find((s) => s.audience === "committee" && toLocalDate(s.at) === digestDay);
    const committee = dir.committeeOf.get(a.unitId);
    if (ids === undefined && late && committee !== undefined) {
      const list = digests.get(committee) ?? [];
      list.push({ unitName: a.unit.name, templateTitle: a.template.title, periodLabel: a.period.label, daysLate: late.days });
      digests.set(committee, list);
    }
  }

  let existingRows = existing.rows;
  if (ids === undefined) {
    const rows = await digestRows(prisma, digests, digestDay, dir, now, hours, tables);
    desired.push(...rows);
    existingRows = [
      ...existingRows,
      ...(await prisma.outboundMessage.findMany({
        where: { purpose: "digest", OR: [{ status: "PLANNED" }, { dedupKey: { in: rows.map((r) => r.dedupKey) } }] },
        select: existingSelect,
      })),
    ];
  }

  await write(prisma, desired, existingRows, now, result);
  return result;
}

async function loadCandidates(prisma: Prisma | Tx, now: Date, ids: number[] | undefined, result: ReconcileResult): Promise<AssignmentRow[]> {
  if (ids !== undefined) {
    const rows = await prisma.assignment.findMany({ where: { id: { in: ids } }, select: assignmentSelect, orderBy: { id: "asc" } });
    noteInvalidPolicies(rows, result);
    return rows.filter((a) => a.status !== "SUBMITTED" && a.unit.active && a.template.active);
  }
  const templates = await prisma.template.findMany({ where: { active: true }, select: { reminderPolicy: true } });
  const officePolicy = await loadPolicyDefaults(prisma);
  const horizon = Math.max(horizonDays(parsePolicy(undefined, officePolicy).policy), ...templates.map((t) => horizonDays(parsePolicy(t.reminderPolicy, officePolicy).policy)));
  const rows = await prisma.assignment.findMany({
    where: {
      status: { not: "SUBMITTED" },
      unit: { active: true },
      template: { active: true },
      deadline: { gte: new Date(now.getTime() - horizon * 86_400_000) },
    },
    select: assignmentSelect,
    orderBy: { id: "asc" },
  });
  noteInvalidPolicies(rows, result);
  return rows;
}

function noteInvalidPolicies(rows: AssignmentRow[], result: ReconcileResult): void {
  const seen = new Set<number>();
  for (const a of rows) {
    if (seen.has(a.template.id)) continue;
    seen.add(a.template.id);
    const parsed = parsePolicy(a.template.reminderPolicy);
    if (!parsed.ok) result.invalidPolicies.push({ templateId: a.template.id, problems: parsed.problems });
  }
}

interface ExistingIndex {
  rows: Existing[];
  /** assignmentId → "PLATFORM:chatId" of identities that got (or are getting) a message of it today. */
  deliveredToday: Map<number, Set<string>>;
  /** assignmentId → identities whose opened notice was sent (or failed, or was skipped). */
  openedFor: Map<number, Set<string>>;
}

const identityKey = (platform: string, chatId: string) => `${platform}:${chatId}`;

async function loadExisting(prisma: Prisma | Tx, assignments: AssignmentRow[], now: Date, hours: OfficeHours, tables: HolidayTables): Promise<ExistingIndex> {
  const index: ExistingIndex = { rows: [], deliveredToday: new Map(), openedFor: new Map() };
  if (assignments.length === 0) return index;
  // A day early, so that every unit's "today" (their own holidays) is covered.
  const since = toInstant(addDays(toLocalDate(nextSendTime(now, hours, tables.office)), -1));
  index.rows = await prisma.outboundMessage.findMany({
    where: {
      assignmentId: { in: assignments.map((a) => a.id) },
      purpose: { in: ASSIGNMENT_PURPOSES },
      OR: [{ status: { in: ["PLANNED", "CANCELLED"] } }, { purpose: "opened" }, { plannedFor: { gte: since } }, { sentAt: { gte: since } }],
    },
    select: existingSelect,
  });
  const unitOf = new Map(assignments.map((a) => [a.id, a.unitId]));
  for (const row of index.rows) {
    if (row.assignmentId === null) continue;
    const who = identityKey(row.platform, row.chatId);
    // Only a notice that went out (or failed for good) is done with; a planned
    // one stays planned, a cancelled one (expired after downtime) may be caught up.
    if (row.purpose === "opened" && row.status !== "CANCELLED" && row.status !== "PLANNED") addTo(index.openedFor, row.assignmentId, who);
    if (!DELIVERED.has(row.status)) continue;
    const table = tables.forUnit(unitOf.get(row.assignmentId) ?? 0);
    const today = toLocalDate(nextSendTime(now, hours, table));
    if (toLocalDate(row.sentAt ?? row.plannedFor) === today) addTo(index.deliveredToday, row.assignmentId, who);
  }
  return index;
}

function addTo(map: Map<number, Set<string>>, key: number, value: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

function assignmentRows(
  a: AssignmentInfo,
  unitId: number,
  timeline: PlannedStep[],
  dir: Directory,
  existing: ExistingIndex,
  now: Date,
  nextSend: Date,
): Desired[] {
  const out: Desired[] = [];
  const delivered = existing.deliveredToday.get(a.id);
  const opened = existing.openedFor.get(a.id);
  const audiences: Audience[] = ["reporters", "heads"];
  for (const audience of audiences) {
    for (const step of stepsToPlan(timeline, audience, a.deadline, now, nextSend)) {
      const day = toLocalDate(step.at);
      let recipients = recipientsFor(dir, unitId, audience, day);
      if (audience === "heads") {
        // Someone who gets the reporters' reminder that day does not get the escalation too.
        const reporters = new Set(recipientsFor(dir, unitId, "reporters", day).map((r) => r.personId));
        recipients = recipients.filter((r) => !reporters.has(r.personId));
      }
      for (const to of recipients) {
        const who = identityKey(to.identity.platform, to.identity.chatId);
        if (step.catchUp && delivered?.has(who)) continue;
        if (step.catchUp && step.step === "opened" && opened?.has(who)) continue;
        const purpose = purposeOf(step);
        out.push({
          dedupKey: dedupKeyFor(purpose, a.id, step.step, to.identity.id),
          purpose,
          step: step.step,
          assignmentId: a.id,
          recipientId: to.personId,
          platform: to.identity.platform,
          chatId: to.identity.chatId,
          plannedFor: step.at,
          payload: stepMessage(a, step, to),
          catchUp: step.catchUp,
        });
      }
    }
  }
  return out;
}

async function digestRows(
  prisma: Prisma | Tx,
  digests: Map<number, DigestItem[]>,
  day: LocalDate,
  dir: Directory,
  now: Date,
  hours: OfficeHours,
  tables: HolidayTables,
): Promise<Desired[]> {
  if (digests.size === 0) return [];
  const names = new Map(
    (await prisma.unit.findMany({ where: { id: { in: [...digests.keys()] } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]),
  );
  const out: Desired[] = [];
  for (const [committeeId, items] of [...digests].sort((x, y) => x[0] - y[0])) {
    items.sort((x, y) => y.daysLate - x.daysLate || x.unitName.localeCompare(y.unitName, "vi") || x.templateTitle.localeCompare(y.templateTitle, "vi"));
    const table = tables.forUnit(committeeId);
    const opening = toInstant(day, hours.start);
    const at = nextSendTime(opening.getTime() > now.getTime() ? opening : now, hours, table);
    for (const to of officeOf(dir, committeeId, day)) {
      out.push({
        dedupKey: dedupKeyFor("digest", committeeId, day, to.identity.id),
        purpose: "digest",
        step: "digest",
        assignmentId: null,
        recipientId: to.personId,
        platform: to.identity.platform,
        chatId: to.identity.chatId,
        plannedFor: at,
        payload: digestMessage(names.get(committeeId) ?? "", day, items, to),
        catchUp: true,
      });
    }
  }
  return out;
}

/** JSON with sorted keys: PostgreSQL's jsonb does not keep key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}

async function write(prisma: Prisma | Tx, desired: Desired[], existing: Existing[], now: Date, result: ReconcileResult): Promise<void> {
  const byKey = new Map(existing.map((e) => [e.dedupKey, e]));
  const wanted = new Set<string>();
  const create: Desired[] = [];
  for (const d of desired) {
    if (wanted.has(d.dedupKey)) continue;
    wanted.add(d.dedupKey);
    const e = byKey.get(d.dedupKey);
    if (!e) {
      create.push(d);
      continue;
    }
    const due = d.catchUp && e.plannedFor.getTime() <= now.getTime() ? e.plannedFor : d.plannedFor;
    const data = { plannedFor: due, payload: d.payload as unknown as P.InputJsonValue, recipientId: d.recipientId };
    if (e.status === "PLANNED") {
      if (e.plannedFor.getTime() === due.getTime() && canonical(e.payload) === canonical(d.payload)) continue;
      result.updated += (await prisma.outboundMessage.updateMany({ where: { id: e.id, status: "PLANNED" }, data })).count;
    } else if (e.status === "CANCELLED" && e.reason !== "submitted") {
      result.revived += (
        await prisma.outboundMessage.updateMany({ where: { id: e.id, status: "CANCELLED" }, data: { ...data, status: "PLANNED", reason: null } })
      ).count;
    }
  }
  if (create.length > 0) {
    result.created += (
      await prisma.outboundMessage.createMany({
        data: create.map((d) => ({
          dedupKey: d.dedupKey,
          purpose: d.purpose,
          platform: d.platform,
          chatId: d.chatId,
          recipientId: d.recipientId,
          assignmentId: d.assignmentId,
          step: d.step,
          payload: d.payload as unknown as P.InputJsonValue,
          status: "PLANNED" as const,
          plannedFor: d.plannedFor,
        })),
        skipDuplicates: true,
      })
    ).count;
  }
  // Planned rows the plan no longer has: their time passed unsent, or the plan changed.
  const stale = existing.filter((e) => e.status === "PLANNED" && !wanted.has(e.dedupKey));
  for (const reason of ["expired", "replanned"] as const) {
    const rows = stale.filter((e) => (e.plannedFor.getTime() < now.getTime() ? "expired" : "replanned") === reason).map((e) => e.id);
    if (rows.length === 0) continue;
    result.cancelled += (await prisma.outboundMessage.updateMany({ where: { id: { in: rows }, status: "PLANNED" }, data: { status: "CANCELLED", reason } })).count;
  }
}
