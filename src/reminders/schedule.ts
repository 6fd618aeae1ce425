// Which steps of a timeline to plan at a given moment. Pure.
//
// Future steps are planned at their time. Past steps are not, so a restart
// after downtime does not send a backlog: at most one past step is planned
// again ("caught up", for the next send time), and only when that send time
// is on the same day as the step (so its text, "quá hạn 3 ngày", is still
// true) and no other step falls on that day. The period-opened notice is the
// exception: someone who never got it (linked late, first start) gets it on
// the next day without another step, while the deadline is ahead.
import { toLocalDate } from "../calendar/dates.ts";
import type { Audience, PlannedStep } from "./policy.ts";

export interface ScheduledStep extends PlannedStep {
  /** A past step planned again for `at` = the next send time; recipients who got a message today are left out. */
  catchUp: boolean;
}

export function stepsToPlan(timeline: readonly PlannedStep[], audience: Audience, deadline: Date, now: Date, nextSend: Date): ScheduledStep[] {
  const own = timeline.filter((s) => s.audience === audience);
  const future = own.filter((s) => s.at.getTime() >= now.getTime()).map((s) => ({ ...s, catchUp: false }));
  const past = own.filter((s) => s.at.getTime() < now.getTime());
  const sendDay = toLocalDate(nextSend);
  if (past.length === 0 || future.some((s) => toLocalDate(s.at) === sendDay)) return future;

  const latest = past.filter((s) => s.step !== "opened").at(-1);
  if (latest && toLocalDate(latest.at) === sendDay) return [{ ...latest, at: nextSend, catchUp: true }, ...future];
  const opened = past.find((s) => s.step === "opened");
  if (opened && nextSend.getTime() < deadline.getTime()) return [{ ...opened, at: nextSend, catchUp: true }, ...future];
  return future;
}
