// The texts of reminders, escalations and digests, as stored in
// OutboundMessage.payload. Built when planned and rebuilt by every
// reconcile, so a moved deadline or a new list of late units is what goes out.
import type { OutboundMessage, PlatformName } from "../channels/channel.ts";
import { formatDueTime, formatVietnameseDate, toLocalDateTime, type LocalDate } from "../calendar/dates.ts";
import { vi } from "../texts/vi.ts";
import type { PlannedStep } from "./policy.ts";
import type { Recipient } from "./recipients.ts";

const t = vi.reminders;

export interface AssignmentInfo {
  id: number;
  deadline: Date;
  unitName: string;
  templateTitle: string;
  periodLabel: string;
}

export const openChoiceValue = (assignmentId: number) => `open:${assignmentId}`;

/** The message of one step (not the digest) for one recipient. */
export function stepMessage(a: AssignmentInfo, step: PlannedStep, to: Recipient): OutboundMessage {
  const due = formatDueTime(a.deadline);
  let text: string;
  if (step.step === "opened") text = t.opened(a.templateTitle, a.periodLabel, a.unitName, due);
  else if (step.step === "deadline") text = t.deadlineDay(a.templateTitle, a.periodLabel, a.unitName, toLocalDateTime(a.deadline).time);
  else if (step.step.startsWith("before-")) text = t.before(step.days, a.templateTitle, a.periodLabel, a.unitName, due);
  else if (step.audience === "heads") text = t.escalation(step.days, a.unitName, a.templateTitle, a.periodLabel, due);
  else text = t.overdue(step.days, a.templateTitle, a.periodLabel, a.unitName, due);
  if (to.standsInFor) text = `${text}\n${t.standIn(to.standsInFor.fullName)}`;
  // Only someone who may file gets the button: for others canFile refuses it.
  if (!to.canFile) return { text };
  return withOpenChoice(text, a.id, to.identity.platform);
}

function withOpenChoice(text: string, assignmentId: number, platform: PlatformName): OutboundMessage {
  return {
    text: platform === "ZALO" ? `${text}\n${t.zaloHint}` : text,
    choices: [{ value: openChoiceValue(assignmentId), label: t.openLabel }],
  };
}

export interface DigestItem {
  unitName: string;
  templateTitle: string;
  periodLabel: string;
  daysLate: number;
}

/** The committee office's daily list of units long overdue; no buttons. */
export function digestMessage(committeeName: string, day: LocalDate, items: readonly DigestItem[], to: Recipient): OutboundMessage {
  const lines = items.map((item, i) => t.digestLine(i + 1, item.unitName, item.templateTitle, item.periodLabel, item.daysLate));
  const parts = [t.digestHeader(committeeName, formatVietnameseDate(day), items.length), ...lines, "", t.digestFooter];
  if (to.standsInFor) parts.push(t.standIn(to.standsInFor.fullName));
  return { text: parts.join("\n") };
}
