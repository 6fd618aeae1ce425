// The reminder policy and the timeline it gives an assignment: pure, on the
// shipped 2025–2027 holiday table.
import { describe, expect, it } from "vitest";
import { toInstant, toLocalDate, toLocalDateTime, type LocalDate, type LocalTime } from "../../src/calendar/dates.ts";
import { isWorkingDay } from "../../src/calendar/holidays.ts";
import { DEFAULT_OFFICE_HOURS } from "../../src/calendar/office-hours.ts";
import { DEFAULT_POLICY, parseOfficeHours, parsePolicy, planSteps, subtractWorkingDays, type PlannedStep } from "../../src/reminders/policy.ts";
import { stepsToPlan } from "../../src/reminders/schedule.ts";
import { shippedTable } from "../calendar/helpers.ts";

const table = shippedTable();
const at = (date: LocalDate, time: LocalTime = "07:30") => toInstant(date, time);
/** "2026-02-23 07:30 reporters deadline" — readable diffs. */
const show = (steps: PlannedStep[]) =>
  steps.map((s) => {
    const l = toLocalDateTime(s.at);
    return `${l.date} ${l.time} ${s.audience} ${s.step}`;
  });

describe("the reminder policy", () => {
  it("defaults to 7, 3 and 1 working days before, the deadline morning, ten overdue days, heads from the 2nd, the committee from the 5th", () => {
    expect(DEFAULT_POLICY).toEqual({
      enabled: true,
      openedNotice: true,
      beforeWorkingDays: [7, 3, 1],
      deadlineMorning: true,
      maxOverdueReminders: 10,
      escalateToHeadsFrom: 2,
      committeeDigestFrom: 5,
    });
    expect(parsePolicy(null)).toEqual({ ok: true, policy: DEFAULT_POLICY });
  });

  it("takes a template's overrides and refuses unknown keys and bad values, falling back to the default", () => {
    const r = parsePolicy({ beforeWorkingDays: [1, 5, 5], maxOverdueReminders: 3 });
    expect(r.ok && r.policy).toMatchObject({ beforeWorkingDays: [5, 1], maxOverdueReminders: 3, escalateToHeadsFrom: 2 });
    const bad = parsePolicy({ beforeWorkingDay: [2], maxOverdueReminders: -1 });
    expect(bad.ok).toBe(false);
    expect(bad.policy).toEqual(DEFAULT_POLICY);
    expect(bad.ok ? [] : bad.problems.join("\n")).toMatch(/maxOverdueReminders/);
  });

  it("reads office hours from the setting, with the default when missing or wrong", () => {
    expect(parseOfficeHours(undefined)).toEqual(DEFAULT_OFFICE_HOURS);
    expect(parseOfficeHours({ start: "18:00", end: "07:00" })).toEqual(DEFAULT_OFFICE_HOURS);
    expect(parseOfficeHours({ start: "08:00", end: "16:30" })).toEqual({ start: "08:00", end: "16:30" });
  });
});

describe("planSteps", () => {
  it("plans around Tết 2026: the days off (14–22/02) are skipped both before and after the deadline", () => {
    // Deadline Monday 23/02/2026, the first working day after Tết.
    const steps = planSteps({ deadline: at("2026-02-23", "17:00"), openedAt: at("2026-01-15", "06:00") }, DEFAULT_POLICY, table, DEFAULT_OFFICE_HOURS);
    expect(show(steps.filter((s) => s.audience === "reporters")).slice(0, 5)).toEqual([
      "2026-01-15 07:30 reporters opened",
      "2026-02-05 07:30 reporters before-7",
      "2026-02-11 07:30 reporters before-3",
      "2026-02-13 07:30 reporters before-1", // Friday before Tết, not a day off
      "2026-02-23 07:30 reporters deadline",
    ]);
    const late = show(steps.filter((s) => s.step.startsWith("overdue-")));
    expect(late[0]).toBe("2026-02-24 07:30 reporters overdue-1");
    expect(late[4]).toBe("2026-03-02 07:30 reporters overdue-5"); // the weekend skipped
    expect(late).toHaveLength(10);
    expect(late[9]).toBe("2026-03-09 07:30 reporters overdue-10");
    expect(show(steps.filter((s) => s.audience === "heads"))[0]).toBe("2026-02-25 07:30 heads escalation-2");
    expect(steps.filter((s) => s.audience === "heads")).toHaveLength(9);
    expect(show(steps.filter((s) => s.audience === "committee"))).toEqual([
      "2026-03-02 07:30 committee digest-5",
      "2026-03-03 07:30 committee digest-6",
      "2026-03-04 07:30 committee digest-7",
      "2026-03-05 07:30 committee digest-8",
      "2026-03-06 07:30 committee digest-9",
      "2026-03-09 07:30 committee digest-10",
    ]);
    // Nothing at all falls on a day off or at the weekend.
    for (const s of steps) expect(isWorkingDay(toLocalDate(s.at), table)).toBe(true);
  });

  it("counts working days back over a weekend, and a deadline day off moves nothing past the deadline", () => {
    // Q4/2026: cut-off Monday 14/12, deadline Tuesday 15/12/2026 17:00.
    const steps = planSteps({ deadline: at("2026-12-15", "17:00"), openedAt: at("2026-09-15", "06:00") }, DEFAULT_POLICY, table, DEFAULT_OFFICE_HOURS);
    expect(show(steps.filter((s) => s.audience === "reporters").slice(1, 4))).toEqual([
      "2026-12-04 07:30 reporters before-7",
      "2026-12-10 07:30 reporters before-3",
      "2026-12-14 07:30 reporters before-1",
    ]);
    expect(subtractWorkingDays("2026-12-14", 1, table)).toBe("2026-12-11");
    // An ad hoc deadline on a Sunday noon: no "deadline morning" (it would come after it).
    const sunday = planSteps({ deadline: at("2026-12-13", "12:00"), openedAt: at("2026-12-01") }, DEFAULT_POLICY, table, DEFAULT_OFFICE_HOURS);
    expect(sunday.some((s) => s.step === "deadline")).toBe(false);
    expect(show(sunday.filter((s) => s.step === "before-1" || s.step === "overdue-1"))).toEqual([
      "2026-12-11 07:30 reporters before-1",
      "2026-12-14 07:30 reporters overdue-1",
    ]);
  });

  it("keeps quiet hours: a period opened at night or before a holiday is announced the next working morning", () => {
    const friday = planSteps({ deadline: at("2026-12-15", "17:00"), openedAt: at("2026-12-04", "22:00") }, DEFAULT_POLICY, table, DEFAULT_OFFICE_HOURS);
    expect(show(friday).slice(0, 2)).toEqual(["2026-12-07 07:30 reporters opened", "2026-12-10 07:30 reporters before-3"]);
    const tet = planSteps({ deadline: at("2026-03-02", "17:00"), openedAt: at("2026-02-13", "18:00") }, DEFAULT_POLICY, table, DEFAULT_OFFICE_HOURS);
    expect(show(tet)[0]).toBe("2026-02-23 07:30 reporters opened");
    // The before-3 reminder of the same morning gives way to the notice, which says the deadline.
    const sameDay = planSteps({ deadline: at("2026-12-15", "17:00"), openedAt: at("2026-12-10", "06:00") }, DEFAULT_POLICY, table, DEFAULT_OFFICE_HOURS);
    expect(show(sameDay).slice(0, 2)).toEqual(["2026-12-10 07:30 reporters opened", "2026-12-14 07:30 reporters before-1"]);
    // Custom office hours move every step.
    const late = planSteps({ deadline: at("2026-12-15", "17:00"), openedAt: at("2026-12-10", "14:00") }, DEFAULT_POLICY, table, { start: "08:00", end: "11:30" });
    expect(show(late).slice(0, 3)).toEqual(["2026-12-11 08:00 reporters opened", "2026-12-14 08:00 reporters before-1", "2026-12-15 08:00 reporters deadline"]);
  });

  it("follows a template's own policy", () => {
    const policy = parsePolicy({ beforeWorkingDays: [2], deadlineMorning: false, maxOverdueReminders: 3, escalateToHeadsFrom: 1, committeeDigestFrom: 3, openedNotice: false });
    expect(policy.ok).toBe(true);
    const steps = planSteps({ deadline: at("2026-12-15", "17:00"), openedAt: at("2026-09-15") }, policy.policy, table, DEFAULT_OFFICE_HOURS);
    expect(show(steps)).toEqual([
      "2026-12-11 07:30 reporters before-2",
      "2026-12-16 07:30 reporters overdue-1",
      "2026-12-16 07:30 heads escalation-1",
      "2026-12-17 07:30 reporters overdue-2",
      "2026-12-17 07:30 heads escalation-2",
      "2026-12-18 07:30 reporters overdue-3",
      "2026-12-18 07:30 heads escalation-3",
      "2026-12-18 07:30 committee digest-3",
    ]);
    expect(planSteps({ deadline: at("2026-12-15", "17:00"), openedAt: at("2026-09-15") }, { ...DEFAULT_POLICY, enabled: false }, table, DEFAULT_OFFICE_HOURS)).toEqual([]);
  });
});

describe("stepsToPlan (what is planned at a given moment)", () => {
  const deadline = at("2026-12-15", "17:00");
  const timeline = planSteps({ deadline, openedAt: at("2026-09-15", "06:00") }, DEFAULT_POLICY, table, DEFAULT_OFFICE_HOURS);
  const plan = (now: Date, nextSend: Date) =>
    stepsToPlan(timeline, "reporters", deadline, now, nextSend).map((s) => `${toLocalDateTime(s.at).date} ${toLocalDateTime(s.at).time} ${s.step}${s.catchUp ? " (catch-up)" : ""}`);

  it("plans the future steps only, with no backlog after downtime", () => {
    // Thursday 17/12 09:00, after three days down: only today's overdue-2 is caught up.
    const now = at("2026-12-17", "09:00");
    expect(plan(now, now).slice(0, 2)).toEqual(["2026-12-17 09:00 overdue-2 (catch-up)", "2026-12-18 07:30 overdue-3"]);
    // At 22:00 the past day is gone: tomorrow's own step comes, nothing else.
    expect(plan(at("2026-12-17", "22:00"), at("2026-12-18"))[0]).toBe("2026-12-18 07:30 overdue-3");
  });

  it("sends the period-opened notice late, once, on a day without another step, while the deadline is ahead", () => {
    const now = at("2026-12-01", "10:00");
    expect(plan(now, now)[0]).toBe("2026-12-01 10:00 opened (catch-up)");
    // On a step's day the step is enough.
    expect(plan(at("2026-12-04", "06:00"), at("2026-12-04"))[0]).toBe("2026-12-04 07:30 before-7");
    // After the deadline there is no point.
    expect(plan(at("2026-12-21", "22:00"), at("2026-12-22")).some((s) => s.includes("opened"))).toBe(false);
  });
});
