// Filing reports by conversation: one table of scenarios, run unchanged over
// the Telegram and the Zalo emulator, through the real app.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.ts";
import { fixedClock } from "../../src/clock.ts";
import { loadImportFile } from "../../src/org/import-file.ts";
import { applyImport } from "../../src/org/import.ts";
import { openPeriod } from "../../src/reports/periods.ts";
import { saveAnswer } from "../../src/reports/submissions.ts";
import { vi as texts } from "../../src/texts/vi.ts";
import { createTestDb, waitersOnLock, type TestDb } from "../support/db.ts";
import { drivers, type ChannelDriver } from "../support/channels.ts";
import { startTestApp } from "../support/app.ts";
import { talk, SIGNED_PAGE_JPEG, type Talk } from "../support/talk.ts";

const QUARTERLY = "Báo cáo công tác cải cách hành chính trong Đảng (quý) – Quý IV/2026";
const MONTHLY = "Báo cáo tình hình thôn, bản hằng tháng – Tháng 12/2026";
// Tuesday 1 December 2026, 10:00 in Hà Nội: inside Q4/2026 and December's window.
const NOW = new Date("2026-12-01T03:00:00Z");

const last = (replies: string[]) => replies.at(-1) ?? "";

describe.each(drivers)("filing a report on $name", ({ make }) => {
  let t: TestDb;
  let channel: ChannelDriver;
  let app: App;
  let env: Record<string, string>;
  const clock = fixedClock(NOW);
  let send: Talk;
  let codes: Map<string, string>;
  const users = { lan: 11, hung: 12, long: 21, thu: 22, hoa: 31, em: 41, panh: 42, mai: 45, stranger: 51 };

  beforeAll(async () => {
    t = await createTestDb();
    const file = loadImportFile(join(import.meta.dirname, "../../examples/xa-tan-phong.yaml"));
    if (!file.ok) throw new Error(file.problems.join("\n"));
    const imported = await applyImport(t.db.prisma, file.data, { now: NOW, ttlDays: 14 });
    codes = new Map(imported.invitations.map((i) => [i.personCode, i.code]));
    for (const [code, type, number] of [["CCHC-QUY", "QUARTERLY", 4], ["TINH-HINH-THANG", "MONTHLY", 12]] as const) {
      const template = await t.db.prisma.template.findUniqueOrThrow({ where: { code }, select: { id: true } });
      await openPeriod(t.db.prisma, { templateId: template.id, type, year: 2026, number }, { now: NOW });
    }
    channel = await make();
    env = { DATABASE_URL: t.url, ...channel.env() };
    app = await startTestApp(env, clock);
    send = talk(channel, () => app);
    const link = async (user: number, person: string) => {
      const replies = await send(user, `/start ${codes.get(person)}`);
      expect(replies[0]).toContain("liên kết thành công");
    };
    await link(users.lan, "dothilan");
    await link(users.long, "vuvanlong");
    await link(users.thu, "buithithu");
    await link(users.hoa, "dangthihoa");
    await link(users.em, "quangthiem");
    await link(users.hung, "phamvanhung");
    await link(users.mai, "lethimai");
    await link(users.panh, "lovanpanh");
  });

  afterAll(async () => {
    await app.stop();
    await channel.close();
    await t.cleanup();
  });

  it("files the quarterly report with every question type, repeats and skip logic", async () => {
    const due = await send(users.lan, "/baocao");
    expect(due[0]).toContain(texts.report.dueHeader);
    expect(due[0]).toContain("Chi bộ thôn Tân Lập");

    let r = await send(users.lan, { choose: QUARTERLY });
    expect(r[0]).toContain("Bắt đầu: Báo cáo công tác cải cách hành chính trong Đảng (quý) – Quý IV/2026");
    expect(r[0]).toContain("Hạn nộp: 17:00 thứ Ba, 15/12/2026");
    expect(r.join("\n")).toContain("Tuyệt đối không gửi nội dung, tài liệu MẬT"); // the form's opening note
    expect(last(r)).toContain("Tổng số văn bản cấp ủy, chi bộ đã ban hành trong quý");

    r = await send(users.lan, "ba");
    expect(r[0]).toContain("⚠️");
    expect(last(r)).toContain("Tổng số văn bản cấp ủy");
    r = await send(users.lan, "3");
    expect(last(r)).toContain("Trong đó, số nghị quyết");
    r = await send(users.lan, "1");
    expect(last(r)).toContain("Số văn bản gửi, nhận qua môi trường điện tử");
    r = await send(users.lan, "1.000");
    // The repeat group starts with its first entry (at least one is required).
    expect(last(r)).toContain("Văn bản thứ 1");
    expect(last(r)).toContain("Số, ký hiệu văn bản");
    r = await send(users.lan, "05-NQ/ĐU");
    expect(last(r)).toContain("Loại văn bản");
    r = await send(users.lan, { choose: "Loại khác" });
    expect(last(r)).toContain("Ghi rõ loại văn bản");
    r = await send(users.lan, "Thông tri");
    expect(last(r)).toContain("Tên, trích yếu nội dung văn bản");
    r = await send(users.lan, "Về tăng cường cải cách hành chính trong Đảng");
    expect(last(r)).toContain("Ngày ban hành");
    r = await send(users.lan, "31/02/2026");
    expect(r[0]).toContain("⚠️");
    r = await send(users.lan, "15/9/2026");
    expect(last(r)).toContain("Kết quả triển khai, thực hiện");
    r = await send(users.lan, "Đã quán triệt đến toàn thể đảng viên");
    expect(last(r)).toContain("Còn văn bản nào nữa không?");
    r = await send(users.lan, { choose: "Có" });
    expect(last(r)).toContain("Văn bản thứ 2");
    await send(users.lan, "12-KH/CB");
    r = await send(users.lan, { choose: "Kế hoạch" });
    // "Ghi rõ loại văn bản" is skipped: only asked for "Loại khác".
    expect(last(r)).toContain("Tên, trích yếu nội dung văn bản");
    await send(users.lan, "Kế hoạch số hóa văn bản của chi bộ");
    await send(users.lan, "01-10-2026");
    await send(users.lan, "Đang thực hiện");
    r = await send(users.lan, { choose: "Không" });
    expect(last(r)).toContain("Số quy trình, thủ tục được rà soát trong quý");
    await send(users.lan, "4");
    await send(users.lan, "2");
    r = await send(users.lan, "0");
    expect(last(r)).toContain("Nêu tên các quy trình, thủ tục đã sửa đổi");
    r = await send(users.lan, "Quy trình chuyển sinh hoạt đảng");
    expect(last(r)).toContain("Những nội dung đã cải tiến trong quý");
    r = await send(users.lan, "1, 5");
    expect(last(r)).toContain("Đã số hóa, lưu trữ văn bản theo cách nào?");
    r = await send(users.lan, "/boqua");
    expect(last(r)).toContain("Số cuộc họp, làm việc với Thường trực Đảng ủy");
    r = await send(users.lan, "0");
    // No meeting: the two follow-up questions are skipped.
    expect(last(r)).toContain("có tổ chức đối thoại trực tiếp với nhân dân");
    r = await send(users.lan, { choose: "Không" });
    expect(last(r)).toContain("Mức độ ứng dụng công nghệ thông tin");
    r = await send(users.lan, { choose: "Thường xuyên (sổ tay đảng viên điện tử, họp trực tuyến)" });
    expect(last(r)).toContain("Khó khăn, vướng mắc và nguyên nhân");
    await send(users.lan, "Thiếu máy tính cho chi bộ thôn");
    r = await send(users.lan, "/boqua");
    expect(last(r)).toContain("Tự đánh giá kết quả");
    r = await send(users.lan, { choose: "Hoàn thành tốt" });
    expect(last(r)).toContain("Báo cáo có chữ ký, đóng dấu");
    r = await send(users.lan, "đây là bản ký");
    expect(r[0]).toBe(texts.report.fileExpected);
    r = await send(users.lan, { photo: SIGNED_PAGE_JPEG });
    expect(r[0]).toContain("Đã nhận tệp");
    // Zalo splits a long review over several messages (2,000 characters each).
    const review = r.slice(1).join("\n");
    expect(review).toContain("XEM LẠI BÁO CÁO");
    expect(review).toContain("Văn bản thứ 2 – Số, ký hiệu văn bản: 12-KH/CB");
    expect(review).toContain("Số văn bản gửi, nhận qua môi trường điện tử: 1.000");
    expect(review).toContain("Ngày ban hành: 15/09/2026");
    expect(review).toContain(`Đã số hóa, lưu trữ văn bản theo cách nào?: ${texts.report.skipped}`);

    r = await send(users.lan, { choose: texts.report.reviewActions.submit });
    expect(r[0]).toContain("ĐÃ NHẬN BÁO CÁO");
    expect(r[0]).toContain("đúng hạn");
    expect(r[1]).toContain("có thể sửa báo cáo đến 17:00 thứ Ba, 15/12/2026");

    const revision = await t.db.prisma.revision.findFirstOrThrow({
      where: { submission: { assignment: { unit: { code: "CB-THON-TAN-LAP" }, template: { code: "CCHC-QUY" } } } },
      select: { number: true, late: true, answers: { select: { path: true, numberValue: true, dateValue: true } } },
    });
    expect(revision.number).toBe(1);
    expect(revision.late).toBe(false);
    const byPath = new Map(revision.answers.map((a) => [a.path, a]));
    expect(Number(byPath.get("so_van_ban_dien_tu")?.numberValue)).toBe(1000);
    expect(byPath.get("nghi_quyet[0].ngay_ban_hanh")?.dateValue?.toISOString().slice(0, 10)).toBe("2026-09-15");
    expect(byPath.has("nghi_quyet[1].loai_khac")).toBe(false);
    expect(await t.db.prisma.attachment.count({ where: { answerPath: "ban_ky" } })).toBe(1);
  });

  it("edits after submitting: a second revision, the first kept", async () => {
    let r = await send(users.lan, "/baocao");
    r = await send(users.lan, { choose: QUARTERLY });
    expect(r[0]).toContain("đã được nộp");
    expect(r.join("\n")).toContain("XEM LẠI BÁO CÁO");
    r = await send(users.lan, { choose: texts.report.reviewActions.edit });
    expect(r[0]).toContain("Gõ số thứ tự câu cần sửa");
    r = await send(users.lan, "1");
    expect(last(r)).toContain("Tổng số văn bản cấp ủy");
    expect(last(r)).toContain(texts.report.current("3"));
    r = await send(users.lan, "4");
    expect(r.join("\n")).toContain("1. Tổng số văn bản cấp ủy, chi bộ đã ban hành trong quý: 4");
    r = await send(users.lan, { choose: texts.report.reviewActions.submit });
    expect(r[0]).toContain("lần nộp thứ 2");
    const revisions = await t.db.prisma.revision.findMany({
      where: { submission: { assignment: { unit: { code: "CB-THON-TAN-LAP" }, template: { code: "CCHC-QUY" } } } },
      orderBy: { number: "asc" },
      select: { number: true, answers: { where: { path: "so_van_ban" }, select: { numberValue: true } } },
    });
    expect(revisions.map((v) => [v.number, Number(v.answers[0]?.numberValue)])).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });

  it("stops an edit that runs past the deadline", async () => {
    await send(users.lan, "/baocao");
    let r = await send(users.lan, { choose: QUARTERLY });
    expect(r.join("\n")).toContain("XEM LẠI BÁO CÁO");
    // The official leaves the review open; the deadline (15/12, 17:00) passes.
    clock.set(new Date("2026-12-16T03:00:00Z"));
    r = await send(users.lan, "sửa 1");
    expect(r[0]).toContain("đã quá hạn nên không sửa được nữa");
    clock.set(NOW);
  });

  it("refuses wrong answers, goes back, skips only what is optional, shows progress, and resumes after a restart", async () => {
    let r = await send(users.hoa, "/baocao");
    r = await send(users.hoa, { choose: MONTHLY });
    expect(last(r)).toContain("Ngày chi bộ sinh hoạt định kỳ trong tháng");
    r = await send(users.hoa, "hôm qua");
    expect(r[0]).toContain("⚠️");
    r = await send(users.hoa, "05/12/2026");
    expect(last(r)).toContain("Tổng số đảng viên của chi bộ");
    r = await send(users.hoa, "/boqua");
    expect(r[0]).toBe(texts.report.cannotSkip);
    r = await send(users.hoa, "25");
    expect(last(r)).toContain("Số đảng viên dự sinh hoạt");
    r = await send(users.hoa, "quay lại");
    expect(last(r)).toContain("Tổng số đảng viên của chi bộ");
    expect(last(r)).toContain(texts.report.current("25"));
    r = await send(users.hoa, "26");
    expect(last(r)).toContain("Số đảng viên dự sinh hoạt");
    r = await send(users.hoa, "/tiendo");
    expect(r[0]).toBe(texts.report.progress(2, 5, 3));

    // The bot process restarts in the middle of the report.
    await app.stop();
    app = await startTestApp(env, clock);
    r = await send(users.hoa, "/baocao");
    expect(r[0]).toContain("Làm tiếp: Báo cáo tình hình thôn, bản hằng tháng – Tháng 12/2026 (đã trả lời 2/5 câu)");
    expect(last(r)).toContain("Số đảng viên dự sinh hoạt");
    r = await send(users.hoa, "20");
    expect(last(r), JSON.stringify({ r, all: channel.replies(users.hoa).slice(-4) })).toContain("vụ việc phức tạp");
    r = await send(users.hoa, { choose: "Có" });
    expect(last(r)).toContain("Tóm tắt vụ việc");
    r = await send(users.hoa, "/quaylai");
    r = await send(users.hoa, { choose: "Không" });
    // The follow-up disappears with its condition.
    expect(last(r)).toContain("Tình hình chung, việc nổi bật trong tháng");
    r = await send(users.hoa, "Bà con thu hoạch lúa mùa; không có việc gì bất thường.");
    expect(last(r)).toContain("XEM LẠI BÁO CÁO");
    expect(last(r)).not.toContain("Tóm tắt vụ việc");
    // On the review a number is a question to change, never "send".
    r = await send(users.hoa, "1");
    expect(last(r)).toContain("Ngày chi bộ sinh hoạt định kỳ trong tháng");
    r = await send(users.hoa, "06/12/2026");
    expect(last(r)).toContain("1. Ngày chi bộ sinh hoạt định kỳ trong tháng: 06/12/2026");
    r = await send(users.hoa, { choose: texts.report.reviewActions.submit });
    expect(r[0]).toContain("ĐÃ NHẬN BÁO CÁO");
  });

  it("refuses a confidential marking and keeps nothing of it", async () => {
    let r = await send(users.long, "/baocao");
    r = await send(users.long, { choose: MONTHLY });
    expect(last(r)).toContain("Ngày chi bộ sinh hoạt");
    await send(users.long, "04/12/2026");
    await send(users.long, "30");
    await send(users.long, "28");
    await send(users.long, { choose: "Có" });
    const secret = "Báo cáo TỐI MẬT về vụ việc tranh chấp đất đai ở thôn";
    r = await send(users.long, secret);
    expect(r[0]).toBe(texts.report.confidential("TỐI MẬT"));
    expect(last(r)).toContain("Tóm tắt vụ việc");
    const answers = await t.db.prisma.answer.findMany({ select: { value: true } });
    expect(JSON.stringify(answers)).not.toContain("TỐI MẬT");
    const stored = await t.db.prisma.inboundUpdate.findMany({ where: { chatKey: `${channel.platform}:${users.long}` }, select: { payload: true } });
    expect(stored.every((u) => u.payload === null)).toBe(true);
  });

  it("lets two officials of one unit share a draft, both answers kept", async () => {
    // Vũ Văn Long is part-way through Đồng Tâm's monthly report; Bùi Thị Thu opens it too.
    let r = await send(users.thu, "/baocao");
    r = await send(users.thu, { choose: MONTHLY });
    expect(r[0]).toContain("Làm tiếp");
    expect(last(r)).toContain("Tóm tắt vụ việc");
    // Both answer at the same moment: Long the summary, Thu going back to fix the count.
    const both = Promise.all([send(users.long, "Tranh chấp ranh giới đất giữa hai hộ, đã hòa giải thành"), send(users.thu, "/quaylai")]);
    await both;
    r = await send(users.thu, "/quaylai");
    expect(last(r)).toContain("Số đảng viên dự sinh hoạt");
    r = await send(users.thu, "29");
    const answers = await t.db.prisma.answer.findMany({
      where: { submission: { assignment: { unit: { code: "CB-THON-DONG-TAM" }, template: { code: "TINH-HINH-THANG" } } } },
      select: { path: true, value: true, answeredBy: { select: { code: true } } },
    });
    const byPath = new Map(answers.map((a) => [a.path, a]));
    expect(byPath.get("vu_viec")).toMatchObject({ value: "Tranh chấp ranh giới đất giữa hai hộ, đã hòa giải thành", answeredBy: { code: "vuvanlong" } });
    expect(byPath.get("so_du_sinh_hoat")).toMatchObject({ value: 29, answeredBy: { code: "buithithu" } });
    expect(byPath.get("so_dang_vien")).toMatchObject({ value: 30, answeredBy: { code: "vuvanlong" } });
  });

  it("stops a person whose reporting role was removed in the middle of a report", async () => {
    // Bùi Thị Thu is mid-report (previous scenario); the office removes her role.
    const thu = await t.db.prisma.person.findUniqueOrThrow({ where: { code: "buithithu" }, select: { id: true } });
    await t.db.prisma.membership.deleteMany({ where: { personId: thu.id } });
    const r = await send(users.thu, "Nội dung không được lưu");
    expect(r).toEqual([texts.report.notReporter]);
    const saved = await t.db.prisma.answer.findMany({ where: { answeredById: thu.id }, select: { value: true } });
    expect(JSON.stringify(saved)).not.toContain("Nội dung không được lưu");
    expect(await send(users.thu, "/baocao")).toEqual([texts.report.nothingDue]);
  });

  it("flags a late submission", async () => {
    // Thursday 17 December: the monthly deadline (Wednesday 16th, 17:00) has passed.
    clock.set(new Date("2026-12-17T02:00:00Z"));
    let r = await send(users.em, "/baocao");
    expect(r[0]).toContain(texts.report.states.overdue);
    r = await send(users.em, { choose: MONTHLY });
    await send(users.em, "06/12/2026");
    await send(users.em, "12");
    await send(users.em, "12");
    await send(users.em, { choose: "Không" });
    r = await send(users.em, "Bình thường");
    r = await send(users.em, { choose: texts.report.reviewActions.submit });
    expect(r[0]).toContain("NỘP MUỘN");
    const a = await t.db.prisma.assignment.findFirstOrThrow({
      where: { unit: { code: "CB-BAN-NA-HOC" }, template: { code: "TINH-HINH-THANG" } },
      select: { status: true, submittedLate: true },
    });
    expect(a).toEqual({ status: "SUBMITTED", submittedLate: true });
    clock.set(NOW);
  });

  it("cancels a draft after asking, and only then", async () => {
    await send(users.hung, "/baocao");
    let r = await send(users.hung, { choose: MONTHLY });
    expect(r[0]).toContain("Bắt đầu");
    await send(users.hung, "02/12/2026");
    r = await send(users.hung, "/huy");
    expect(r[0]).toContain(texts.report.confirmCancel(false));
    r = await send(users.hung, { choose: "Không" });
    expect(r[0]).toBe(texts.report.notCancelled);
    expect(last(r)).toContain("Tổng số đảng viên của chi bộ");
    await send(users.hung, "/huy");
    r = await send(users.hung, { choose: "Có" });
    expect(r).toEqual([texts.report.cancelled(false)]);
    const a = await t.db.prisma.assignment.findFirstOrThrow({
      where: { unit: { code: "CB-THON-TAN-LAP" }, template: { code: "TINH-HINH-THANG" } },
      select: { status: true, submission: { select: { answers: { select: { id: true } } } } },
    });
    expect(a.status).toBe("NOT_STARTED");
    expect(a.submission?.answers).toEqual([]);
  });

  it("files nothing for a person without a reporting role", async () => {
    // Lê Thị Mai works in the committee's office: nothing of hers to file.
    const r = await send(users.mai, "/baocao");
    expect(r).toEqual([texts.report.nothingDue]);
  });

  it("answers a sticker in the middle of a report and asks again", async () => {
    await send(users.hung, "/baocao");
    await send(users.hung, { choose: MONTHLY });
    const before = channel.replies(users.hung).length;
    const done = new Promise<void>((resolve) => {
      const off = app.processor!.onHandled((k) => {
        if (k === `${channel.platform}:${users.hung}`) {
          off();
          resolve();
        }
      });
    });
    channel.sendSticker(users.hung);
    await done;
    const r = channel.replies(users.hung).slice(before);
    expect(r[0]).toBe(texts.bot.unsupported);
    expect(last(r)).toContain("Ngày chi bộ sinh hoạt");
  });

  it("opens a report from the last reminder by typing its option's number (Zalo has no buttons)", async () => {
    const person = await t.db.prisma.person.findUniqueOrThrow({ where: { code: "lovanpanh" }, select: { id: true } });
    const assignment = await t.db.prisma.assignment.findFirstOrThrow({
      where: { unit: { code: "CB-BAN-NA-HOC" }, template: { code: "CCHC-QUY" } },
      select: { id: true },
    });
    // A reminder as the send worker leaves it: sent, with its option.
    await t.db.prisma.outboundMessage.create({
      data: {
        dedupKey: `test-reminder:${channel.platform}`,
        purpose: "reminder",
        platform: channel.platform,
        chatId: String(users.panh),
        recipientId: person.id,
        assignmentId: assignment.id,
        payload: { text: "Nhắc", choices: [{ value: `open:${assignment.id}`, label: "Mở báo cáo" }] },
        status: "SENT",
        sentAt: NOW,
      },
    });
    const r = await send(users.panh, "1");
    expect(r[0]).toContain("Bắt đầu: Báo cáo công tác cải cách hành chính trong Đảng (quý) – Quý IV/2026");
  });

  it("refuses a stranger", async () => {
    const r = await send(users.stranger, "/baocao");
    expect(r).toEqual([texts.bot.notLinked]);
  });

  it("puts into the revision a colleague's answer saved while the submit was on its way", async () => {
    // Quàng Thị Em reopens Bản Nà Hốc's monthly report (submitted late above) at its review.
    await send(users.em, "/baocao");
    let r = await send(users.em, { choose: MONTHLY });
    expect(r.join("\n")).toContain("XEM LẠI BÁO CÁO");
    const p = t.db.prisma;
    const { submission } = await p.assignment.findFirstOrThrow({
      where: { unit: { code: "CB-BAN-NA-HOC" }, template: { code: "TINH-HINH-THANG" } },
      select: { submission: { select: { id: true } } },
    });
    const submissionId = submission!.id;
    const head = await p.person.findUniqueOrThrow({ where: { code: "lovanpanh" }, select: { id: true } });
    // Lò Văn Panh, the unit's head, corrects the count at the same moment: his write holds the draft until it commits.
    let commit!: () => void;
    const gate = new Promise<void>((resolve) => (commit = resolve));
    let saved!: () => void;
    const written = new Promise<void>((resolve) => (saved = resolve));
    const colleague = p.$transaction(
      async (tx) => {
        await saveAnswer(tx, { submissionId, path: "so_dang_vien", value: 13, personId: head.id, now: NOW });
        saved();
        await gate;
      },
      { timeout: 60_000 },
    );
    await written;
    const submitting = send(users.em, { choose: texts.report.reviewActions.submit });
    // The submit waits for the head's write before it writes anything.
    expect(await waitersOnLock(p, Infinity)).toBeGreaterThan(0);
    commit();
    await colleague;
    r = await submitting;
    expect(r[0]).toContain("lần nộp thứ 2");
    const revision = await p.revision.findFirstOrThrow({
      where: { submissionId, number: 2 },
      select: { answers: { where: { path: "so_dang_vien" }, select: { value: true, answeredById: true } } },
    });
    expect(revision.answers).toEqual([{ value: 13, answeredById: head.id }]);
    expect(await p.revision.count({ where: { submissionId } })).toBe(2);
  });
});
