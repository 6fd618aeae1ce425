// The sandbox's adjustable clock: real time plus an offset the page sets, so
// a visitor can jump to a week before a deadline, or three working days
// after it, and watch the reminders come. It exists only in the sandbox; the
// offset is kept in the database so a restart stays at the chosen time.
import type { Clock } from "../clock.ts";
import type { Prisma } from "../db/database.ts";
import { formatDueTime } from "../calendar/dates.ts";
import { parsePolicy, planSteps } from "../reminders/policy.ts";
import { loadHolidayTables, loadOfficeHours, loadPolicyDefaults } from "../reminders/settings.ts";
import { vi } from "../texts/vi.ts";

const OFFSET_KEY = "sandbox.clock_offset_ms";

export interface SandboxClock extends Clock {
  real(): Date;
  offsetMs(): number;
  /** Moves the clock to `at`; null goes back to real time. */
  set(at: Date | null): Promise<void>;
}

export async function createSandboxClock(prisma: Prisma, base: Clock): Promise<SandboxClock> {
  const row = await prisma.setting.findUnique({ where: { key: OFFSET_KEY }, select: { value: true } });
  let offset = typeof row?.value === "number" && Number.isFinite(row.value) ? row.value : 0;
  return {
    now: () => new Date(base.now().getTime() + offset),
    real: () => base.now(),
    offsetMs: () => offset,
    async set(at) {
      const next = at === null ? 0 : at.getTime() - base.now().getTime();
      await prisma.setting.upsert({ where: { key: OFFSET_KEY }, create: { key: OFFSET_KEY, value: next }, update: { value: next }, select: { key: true } });
      offset = next;
    },
  };
}

export interface ClockPreset {
  label: string;
  at: string;
  /** The same instant as Vietnamese read it: "07:30 thứ Hai, 07/12/2026". */
  when: string;
}

export interface ClockPresets {
  /** The deadline the presets are about: the nearest one still open. */
  about: string | null;
  presets: ClockPreset[];
}

/**
 * Moments worth jumping to, from the nearest unsubmitted deadline and its
 * template's reminder policy: each "before" reminder, the deadline morning,
 * the first overdue day, the first day the unit head is told, the first
 * committee digest. Each is the moment that step is sent.
 */
export async function clockPresets(prisma: Prisma, now: Date): Promise<ClockPresets> {
  const t = vi.sandbox.clock;
  const select = {
    deadline: true,
    createdAt: true,
    unitId: true,
    period: { select: { label: true } },
    template: { select: { title: true, reminderPolicy: true } },
  } as const;
  const a =
    (await prisma.assignment.findFirst({ where: { status: { not: "SUBMITTED" }, deadline: { gt: now } }, orderBy: [{ deadline: "asc" }, { id: "asc" }], select })) ??
    (await prisma.assignment.findFirst({ where: { status: { not: "SUBMITTED" } }, orderBy: [{ deadline: "desc" }, { id: "asc" }], select }));
  if (!a) return { about: null, presets: [] };
  const tables = await loadHolidayTables(prisma);
  const table = tables.forUnit(a.unitId);
  const hours = await loadOfficeHours(prisma);
  const policy = parsePolicy(a.template.reminderPolicy, await loadPolicyDefaults(prisma)).policy;
  const steps = planSteps({ deadline: a.deadline, openedAt: a.createdAt }, policy, table, hours);
  const picked: { label: string; at: Date }[] = [];
  for (const s of steps) {
    if (s.step.startsWith("before-")) picked.push({ label: t.before(s.days), at: s.at });
    else if (s.step === "deadline") picked.push({ label: t.deadlineMorning, at: s.at });
    else if (s.step === "overdue-1") picked.push({ label: t.overdue(1), at: s.at });
    else if (s.step === `escalation-${Math.max(3, policy.escalateToHeadsFrom)}`) picked.push({ label: t.escalation(s.days), at: s.at });
    else if (s.step === `digest-${policy.committeeDigestFrom}`) picked.push({ label: t.digest(s.days), at: s.at });
  }
  return {
    about: t.about(a.template.title, a.period.label, formatDueTime(a.deadline)),
    presets: picked
      .filter((p) => p.at.getTime() > now.getTime())
      .map((p) => ({ label: p.label, at: p.at.toISOString(), when: formatDueTime(p.at) })),
  };
}
