// The reminder policy of a template and the timeline it gives one assignment.
// Pure: the database is read elsewhere, time comes in as parameters.
//
// A timeline is a list of steps, each with the moment it is due and who it
// is for. Every moment is inside office hours on a working day, Vietnam
// time: a reminder that would fall at night or on a day off waits for the
// next working morning.
import { z } from "zod";
import { addDays, toInstant, toLocalDate, type LocalDate } from "../calendar/dates.ts";
import { addWorkingDays, isWorkingDay, type HolidayTable } from "../calendar/holidays.ts";
import { DEFAULT_OFFICE_HOURS, nextSendTime, officeHoursSchema, type OfficeHours } from "../calendar/office-hours.ts";

const days = z.int().min(1).max(60);

/**
 * Template.reminderPolicy holds overrides only; every key has a default, so
 * `{}` or a missing policy is the default policy. Unknown keys are refused,
 * so a typo does not silently fall back to the default.
 */
export const reminderPolicySchema = z.strictObject({
  /** false: no reminders at all for this template. */
  enabled: z.boolean().default(true),
  /** Tell the people concerned when a period opens. */
  openedNotice: z.boolean().default(true),
  /** Remind this many working days before the deadline day. */
  beforeWorkingDays: z
    .array(days)
    .max(10)
    .default([7, 3, 1])
    .transform((list) => [...new Set(list)].sort((a, b) => b - a)),
  /** Remind at office opening on the deadline day. */
  deadlineMorning: z.boolean().default(true),
  /** Overdue: one reminder every working day, for at most this many working days (the policy horizon). */
  maxOverdueReminders: z.int().min(0).max(60).default(10),
  /** From this overdue working day on, the unit's head(s) are told as well. */
  escalateToHeadsFrom: days.default(2),
  /** From this overdue working day on, the unit is listed in the committee office's daily digest. */
  committeeDigestFrom: days.default(5),
});

export type ReminderPolicy = z.output<typeof reminderPolicySchema>;
/** What an office or a template changes of the default policy: some keys, or none. */
export type PolicyOverrides = Partial<z.input<typeof reminderPolicySchema>>;

export const DEFAULT_POLICY: ReminderPolicy = reminderPolicySchema.parse({});

export type PolicyResult = { ok: true; policy: ReminderPolicy } | { ok: false; policy: ReminderPolicy; problems: string[] };

/**
 * The template's policy, or the default one with the problems when the
 * stored JSON is not valid (reminders keep going; the caller reports it).
 */
export function parsePolicy(value: unknown, officeDefaults: PolicyOverrides = {}): PolicyResult {
  // The template's own keys over the office's, the office's over the built-in ones.
  const input = value === null || value === undefined ? officeDefaults : typeof value === "object" && !Array.isArray(value) ? { ...officeDefaults, ...value } : value;
  const parsed = reminderPolicySchema.safeParse(input);
  if (parsed.success) return { ok: true, policy: parsed.data };
  return { ok: false, policy: DEFAULT_POLICY, problems: parsed.error.issues.map((i) => `${i.path.join(".") || "(policy)"}: ${i.message}`) };
}

/** The Setting row's value for office hours, or the default (07:30–17:00) when missing or invalid. */
export function parseOfficeHours(value: unknown): OfficeHours {
  const parsed = officeHoursSchema.safeParse(value);
  return parsed.success ? parsed.data : DEFAULT_OFFICE_HOURS;
}

export type Audience = "reporters" | "heads" | "committee";

export interface PlannedStep {
  /** "opened", "before-7", "deadline", "overdue-3", "escalation-3", "digest-6". */
  step: string;
  at: Date;
  audience: Audience;
  /** Working days before the deadline day (before-N) or after it (overdue, escalation, digest); 0 otherwise. */
  days: number;
}

export interface AssignmentTimes {
  deadline: Date;
  openedAt: Date;
}

/** The working day `n` working days before `date` (n ≥ 1). */
export function subtractWorkingDays(date: LocalDate, n: number, table: HolidayTable): LocalDate {
  let d = date;
  for (let i = 0; i < n; i++) {
    d = addDays(d, -1);
    while (!isWorkingDay(d, table)) d = addDays(d, -1);
  }
  return d;
}

const opening = (day: LocalDate, hours: OfficeHours, table: HolidayTable) => nextSendTime(toInstant(day, hours.start), hours, table);

/**
 * Every step of the policy for one assignment, in time order. "N working
 * days before" and "deadline morning" are at office opening of that day;
 * overdue day N is the N-th working day after the deadline day, at opening.
 * Steps for the reporters that would not come before the deadline are
 * dropped, as are those before the period opened, and the reporters get at
 * most one step a day (the period-opened notice wins over a reminder on the
 * same day: it already says the deadline).
 */
export function planSteps(a: AssignmentTimes, policy: ReminderPolicy, holidays: HolidayTable, hours: OfficeHours): PlannedStep[] {
  if (!policy.enabled) return [];
  const due = a.deadline.getTime();
  const dueDay = toLocalDate(a.deadline);
  const reporters: PlannedStep[] = [];
  if (policy.openedNotice) {
    const at = nextSendTime(a.openedAt, hours, holidays);
    if (at.getTime() < due) reporters.push({ step: "opened", at, audience: "reporters", days: 0 });
  }
  for (const n of policy.beforeWorkingDays) {
    const at = opening(subtractWorkingDays(dueDay, n, holidays), hours, holidays);
    if (at.getTime() < due) reporters.push({ step: `before-${n}`, at, audience: "reporters", days: n });
  }
  if (policy.deadlineMorning) {
    const at = opening(dueDay, hours, holidays);
    if (at.getTime() < due) reporters.push({ step: "deadline", at, audience: "reporters", days: 0 });
  }
  const steps: PlannedStep[] = [];
  const reporterDays = new Set<LocalDate>();
  const opened = a.openedAt.getTime();
  for (const s of reporters) {
    // "7 days left" means nothing before the period was even open.
    if (s.step !== "opened" && s.at.getTime() < opened) continue;
    const day = toLocalDate(s.at);
    if (reporterDays.has(day)) continue;
    reporterDays.add(day);
    steps.push(s);
  }
  for (let n = 1; n <= policy.maxOverdueReminders; n++) {
    const at = opening(addWorkingDays(dueDay, n, holidays), hours, holidays);
    steps.push({ step: `overdue-${n}`, at, audience: "reporters", days: n });
    if (n >= policy.escalateToHeadsFrom) steps.push({ step: `escalation-${n}`, at, audience: "heads", days: n });
    if (n >= policy.committeeDigestFrom) steps.push({ step: `digest-${n}`, at, audience: "committee", days: n });
  }
  return steps.sort((x, y) => x.at.getTime() - y.at.getTime());
}

/**
 * Calendar days back from `now` that cover every overdue step of the policy:
 * assignments whose deadline is older have nothing left to remind.
 */
export function horizonDays(policy: ReminderPolicy): number {
  // Five working days a week, plus room for Tết (nine days off in 2026).
  return Math.ceil((policy.maxOverdueReminders * 7) / 5) + 14;
}
