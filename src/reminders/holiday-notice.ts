// Tells the committee office in good time that next year's official holiday
// schedule should be loaded. Until it is, working days of that year follow
// the Labour Code (calendar/statutory.ts), without the swapped days the
// government publishes, so deadlines and reminders may be a day off.
//
// From 1 November, each active office person (OFFICE role) present that day
// gets one message per linked platform, at most once a year: the dedupKey
// holds the year, the person and the platform. Rows are PLANNED like
// reminders and go out through the reminder tick's dispatch, in office hours
// on a working day. Safe to run every tick, in several processes at once.
import type { OutboundMessage, PlatformName } from "../channels/channel.ts";
import type { Prisma, Tx } from "../db/database.ts";
import type { Prisma as P } from "../db/generated/client.ts";
import { dateParts, formatVietnameseDate, fromDbDate, toInstant, toLocalDate, type LocalDate } from "../calendar/dates.ts";
import { daysOffRuns, type HolidayTable } from "../calendar/holidays.ts";
import { loadedHolidayYears, NEXT_YEAR_NOTICE_MONTH } from "../calendar/holiday-store.ts";
import { nextSendTime } from "../calendar/office-hours.ts";
import { vi } from "../texts/vi.ts";
import { isAbsent } from "./recipients.ts";
import { loadHolidayTables, loadOfficeHours } from "./settings.ts";

export const HOLIDAY_NOTICE_PURPOSE = "notice";

export const holidayNoticeKey = (year: number, personId: number, platform: PlatformName) => `holidays:${year}:${personId}:${platform}`;

const KEY = /^holidays:(\d{4}):/;

export interface HolidayNoticeResult {
  /** The year asked about, or null outside November and December or once it is loaded. */
  year: number | null;
  created: number;
  /** Planned rows moved to the next office opening (planned for a day that passed unsent) or brought back after expiring. */
  replanned: number;
  /** Planned rows of a year whose schedule has been loaded meanwhile. */
  cancelled: number;
}

/** The year to ask about at `now`: next year, from 1 November; null before that. */
export function noticeYear(now: Date): number | null {
  const { year, month } = dateParts(toLocalDate(now));
  return month >= NEXT_YEAR_NOTICE_MONTH ? year + 1 : null;
}

export async function planHolidayNotices(prisma: Prisma | Tx, now: Date): Promise<HolidayNoticeResult> {
  const result: HolidayNoticeResult = { year: null, created: 0, replanned: 0, cancelled: 0 };
  result.cancelled = await cancelLoaded(prisma);
  const year = noticeYear(now);
  if (year === null || (await loadedHolidayYears(prisma, [year])).has(year)) return result;
  result.year = year;

  const hours = await loadOfficeHours(prisma);
  const { office } = await loadHolidayTables(prisma);
  const at = nextSendTime(now, hours, office);
  const day = toLocalDate(at);
  const payload = noticeMessage(year, office);
  const wanted = (await officeRecipients(prisma, day)).map((r) => ({ ...r, dedupKey: holidayNoticeKey(year, r.personId, r.platform) }));
  if (wanted.length === 0) return result;

  const existing = await prisma.outboundMessage.findMany({
    where: { dedupKey: { in: wanted.map((w) => w.dedupKey) } },
    select: { id: true, dedupKey: true, status: true, reason: true, plannedFor: true },
  });
  const byKey = new Map(existing.map((e) => [e.dedupKey, e]));
  const json = payload as unknown as P.InputJsonValue;
  const dayStart = toInstant(toLocalDate(now));
  for (const e of existing) {
    // A row planned for a day that passed unsent (downtime) would be expired by
    // dispatch; one that was expired goes out now. Anything else was handled.
    const stale = e.status === "PLANNED" && e.plannedFor < dayStart;
    const expired = e.status === "CANCELLED" && e.reason === "expired";
    if (!stale && !expired) continue;
    result.replanned += (
      await prisma.outboundMessage.updateMany({
        where: { id: e.id, status: e.status },
        data: { status: "PLANNED", reason: null, plannedFor: at, payload: json },
      })
    ).count;
  }
  const fresh = wanted.filter((w) => !byKey.has(w.dedupKey));
  if (fresh.length > 0) {
    result.created = (
      await prisma.outboundMessage.createMany({
        data: fresh.map((w) => ({
          dedupKey: w.dedupKey,
          purpose: HOLIDAY_NOTICE_PURPOSE,
          step: HOLIDAY_NOTICE_PURPOSE,
          platform: w.platform,
          chatId: w.chatId,
          recipientId: w.personId,
          payload: json,
          status: "PLANNED" as const,
          plannedFor: at,
          createdAt: now,
        })),
        skipDuplicates: true,
      })
    ).count;
  }
  return result;
}

/** The message: the year is missing, what the bot assumes meanwhile, how to load it. */
export function noticeMessage(year: number, table: HolidayTable): OutboundMessage {
  const dm = (d: LocalDate) => formatVietnameseDate(d).slice(0, 5);
  const breaks = daysOffRuns(year, table).map((r) => (r.from === r.to ? dm(r.from) : vi.reminders.holidayNotice.range(dm(r.from), dm(r.to))));
  return { text: vi.reminders.holidayNotice.text(year, breaks) };
}

/** Notices still planned for a year the office has loaded since: no longer true. */
async function cancelLoaded(prisma: Prisma | Tx): Promise<number> {
  const planned = await prisma.outboundMessage.findMany({
    where: { purpose: HOLIDAY_NOTICE_PURPOSE, status: "PLANNED" },
    select: { id: true, dedupKey: true },
  });
  const yearOf = (key: string) => Number(KEY.exec(key)?.[1]);
  const years = [...new Set(planned.map((p) => yearOf(p.dedupKey)).filter(Number.isInteger))];
  if (years.length === 0) return 0;
  const loaded = await loadedHolidayYears(prisma, years);
  const ids = planned.filter((p) => loaded.has(yearOf(p.dedupKey))).map((p) => p.id);
  if (ids.length === 0) return 0;
  return (await prisma.outboundMessage.updateMany({ where: { id: { in: ids }, status: "PLANNED" }, data: { status: "CANCELLED", reason: "loaded" } })).count;
}

interface OfficeRecipient {
  personId: number;
  platform: PlatformName;
  chatId: string;
}

/** Active OFFICE people of active units, present on `day`, one linked and unblocked chat per platform. */
async function officeRecipients(prisma: Prisma | Tx, day: LocalDate): Promise<OfficeRecipient[]> {
  const people = await prisma.person.findMany({
    where: { active: true, memberships: { some: { role: "OFFICE", unit: { active: true } } } },
    select: {
      id: true,
      absentFrom: true,
      absentTo: true,
      identities: { where: { blockedAt: null }, select: { platform: true, chatId: true }, orderBy: { id: "asc" } },
    },
    orderBy: { id: "asc" },
  });
  const out: OfficeRecipient[] = [];
  for (const p of people) {
    const absence = { absentFrom: p.absentFrom && fromDbDate(p.absentFrom), absentTo: p.absentTo && fromDbDate(p.absentTo) };
    // Someone on leave gets it when back, if the year is still not loaded.
    if (isAbsent(absence, day)) continue;
    const seen = new Set<PlatformName>();
    for (const i of p.identities) {
      if (seen.has(i.platform)) continue;
      seen.add(i.platform);
      out.push({ personId: p.id, platform: i.platform, chatId: i.chatId });
    }
  }
  return out;
}
