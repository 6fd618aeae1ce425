// Questions and answers (chất vấn) as people walk them, over both channels
// from one table: asked by guided conversation, told to the unit's head in
// office hours, answered in several messages with a file, judged; a
// follow-up after "not satisfied"; a colleague's draft sent by the head; a
// restart in the middle of an answer; an overdue question chased up the
// line; and someone outside the rules refused without learning anything.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.ts";
import { fixedClock } from "../../src/clock.ts";
import { loadImportFile } from "../../src/org/import-file.ts";
import { applyImport } from "../../src/org/import.ts";
import { openPeriod } from "../../src/reports/periods.ts";
import { runReminderTick } from "../../jobs/reminders.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { drivers, type ChannelDriver } from "../support/channels.ts";
import { startTestApp } from "../support/app.ts";
import { talk, type Talk } from "../support/talk.ts";
import { SIGNED_PAGE_JPEG } from "../support/quarterly.ts";

// Tuesday 1 December 2026, 10:00 in Hà Nội.
const NOW = new Date("2026-12-01T03:00:00Z");
const all = (replies: string[]) => replies.join("\n");
describe.each(drivers)("questions on $name", ({ make }) => {
  let t: TestDb;
  let channel: ChannelDriver;
  let app: App;
  let send: Talk;
  const clock = fixedClock(NOW);
  // huong: committee member; hung: head of Tân Lập; lan: his colleague; long: head elsewhere; duc: the office.
  const users = { huong: 51, hung: 52, lan: 53, long: 54, duc: 55 };
  const env = () => ({ DATABASE_URL: t.url, ...channel.env() });

  beforeAll(async () => {
    t = await createTestDb();
    const file = loadImportFile(join(import.meta.dirname, "../../examples/xa-tan-phong.yaml"));
    if (!file.ok) throw new Error(file.problems.join("\n"));
    const imported = await applyImport(t.db.prisma, file.data, { now: NOW, ttlDays: 14 });
    const codes = new Map(imported.invitations.map((i) => [i.personCode, i.code]));
    channel = await make();
    app = await startTestApp(env(), clock);
    send = talk(channel, () => app);
    for (const [user, person] of [[users.huong, "nguyenthihuong"], [users.hung, "phamvanhung"], [users.lan, "dothilan"], [users.long, "vuvanlong"], [users.duc, "tranvanduc"]] as const) {
      expect(all(await send(user, `/start ${codes.get(person)}`))).toContain("liên kết thành công");
    }
    // A monthly report is due too, so the head has a list of reports in hand when a question comes.
    const monthly = await t.db.prisma.template.findUniqueOrThrow({ where: { code: "TINH-HINH-THANG" }, select: { id: true } });
    await openPeriod(t.db.prisma, { templateId: monthly.id, type: "MONTHLY", year: 2026, number: 12 }, { now: NOW });
    await deliver();
  }, 120_000);

  afterAll(async () => {
    await app.stop();
    await channel.close();
    await t.cleanup();
  });

  /** The reminder tick at the clock's time, then every message it queued delivered. */
  async function deliver(): Promise<void> {
    await runReminderTick({ prisma: app.db.prisma, queues: app.queues, clock });
    const bound = Date.now() + 90_000;
    while ((await app.db.prisma.outboundMessage.count({ where: { status: { in: ["QUEUED", "SENDING"] } } })) > 0) {
      if (Date.now() > bound) throw new Error("proactive messages not delivered within 90 s");
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The newest message the bot sent this user. */
  const last = (user: number) => channel.replies(user).at(-1) ?? "";
  /** Whether any message the bot sent this user says this (messages of one delivery may come in any order). */
  const got = (user: number, s: string) => channel.replies(user).some((r) => r.includes(s));

  /** The question's reference, from the bot's confirmation. */
  const refIn = (text: string) => /CV-\d{4}-\d{4}/.exec(text)?.[0] ?? "";

  /** /chatvan to Chi bộ thôn Tân Lập, one text and maybe a photo, default deadline. */
  async function ask(user: number, text: string, opts: { photo?: boolean } = {}): Promise<string> {
    expect(all(await send(user, "/chatvan"))).toContain("Chất vấn ai?");
    await send(user, { choose: "Một đơn vị" });
    expect(all(await send(user, "Chi bộ thôn Tân Lập"))).toContain("chất vấn, hay chỉ là kiến nghị");
    expect(all(await send(user, { choose: "Chất vấn" }))).toContain("nhiều tin nhắn và tệp");
    expect(all(await send(user, text))).toContain("Đã ghi 1 đoạn");
    if (opts.photo) expect(all(await send(user, { photo: SIGNED_PAGE_JPEG }))).toContain("Đã nhận tệp");
    expect(all(await send(user, "xong"))).toContain("Hạn trả lời: mặc định");
    expect(all(await send(user, "bỏ qua"))).toContain("thuộc hội nghị nào");
    const preview = all(await send(user, "Hội nghị Ban Chấp hành Đảng bộ tháng 12/2026"));
    expect(preview).toContain("KIỂM TRA LẠI");
    expect(preview).toContain(text);
    const sent = all(await send(user, { choose: "Gửi chất vấn" }));
    expect(sent).toContain("Đã gửi chất vấn");
    return refIn(sent);
  }

  const question = (ref: string) =>
    app.db.prisma.question.findUniqueOrThrow({
      where: { reference: ref },
      select: { id: true, status: true, verdict: true, verdictComment: true, parentId: true, kind: true, answers: { select: { revision: true, text: true, draftedById: true, _count: { select: { attachments: true } } } }, _count: { select: { attachments: true } } },
    });

  it("asks, answers in several messages with a file, sends, receives and is satisfied", async () => {
    const ref = await ask(users.huong, "Đề nghị chi bộ cho biết vì sao tỷ lệ thu nộp đảng phí quý III thấp?", { photo: true });
    expect(ref).toMatch(/^CV-2026-\d{4}$/);
    expect((await question(ref))._count.attachments).toBe(1);

    // The head has the list of his reports in hand when the question comes.
    expect(all(await send(users.hung, "/baocao"))).toContain("Báo cáo tình hình thôn");
    await deliver();
    const notice = last(users.hung);
    expect(notice).toContain(ref);
    expect(notice).toContain("Nguyễn Thị Hương");
    expect(notice).toContain(`/traloi ${ref}`);

    // The notice's button; on Zalo the "1" it says to type: the newest message's, not the list's.
    const opened = all(await send(users.hung, channel.name === "Zalo" ? "1" : { choose: "Trả lời" }));
    expect(opened).toContain(`TRẢ LỜI CHẤT VẤN ${ref}`);
    expect(all(await send(users.hung, "Quý III có 3 đảng viên đi làm ăn xa chưa nộp."))).toContain("1 đoạn");
    expect(all(await send(users.hung, "Chi bộ đã liên hệ và thu đủ trong tháng 10."))).toContain("2 đoạn");
    // A number in the draft is part of the answer, on Zalo too.
    expect(all(await send(users.hung, "2"))).toContain("3 đoạn");
    expect(all(await send(users.hung, { photo: SIGNED_PAGE_JPEG }))).toContain("vào bản thảo");
    const draft = all(await send(users.hung, "/xemlai"));
    expect(draft).toContain("BẢN THẢO TRẢ LỜI");
    expect(draft).toContain("thu đủ trong tháng 10");
    expect(all(await send(users.hung, "gửi"))).toContain(`Đã gửi trả lời chất vấn ${ref}`);

    await deliver();
    const answer = last(users.huong);
    expect(answer).toContain(`TRẢ LỜI CHẤT VẤN ${ref}`);
    expect(answer).toContain("3 đảng viên đi làm ăn xa");
    expect(all(await send(users.huong, { choose: "Hài lòng" }))).toContain("hài lòng");

    const q = await question(ref);
    expect(q).toMatchObject({ status: "CLOSED", verdict: "SATISFIED" });
    expect(q.answers).toHaveLength(1);
    expect(q.answers[0]!.text).toBe("Quý III có 3 đảng viên đi làm ăn xa chưa nộp.\n\nChi bộ đã liên hệ và thu đủ trong tháng 10.\n\n2");
    expect(q.answers[0]!._count.attachments).toBe(1);
    const steps = await app.db.prisma.auditLog.findMany({ where: { entityType: "Question", entityId: String(q.id) }, select: { action: true, actorId: true }, orderBy: { id: "asc" } });
    expect(steps.map((s) => s.action)).toEqual(["question.asked", "question.answered", "question.judged"]);

    // The thread shows it all; the answerer is told of the verdict.
    const thread = all(await send(users.huong, `/xem ${ref}`));
    expect(thread).toContain("Trả lời lần 1");
    expect(thread).toContain("hài lòng");
    // The files come with it: the asker's, then the answer's.
    expect(thread).toMatch(new RegExp(`📎 \\S+\\.jpg \\(${ref}\\)`));
    expect(thread).toMatch(new RegExp(`📎 \\S+\\.jpg \\(${ref}, trả lời lần 1\\)`));
    await deliver();
    expect(last(users.hung)).toContain("hài lòng");
    // A reference of another year names nothing.
    expect(all(await send(users.huong, `/xem ${ref.replace("2026", "2025")}`))).toContain("Không tìm thấy");
  });

  it("is not satisfied, then asks a follow-up that gets answered", async () => {
    const ref = await ask(users.huong, "Chi bộ cho biết tiến độ làm đường bê tông thôn?");
    await deliver();
    await send(users.hung, `/traloi ${ref}`);
    await send(users.hung, "Đang làm.");
    await send(users.hung, "gửi");
    await deliver();
    expect(all(await send(users.huong, { choose: "Chưa hài lòng" }))).toContain("vì sao chưa hài lòng");
    expect(all(await send(users.huong, "Xem tài liệu MẬT số 12"))).toContain("không được lưu");
    const noted = all(await send(users.huong, "Trả lời chưa nêu thời hạn hoàn thành."));
    expect(noted).toContain("chưa hài lòng");
    expect(await question(ref)).toMatchObject({ status: "CLOSED", verdict: "NOT_SATISFIED", verdictComment: "Trả lời chưa nêu thời hạn hoàn thành." });

    expect(all(await send(users.huong, { choose: "Hỏi thêm" }))).toContain("nhiều tin nhắn và tệp");
    await send(users.huong, "Đề nghị nêu rõ ngày hoàn thành.");
    // A look at the first question on the way keeps the follow-up being written.
    expect(all(await send(users.huong, `/xem ${ref}`))).toContain("Trả lời lần 1");
    await send(users.huong, "xong");
    await send(users.huong, "bỏ qua");
    const preview = all(await send(users.huong, "bỏ qua"));
    expect(preview).toContain(`Hỏi thêm về: ${ref}`);
    const followRef = refIn(all(await send(users.huong, { choose: "Gửi chất vấn" })));
    const follow = await question(followRef);
    expect(follow.parentId).toBe((await question(ref)).id);

    await deliver();
    expect(got(users.hung, `CHẤT VẤN ${followRef}`)).toBe(true);
    await send(users.hung, `/traloi ${followRef}`);
    await send(users.hung, "Hoàn thành trước 31/12/2026.");
    expect(all(await send(users.hung, "gửi"))).toContain("Đã gửi trả lời");
    expect(await question(followRef)).toMatchObject({ status: "ANSWERED" });
    const thread = all(await send(users.huong, `/xem ${ref}`));
    expect(thread).toContain(`Hỏi thêm: ${followRef}`);
  });

  it("lets a colleague draft, and only the head sends", async () => {
    const ref = await ask(users.huong, "Chi bộ cho biết kết quả sinh hoạt chuyên đề năm 2026?");
    await deliver();
    expect(all(await send(users.hung, `/giaosoan ${ref} Đỗ Thị Lan`))).toContain("Đã giao Đỗ Thị Lan");
    await deliver();
    expect(last(users.lan)).toContain(ref);
    await send(users.lan, { choose: "Trả lời" });
    await send(users.lan, "Chi bộ tổ chức 4 buổi sinh hoạt chuyên đề.");
    expect(all(await send(users.lan, "gửi"))).toContain("Chỉ Phạm Văn Hùng mới gửi được");
    expect((await question(ref)).status).toBe("OPEN");
    await deliver();
    expect(last(users.hung)).toContain("đã soạn xong bản thảo");
    const opened = all(await send(users.hung, `/traloi ${ref}`));
    expect(opened).toContain("Bản thảo đã có 1 phần");
    expect(all(await send(users.hung, "gửi"))).toContain("Đã gửi trả lời");
    const q = await question(ref);
    const lan = await app.db.prisma.person.findUniqueOrThrow({ where: { code: "dothilan" }, select: { id: true } });
    expect(q.answers[0]).toMatchObject({ text: "Chi bộ tổ chức 4 buổi sinh hoạt chuyên đề.", draftedById: lan.id });
  });

  it("loses nothing of an answer across a restart", async () => {
    const ref = await ask(users.huong, "Chi bộ cho biết số đảng viên mới kết nạp năm 2026?");
    await send(users.hung, `/traloi ${ref}`);
    await send(users.hung, "Kết nạp 2 đảng viên.");
    await app.stop();
    app = await startTestApp(env(), clock);
    expect(all(await send(users.hung, "Cả hai đều là đoàn viên ưu tú."))).toContain("2 đoạn");
    const draft = all(await send(users.hung, "/xemlai"));
    expect(draft).toContain("Kết nạp 2 đảng viên.");
    expect(draft).toContain("đoàn viên ưu tú");
    expect(all(await send(users.hung, "gửi"))).toContain("Đã gửi trả lời");
    expect((await question(ref)).answers[0]!.text).toBe("Kết nạp 2 đảng viên.\n\nCả hai đều là đoàn viên ưu tú.");
  });

  it("reminds before the deadline and chases an overdue question up to the office", async () => {
    const ref = await ask(users.huong, "Chi bộ cho biết kế hoạch đại hội chi bộ nhiệm kỳ mới?");
    const q = await app.db.prisma.question.findUniqueOrThrow({ where: { reference: ref }, select: { id: true, deadline: true } });
    await deliver();
    // The deadline's morning: the head is reminded.
    clock.set(new Date(q.deadline!.getTime() - 8 * 3600_000));
    await deliver();
    expect(last(users.hung)).toContain(ref);
    // Three working days after (Tuesday 15 → Friday 18 December): the office hears of it.
    clock.set(new Date(q.deadline!.getTime() + 3 * 86_400_000 - 8 * 3600_000));
    await deliver();
    const office = await app.db.prisma.outboundMessage.findMany({ where: { questionId: q.id, purpose: "question-escalation", status: "SENT" }, select: { chatId: true } });
    expect(office.map((o) => o.chatId)).toContain(String(users.duc));
    expect(last(users.duc)).toContain(ref);
    clock.set(NOW);
  });

  it("refuses someone outside the rules without saying the question exists", async () => {
    const ref = await ask(users.huong, "Chi bộ cho biết tình hình an ninh trật tự thôn?");
    const unknown = "CV-2026-9999";
    const outside = all(await send(users.long, `/xem ${ref}`));
    expect(outside).toBe(all(await send(users.long, `/xem ${unknown}`)).replace(unknown, ref));
    expect(outside).toContain("Không tìm thấy");
    expect(all(await send(users.long, `/traloi ${ref}`))).toContain("Không tìm thấy");
    expect(all(await send(users.long, "/dschatvan"))).not.toContain(ref);
    // The office sees it; the colleague not let draft does not send.
    expect(all(await send(users.duc, `/xem ${ref}`))).toContain("Chi bộ cho biết tình hình an ninh");
    expect(all(await send(users.duc, "/dschatvan"))).toContain(ref);
    // A reporter who is not a committee member cannot ask.
    expect(all(await send(users.lan, "/chatvan"))).toContain("Chỉ cấp ủy viên");
  });

  it("lets the office enter a question on a member's behalf, recorded as such", async () => {
    const started = all(await send(users.duc, "/chat van"));
    expect(started).toContain("thay cấp ủy viên nào");
    expect(all(await send(users.duc, "Hoàng Văn Thành"))).toContain("Chất vấn ai?");
    await send(users.duc, { choose: "Một đồng chí" });
    expect(all(await send(users.duc, "Vũ Văn Long"))).toContain("chất vấn, hay chỉ là kiến nghị");
    expect(all(await send(users.duc, { choose: "Kiến nghị" }))).toContain("không phải là chất vấn");
    await send(users.duc, "Kiến nghị sửa nhà văn hóa thôn.");
    await send(users.duc, "xong");
    await send(users.duc, "20/12/2026");
    const preview = all(await send(users.duc, "bỏ qua"));
    expect(preview).toContain("Văn phòng nhập thay: Trần Văn Đức");
    const ref = refIn(all(await send(users.duc, { choose: "Gửi chất vấn" })));
    const q = await app.db.prisma.question.findUniqueOrThrow({
      where: { reference: ref },
      select: { kind: true, askedBy: { select: { code: true } }, enteredBy: { select: { code: true } }, targetPerson: { select: { code: true } }, deadline: true },
    });
    expect(q).toMatchObject({ kind: "PROPOSAL", askedBy: { code: "hoangvanthanh" }, enteredBy: { code: "tranvanduc" }, targetPerson: { code: "vuvanlong" } });
    expect(q.deadline?.toISOString()).toBe("2026-12-20T10:00:00.000Z");
  });
});
