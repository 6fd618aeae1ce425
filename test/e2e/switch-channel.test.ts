// An official starts a report on Telegram and carries on from Zalo: the
// place in the report belongs to the person, not to the chat.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.ts";
import { fixedClock } from "../../src/clock.ts";
import { loadImportFile } from "../../src/org/import-file.ts";
import { applyImport } from "../../src/org/import.ts";
import { openPeriod } from "../../src/reports/periods.ts";
import { vi as texts } from "../../src/texts/vi.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { telegramDriver, zaloDriver, type ChannelDriver } from "../support/channels.ts";
import { startTestApp } from "../support/app.ts";
import { talk, type Talk } from "../support/talk.ts";

const NOW = new Date("2026-12-01T03:00:00Z");
const MONTHLY = "Báo cáo tình hình thôn, bản hằng tháng – Tháng 12/2026";

let t: TestDb;
let tg: ChannelDriver;
let zalo: ChannelDriver;
let app: App;
let onTelegram: Talk;
let onZalo: Talk;
let codes: string[];

beforeAll(async () => {
  t = await createTestDb();
  const file = loadImportFile(join(import.meta.dirname, "../../examples/xa-tan-phong.yaml"));
  if (!file.ok) throw new Error(file.problems.join("\n"));
  const imported = await applyImport(t.db.prisma, file.data, { now: NOW, ttlDays: 14 });
  const first = imported.invitations.find((i) => i.personCode === "dothilan")!;
  // The office hands the same person a second code for the other app.
  const person = await t.db.prisma.person.findUniqueOrThrow({ where: { code: "dothilan" }, select: { id: true } });
  await t.db.prisma.invitation.create({ data: { personId: person.id, code: "ZALO2345", expiresAt: new Date(NOW.getTime() + 86_400_000) } });
  codes = [first.code, "ZALO2345"];
  const template = await t.db.prisma.template.findUniqueOrThrow({ where: { code: "TINH-HINH-THANG" }, select: { id: true } });
  await openPeriod(t.db.prisma, { templateId: template.id, type: "MONTHLY", year: 2026, number: 12 }, { now: NOW });
  tg = await telegramDriver();
  zalo = await zaloDriver();
  app = await startTestApp({ DATABASE_URL: t.url, ...tg.env(), ...zalo.env() }, fixedClock(NOW));
  onTelegram = talk(tg, () => app);
  onZalo = talk(zalo, () => app);
});

afterAll(async () => {
  await app.stop();
  await tg.close();
  await zalo.close();
  await t.cleanup();
});

describe("switching channel in the middle of a report", () => {
  it("goes on from Zalo where Telegram left off, and back", async () => {
    expect((await onTelegram(61, `/start ${codes[0]}`))[0]).toContain("liên kết thành công");
    await onTelegram(61, "/baocao");
    let r = await onTelegram(61, { choose: MONTHLY });
    expect(r.at(-1)).toContain("Ngày chi bộ sinh hoạt");
    r = await onTelegram(61, "03/12/2026");
    expect(r.at(-1)).toContain("Tổng số đảng viên của chi bộ");

    expect((await onZalo(62, `/start ${codes[1]}`))[0]).toContain("liên kết thành công");
    r = await onZalo(62, "/baocao");
    expect(r[0]).toContain("đã trả lời 1/5 câu");
    expect(r.at(-1)).toContain("Tổng số đảng viên của chi bộ");
    r = await onZalo(62, "31");
    expect(r.at(-1)).toContain("Số đảng viên dự sinh hoạt");

    r = await onTelegram(61, "/tiendo");
    expect(r[0]).toBe(texts.report.progress(2, 5, 3));
    const answers = await t.db.prisma.answer.findMany({ select: { path: true, value: true }, orderBy: { path: "asc" } });
    expect(answers).toEqual([
      { path: "ngay_sinh_hoat", value: "2026-12-03" },
      { path: "so_dang_vien", value: 31 },
    ]);
  });
});
