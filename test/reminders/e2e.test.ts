// End to end through the real app and the Telegram emulator: a reminder
// reaches the right chat with a button, and tapping it opens the report.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.ts";
import { fixedClock } from "../../src/clock.ts";
import { ensureShippedHolidays } from "../../src/calendar/holiday-store.ts";
import { loadImportFile } from "../../src/org/import-file.ts";
import { applyImport } from "../../src/org/import.ts";
import { openPeriod } from "../../src/reports/periods.ts";
import { reconcileReminders } from "../../src/reminders/reconcile.ts";
import { dispatchDue } from "../../src/reminders/dispatch.ts";
import { enqueueOutbound } from "../../jobs/queues.ts";
import { vi as texts } from "../../src/texts/vi.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { telegramDriver, type ChannelDriver } from "../support/channels.ts";
import { startTestApp } from "../support/app.ts";
import { talk, type Talk } from "../support/talk.ts";
import { exampleFile } from "../org/helpers.ts";
import { vn } from "../reports/helpers.ts";
import type { TelegramEmulator } from "../emulators/telegram.ts";

const NOW = vn("2026-12-04 09:00"); // Friday: "7 working days" before Tuesday 15/12
const LAN = 11;
const HUNG = 12;
let t: TestDb;
let channel: ChannelDriver & { emulator: TelegramEmulator };
let app: App;
let send: Talk;
const clock = fixedClock(NOW);

beforeAll(async () => {
  t = await createTestDb();
  const file = loadImportFile(exampleFile);
  if (!file.ok) throw new Error(file.problems.join("\n"));
  const imported = await applyImport(t.db.prisma, file.data, { now: NOW, ttlDays: 14 });
  await ensureShippedHolidays(t.db.prisma, NOW);
  const template = await t.db.prisma.template.findUniqueOrThrow({ where: { code: "CCHC-QUY" }, select: { id: true } });
  await openPeriod(t.db.prisma, { templateId: template.id, type: "QUARTERLY", year: 2026, number: 4 }, { now: NOW });
  // Opened in September in this story, so no "opened" notice is due today.
  await t.db.prisma.assignment.updateMany({ data: { createdAt: vn("2026-09-15 06:00") } });
  channel = await telegramDriver();
  app = await startTestApp({ DATABASE_URL: t.url, ...channel.env() }, clock);
  send = talk(channel, () => app);
  const code = (person: string) => imported.invitations.find((i) => i.personCode === person)?.code ?? "";
  expect((await send(LAN, `/start ${code("dothilan")}`))[0]).toContain("liên kết thành công");
  expect((await send(HUNG, `/start ${code("phamvanhung")}`))[0]).toContain("liên kết thành công");
});

afterAll(async () => {
  await app.stop();
  await channel.close();
  await t.cleanup();
});

describe("a reminder on Telegram", () => {
  it("reaches the reporter's chat with a button that opens the report", async () => {
    await reconcileReminders(app.db.prisma, { now: clock.now() });
    const before = channel.replies(LAN).length;
    // Once the app runs the reminder jobs itself, its tick may be first; the row goes out once either way.
    await dispatchDue(app.db.prisma, clock.now(), (rows) => enqueueOutbound(app.queues, rows));

    const reminder = await channel.emulator.waitFor((c) => c.chat_id === String(LAN) && (c.text ?? "").includes("Còn 7 ngày làm việc"));
    expect(reminder.text).toContain("Báo cáo công tác cải cách hành chính trong Đảng (quý) – Quý IV/2026");
    expect(reminder.text).toContain("Hạn nộp: 17:00 thứ Ba, 15/12/2026");
    const keyboard = (reminder.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard.flat();
    expect(keyboard.map((b) => b.text)).toEqual([texts.reminders.openLabel]);
    expect(channel.replies(LAN).slice(before).filter((m) => m.includes("Còn 7 ngày làm việc"))).toHaveLength(1);
    // Not to the head: escalations start on the 2nd overdue working day.
    expect(channel.replies(HUNG).some((m) => m.includes("ngày làm việc"))).toBe(false);

    const opened = await send(LAN, { choose: texts.reminders.openLabel });
    expect(opened[0]).toContain("Bắt đầu: Báo cáo công tác cải cách hành chính trong Đảng (quý) – Quý IV/2026");
    expect(opened.at(-1)).toContain("Tổng số văn bản cấp ủy, chi bộ đã ban hành trong quý");
  });
});
