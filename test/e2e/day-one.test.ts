// What an office and its officials meet on day one, over both channels from
// one table: the help a reporter gets, commands typed as people say them, a
// reporter for two units, a second app, select-many by buttons, a draft a
// colleague submitted, and the small things a review and a receipt say.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.ts";
import { fixedClock } from "../../src/clock.ts";
import { parseTemplateForm } from "../../src/forms/template-schema.ts";
import { loadImportFile } from "../../src/org/import-file.ts";
import { applyImport } from "../../src/org/import.ts";
import { openPeriod } from "../../src/reports/periods.ts";
import { vi as texts } from "../../src/texts/vi.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { drivers, type ChannelDriver } from "../support/channels.ts";
import { startTestApp } from "../support/app.ts";
import { talk, type Talk } from "../support/talk.ts";

// Tuesday 1 December 2026, 10:00 in Hà Nội.
const NOW = new Date("2026-12-01T03:00:00Z");
const QUARTERLY = "Báo cáo công tác cải cách hành chính trong Đảng (quý) – Quý IV/2026";
const MONTHLY = "Báo cáo tình hình thôn, bản hằng tháng – Tháng 12/2026";
const MULTI = "Lĩnh vực trọng tâm tháng – Tháng 12/2026";
const all = (replies: string[]) => replies.join("\n");

describe.each(drivers)("day one on $name", ({ make }) => {
  let t: TestDb;
  let channel: ChannelDriver;
  let app: App;
  let send: Talk;
  let codes: Map<string, string>;
  const users = { lan: 11, hung: 12, long: 21, duc: 31, lanSecond: 41 };

  beforeAll(async () => {
    t = await createTestDb();
    const file = loadImportFile(join(import.meta.dirname, "../../examples/xa-tan-phong.yaml"));
    if (!file.ok) throw new Error(file.problems.join("\n"));
    // Đỗ Thị Lan also reports for Đồng Tâm; and a small report asks for several areas at once.
    file.data.people.find((p) => p.code === "dothilan")!.roles.push({ unitCode: "CB-THON-DONG-TAM", role: "REPORTER" });
    file.data.templates.push({
      code: "LINH-VUC",
      title: "Lĩnh vực trọng tâm tháng",
      periodType: "MONTHLY",
      deadlineWorkingDays: 2,
      editAfterDeadline: false,
      reminderPolicy: null,
      targetUnitCodes: ["CB-THON-TAN-LAP"],
      form: parseTemplateForm({
        questions: [
          {
            name: "linh_vuc",
            type: "select_multiple",
            label: "Các lĩnh vực chi bộ tập trung trong tháng",
            choices: [
              { value: "kt", label: "Kinh tế" },
              { value: "vh", label: "Văn hóa" },
              { value: "an", label: "An ninh" },
            ],
          },
        ],
      }),
    });
    const imported = await applyImport(t.db.prisma, file.data, { now: NOW, ttlDays: 14 });
    codes = new Map(imported.invitations.map((i) => [i.personCode, i.code]));
    for (const [code, type, number] of [["CCHC-QUY", "QUARTERLY", 4], ["TINH-HINH-THANG", "MONTHLY", 12], ["LINH-VUC", "MONTHLY", 12]] as const) {
      const template = await t.db.prisma.template.findUniqueOrThrow({ where: { code }, select: { id: true } });
      await openPeriod(t.db.prisma, { templateId: template.id, type, year: 2026, number }, { now: NOW });
    }
    channel = await make();
    app = await startTestApp({ DATABASE_URL: t.url, ...channel.env() }, fixedClock(NOW));
    send = talk(channel, () => app);
    for (const [user, person] of [[users.lan, "dothilan"], [users.hung, "phamvanhung"], [users.long, "vuvanlong"], [users.duc, "tranvanduc"]] as const) {
      expect(all(await send(user, `/start ${codes.get(person)}`))).toContain("liên kết thành công");
    }
  });

  afterAll(async () => {
    await app.stop();
    await channel.close();
    await t.cleanup();
  });

  it("gives a reporter the report commands in /help, and takes commands as people type them", async () => {
    const help = all(await send(users.lan, "/help"));
    for (const command of ["/baocao", "/quaylai", "/boqua", "/tiendo", "/xemlai", "/huy", "/lienket"]) expect(help).toContain(command);
    expect(all(await send(users.lan, "huong dan"))).toBe(help);
    expect(all(await send(users.lan, "Hướng dẫn"))).toBe(help);
    // The committee's commands too, with a space, with diacritics, without the slash.
    const status = all(await send(users.duc, "/trangthai"));
    expect(status).toContain("TIẾN ĐỘ BÁO CÁO");
    for (const typed of ["/trang thai", "/Trạng thái", "trang thai"]) expect(all(await send(users.duc, typed))).toBe(status);
  });

  it("names the unit on each report of a reporter for two units, and lists them once on Zalo", async () => {
    const list = await send(users.lan, "/baocao");
    const text = all(list);
    expect(text).toContain("Chi bộ thôn Tân Lập");
    expect(text).toContain("Chi bộ thôn Đồng Tâm");
    // Each report once in the text: Zalo's numbered options are the list itself.
    expect(text.split(QUARTERLY).length - 1).toBe(2);
    if (channel.platform === "ZALO") expect(text).toContain(texts.channels.choiceHint);
    const opened = all(await send(users.lan, { choose: texts.report.dueChoiceLabelUnit("Chi bộ thôn Đồng Tâm", "Báo cáo tình hình thôn, bản hằng tháng", "Tháng 12/2026") }));
    expect(opened).toContain("Đơn vị: Chi bộ thôn Đồng Tâm");
    await send(users.lan, "/huy");
    await send(users.lan, { choose: "Có" });
  });

  it("introduces a report once, even after a wrong first answer, and shows unanswered questions as such", async () => {
    await send(users.hung, "/baocao");
    const first = all(await send(users.hung, { choose: QUARTERLY }));
    expect(first).toContain("Tuyệt đối không gửi nội dung, tài liệu MẬT"); // the form's opening note
    const again = all(await send(users.hung, "ba"));
    expect(again).toContain("⚠️");
    expect(again).not.toContain("Tuyệt đối không gửi nội dung, tài liệu MẬT");
    const review = all(await send(users.hung, "/xemlai"));
    expect(review).toContain(`1. Tổng số văn bản cấp ủy, chi bộ đã ban hành trong quý: ${texts.report.unansweredRequired}`);
    expect(review).not.toContain(texts.report.skipped);
    await send(users.hung, "/huy");
    await send(users.hung, { choose: "Có" });
  });

  it("takes several options by taps on Telegram (and by typed numbers everywhere)", async () => {
    await send(users.hung, "/baocao");
    await send(users.hung, { choose: MULTI });
    let review: string;
    if (channel.platform === "TELEGRAM") {
      expect(all(await send(users.hung, { choose: "Kinh tế" }))).toBe(texts.report.multiPicked(["Kinh tế"]));
      expect(all(await send(users.hung, { choose: "An ninh" }))).toBe(texts.report.multiPicked(["Kinh tế", "An ninh"]));
      // A tapped option shows ticked; tapping it again takes it back.
      expect(all(await send(users.hung, { choose: "✔ Kinh tế" }))).toBe(texts.report.multiPicked(["An ninh"]));
      await send(users.hung, { choose: "Văn hóa" });
      review = all(await send(users.hung, { choose: texts.report.multiDone }));
    } else {
      review = all(await send(users.hung, "2, 3"));
    }
    expect(review).toContain("1. Các lĩnh vực chi bộ tập trung trong tháng: Văn hóa; An ninh");
    expect(all(await send(users.hung, "GỬI"))).toContain("ĐÃ NHẬN BÁO CÁO");
  });

  it("submits with the word the review tells to type, and says an editable-after-deadline report stays editable", async () => {
    await send(users.long, "/baocao");
    await send(users.long, { choose: MONTHLY });
    await send(users.long, "5/12/2026");
    await send(users.long, "30");
    await send(users.long, "28");
    await send(users.long, { choose: "Không" });
    expect(all(await send(users.long, "Sản xuất ổn định."))).toContain("XEM LẠI BÁO CÁO");
    const receipt = all(await send(users.long, "gửi"));
    expect(receipt).toContain("ĐÃ NHẬN BÁO CÁO");
    expect(receipt).toContain(texts.report.editableAnytime);
    expect(receipt).not.toContain("có thể sửa báo cáo đến");
  });

  it("shows the list, not a colleague's submitted draft, on /baocao", async () => {
    // Lan starts Tân Lập's monthly report; Hùng, the cell's secretary, finishes and submits it.
    await send(users.lan, "/baocao");
    await send(users.lan, { choose: texts.report.dueChoiceLabelUnit("Chi bộ thôn Tân Lập", "Báo cáo tình hình thôn, bản hằng tháng", "Tháng 12/2026") });
    await send(users.lan, "4/12/2026");
    await send(users.hung, "/baocao");
    await send(users.hung, { choose: MONTHLY });
    for (const answer of ["25", "24"]) await send(users.hung, answer);
    await send(users.hung, { choose: "Không" });
    await send(users.hung, "Mọi việc bình thường.");
    expect(all(await send(users.hung, { choose: texts.report.reviewActions.submit }))).toContain("ĐÃ NHẬN BÁO CÁO");
    const back = all(await send(users.lan, "/baocao"));
    expect(back).toContain(texts.report.dueHeader);
    expect(back).not.toContain("XEM LẠI BÁO CÁO");
  });

  it("gives a linked person a one-time code for a second app", async () => {
    const reply = all(await send(users.lan, "/lienket"));
    const code = /\/start ([A-Z2-9]{8})/.exec(reply)?.[1];
    expect(code).toBeDefined();
    expect(all(await send(users.lanSecond, `/start ${code}`))).toContain("Đỗ Thị Lan");
    const identities = await t.db.prisma.chatIdentity.count({ where: { person: { code: "dothilan" } } });
    expect(identities).toBe(2);
    // Used once; a second use finds it gone.
    expect(all(await send(99, `/start ${code}`))).not.toContain("liên kết thành công");
  });

  it("opens the last reminder's report on a typed 1, even when a notice without choices came after it", async () => {
    const long = await t.db.prisma.person.findUniqueOrThrow({ where: { code: "vuvanlong" }, select: { id: true } });
    const a = await t.db.prisma.assignment.findFirstOrThrow({ where: { unit: { code: "CB-THON-DONG-TAM" }, template: { code: "CCHC-QUY" } }, select: { id: true } });
    const base = { platform: channel.platform, chatId: String(users.long), recipientId: long.id, status: "SENT" as const };
    await t.db.prisma.outboundMessage.create({
      data: { ...base, dedupKey: `t-rem:${channel.platform}`, purpose: "reminder", assignmentId: a.id, sentAt: new Date(NOW.getTime() - 3_600_000), payload: { text: "⏰", choices: [{ value: `open:${a.id}`, label: texts.reminders.openLabel }] } },
    });
    await t.db.prisma.outboundMessage.create({ data: { ...base, dedupKey: `t-note:${channel.platform}`, purpose: "notice", sentAt: NOW, payload: { text: "Lịch nghỉ lễ" } } });
    expect(all(await send(users.long, "1"))).toContain("Báo cáo công tác cải cách hành chính trong Đảng (quý) – Quý IV/2026");
  });
});
