// /yeucau end to end over both emulators: an ad hoc request from a template
// and from typed questions, the confirmation it needs, the units told, and a
// reporter filing it; cancelling or leaving the flow creates nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.ts";
import { fixedClock } from "../../src/clock.ts";
import { vi as texts } from "../../src/texts/vi.ts";
import { dispatchDue } from "../../src/reminders/dispatch.ts";
import { enqueueOutbound } from "../../jobs/queues.ts";
import { parseDeadline } from "../../src/committee/request.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { drivers, type ChannelDriver } from "../support/channels.ts";
import { startTestApp } from "../support/app.ts";
import { talk, type Talk } from "../support/talk.ts";
import { vn } from "../reports/helpers.ts";
import { NOW, seedProvince } from "./seed.ts";


const q = texts.committeeFlows.request;
const all = (r: string[]) => r.join("\n");

describe("parseDeadline", () => {
  it("reads a date with or without a time, 17:00 by default", () => {
    expect(parseDeadline("25/12/2026")).toEqual(vn("2026-12-25 17:00"));
    expect(parseDeadline("25-12-2026 10:30")).toEqual(vn("2026-12-25 10:30"));
    expect(parseDeadline("9h 25/12/2026")).toEqual(vn("2026-12-25 09:00"));
    expect(parseDeadline("ngày mai")).toBeNull();
    expect(parseDeadline("31/02/2026")).toBeNull();
  });
});

describe.each(drivers)("/yeucau on $name", ({ make }) => {
  let t: TestDb;
  let channel: ChannelDriver;
  let app: App;
  let send: Talk;
  const clock = fixedClock(NOW);
  const users = { a: 402, reporter: 403, repa2: 404 };

  const adHoc = () => app.db.prisma.period.count({ where: { type: "AD_HOC" } });
  const inlineTemplates = () => app.db.prisma.template.count({ where: { code: { startsWith: "ADHOC-" } } });
  const stateOf = async (user: number) => {
    const identity = await app.db.prisma.chatIdentity.findFirstOrThrow({ where: { chatId: String(user) }, select: { personId: true } });
    return (await app.db.prisma.conversation.findUnique({ where: { personId: identity.personId }, select: { state: true } }))?.state;
  };
  /** The number before "Chi bộ thôn An Lạc" in a numbered list. */
  const numberOf = (reply: string, name: string) => new RegExp(`^(\\d+)\\. ${name}$`, "m").exec(reply)?.[1];

  beforeAll(async () => {
    t = await createTestDb();
    const codes = await seedProvince(t.db.prisma);
    channel = await make();
    app = await startTestApp({ DATABASE_URL: t.url, ...channel.env() }, clock);
    send = talk(channel, () => app);
    for (const [user, person] of [[users.a, "capuya"], [users.reporter, "repa1"], [users.repa2, "repa2"]] as const) {
      expect((await send(user, `/start ${codes.get(person)}`))[0]).toContain("liên kết thành công");
    }
  });

  afterAll(async () => {
    await app.stop();
    await channel.close();
    await t.cleanup();
  });

  it("refuses a reporter", async () => {
    expect(await send(users.reporter, "/yeucau")).toEqual([texts.committee.refused]);
  });

  it("creates nothing when cancelled mid-way, or when another command ends the flow", async () => {
    expect(all(await send(users.a, "/yeucau"))).toContain(q.start);
    expect(all(await send(users.a, { choose: q.inlineLabel }))).toContain(q.askQuestion(1, 10));
    expect(await send(users.a, "Số hộ bị ảnh hưởng?")).toEqual([q.questionSaved(1)]);
    expect(await send(users.a, "/huy")).toEqual([q.cancelled]);
    expect(await stateOf(users.a)).toEqual({ mode: "idle" });

    await send(users.a, "/request");
    await send(users.a, { choose: "Báo cáo quý của chi bộ" });
    // Another command leaves the flow and is answered as usual.
    expect(all(await send(users.a, "/trangthai"))).toContain("TIẾN ĐỘ BÁO CÁO");
    expect(await stateOf(users.a)).toEqual({ mode: "idle" });
    expect(await adHoc()).toBe(0);
    expect(await inlineTemplates()).toBe(0);
  });

  it("sends a request on an existing template only after the confirmation, and tells the units", async () => {
    await send(users.a, "/yeucau");
    expect(all(await send(users.a, "hello"))).toContain(q.pickOne);
    expect(all(await send(users.a, { choose: "Báo cáo quý của chi bộ" }))).toContain(q.askInstructions(500));
    const list = all(await send(users.a, "bỏ qua"));
    expect(list).toContain("Bước 3/5");
    expect(list).toContain("Chi bộ thôn An Lạc");
    expect(list).not.toContain("Bình Yên");
    // A unit of the sibling commune reads like one that does not exist.
    expect(await send(users.a, "an lac, binh yen, binh tam")).toEqual([q.unitProblems([q.unitNone("binh yen"), q.unitNone("binh tam")])]);
    expect(await send(users.a, `an lac, CB-A2`)).toEqual([q.askDeadline]);
    expect(await send(users.a, "15/12/2026")).toEqual([q.deadlinePast]);
    const summary = all(await send(users.a, "24/12/2026"));
    expect(summary).toContain(q.confirmTemplate("Báo cáo quý của chi bộ"));
    expect(summary).toContain(q.confirmUnits(2, ["Chi bộ thôn An Lạc", "Chi bộ thôn An Phú"], -8));
    expect(summary).toContain("Hạn nộp: 17:00 thứ Năm, 24/12/2026");

    // "Sửa" goes back to one part, then to the summary again; still nothing created.
    await send(users.a, { choose: q.editLabel });
    expect(await send(users.a, { choose: q.editDeadline })).toEqual([q.askDeadline]);
    expect(all(await send(users.a, "23/12/2026 10:00"))).toContain("Hạn nộp: 10:00 thứ Tư, 23/12/2026");
    expect(await adHoc()).toBe(0);

    const sent = await send(users.a, { choose: q.sendLabel });
    expect(sent).toEqual([q.sent("Báo cáo quý của chi bộ", 2, 2, null)]);
    expect(await stateOf(users.a)).toEqual({ mode: "idle" });
    const assignments = await app.db.prisma.assignment.findMany({
      where: { period: { type: "AD_HOC" } },
      select: { unit: { select: { code: true } }, deadline: true },
      orderBy: { unitId: "asc" },
    });
    expect(assignments.map((a) => a.unit.code)).toEqual(["CB-A1", "CB-A2"]);
    expect(assignments[0]!.deadline).toEqual(vn("2026-12-23 10:00"));

    // The "opened" notices go out through the dispatcher and the send worker.
    const before = channel.replies(users.repa2).length;
    await dispatchDue(app.db.prisma, clock.now(), (rows) => enqueueOutbound(app.queues, rows));
    await channel.reply(users.repa2, before + 1);
    expect(channel.replies(users.repa2).at(-1)).toContain("📋 Đã mở kỳ báo cáo: Báo cáo quý của chi bộ – Đột xuất ngày 18/12/2026.");
    const audit = await app.db.prisma.auditLog.count({ where: { action: "period.adhoc.opened" } });
    expect(audit).toBe(1);
  });

  it("sends typed questions as a new template, which a reporter opens and files", async () => {
    await send(users.a, "/yeucau");
    await send(users.a, { choose: q.inlineLabel });
    await send(users.a, "Số hộ bị ảnh hưởng?");
    await send(users.a, "Đề xuất hỗ trợ của chi bộ?");
    expect(await send(users.a, "xong")).toEqual([q.askTitle]);
    expect(await send(users.a, "Báo cáo tình hình sau bão")).toEqual([q.askInstructions(500)]);
    await send(users.a, "Báo cáo số liệu đến hết ngày 21/12.");
    const found = all(await send(users.a, "thon an"));
    expect(found).toContain('Các đơn vị khớp với "thon an"');
    const n = numberOf(found, "Chi bộ thôn An Lạc");
    expect(n).toBeDefined();
    expect(await send(users.a, n!)).toEqual([q.askDeadline]);
    const summary = all(await send(users.a, "22/12/2026"));
    expect(summary).toContain(q.confirmTitle("Báo cáo tình hình sau bão"));
    expect(summary).toContain([q.confirmQuestions(2), q.confirmQuestion(1, "Số hộ bị ảnh hưởng?"), q.confirmQuestion(2, "Đề xuất hỗ trợ của chi bộ?")].join("\n"));
    expect(summary).toContain(q.confirmInstructions("Báo cáo số liệu đến hết ngày 21/12."));
    expect(await inlineTemplates()).toBe(0);

    expect(await send(users.a, { choose: q.sendLabel })).toEqual([q.sent("Báo cáo tình hình sau bão", 1, 1, null)]);
    const template = await app.db.prisma.template.findFirstOrThrow({
      where: { code: { startsWith: "ADHOC-" } },
      select: { title: true, periodType: true, versions: { select: { definition: true } } },
    });
    expect(template).toMatchObject({ title: "Báo cáo tình hình sau bão", periodType: "AD_HOC" });
    expect(template.versions).toHaveLength(1);
    const opened = await app.db.prisma.outboundMessage.findMany({
      where: { purpose: "opened", status: "PLANNED", assignment: { template: { code: { startsWith: "ADHOC-" } } } },
      select: { chatId: true, plannedFor: true },
    });
    expect(opened).toEqual([{ chatId: String(users.reporter), plannedFor: NOW }]);

    const label = texts.report.dueChoiceLabel("Báo cáo tình hình sau bão", "Đột xuất ngày 18/12/2026");
    expect(all(await send(users.reporter, "/baocao"))).toContain("Báo cáo tình hình sau bão");
    // The request's own title, not the period's day twice; and the committee's instructions.
    const title = "Báo cáo tình hình sau bão – Đột xuất ngày 18/12/2026";
    const opening = all(await send(users.reporter, { choose: label }));
    expect(opening).toContain(`Bắt đầu: ${title}`);
    expect(opening).toContain(texts.report.instructions("Báo cáo số liệu đến hết ngày 21/12."));
    expect(opening).toContain("Số hộ bị ảnh hưởng?");
    expect(all(await send(users.reporter, "Khoảng 120 hộ"))).toContain("Đề xuất hỗ trợ của chi bộ?");
    const review = all(await send(users.reporter, "Hỗ trợ gạo và tôn lợp"));
    expect(review).toContain(`XEM LẠI BÁO CÁO\n${title}`);
    expect(review).toContain(texts.report.instructions("Báo cáo số liệu đến hết ngày 21/12."));
    const receipt = all(await send(users.reporter, { choose: texts.report.reviewActions.submit }));
    expect(receipt).toContain("ĐÃ NHẬN BÁO CÁO");
    expect(receipt).toContain(title);
    const status = await app.db.prisma.assignment.findFirstOrThrow({ where: { template: { code: { startsWith: "ADHOC-" } } }, select: { status: true } });
    expect(status.status).toBe("SUBMITTED");
  });
});
