// The committee's commands end to end, over the Telegram and the Zalo
// emulator: who may see what, the known situation of seed.ts as each role
// sees it, and one audit row per use.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.ts";
import { fixedClock } from "../../src/clock.ts";
import { vi as texts } from "../../src/texts/vi.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { drivers, type telegramDriver, type zaloDriver } from "../support/channels.ts";
import { startTestApp } from "../support/app.ts";
import { talk, type Talk } from "../support/talk.ts";
import { NOW, seedProvince } from "./seed.ts";

type Driver = Awaited<ReturnType<typeof telegramDriver>> | Awaited<ReturnType<typeof zaloDriver>>;
const all = (r: string[]) => r.join("\n");

describe.each(drivers)("committee commands on $name", ({ make }) => {
  let t: TestDb;
  let channel: Driver;
  let app: App;
  let send: Talk;
  const users = { office: 101, a: 102, b: 103, reporter: 104 };
  const uses = new Map<number, number>();
  const use = async (user: number, text: string) => {
    uses.set(user, (uses.get(user) ?? 0) + 1);
    return send(user, text);
  };

  beforeAll(async () => {
    t = await createTestDb();
    const codes = await seedProvince(t.db.prisma);
    channel = await make();
    app = await startTestApp({ DATABASE_URL: t.url, ...channel.env() }, fixedClock(NOW));
    send = talk(channel, () => app);
    for (const [user, person] of [[users.office, "vanphong"], [users.a, "capuya"], [users.b, "capuyb"], [users.reporter, "repa1"]] as const) {
      expect((await send(user, `/start ${codes.get(person)}`))[0]).toContain("liên kết thành công");
    }
  });

  afterAll(async () => {
    await app.stop();
    await channel.close();
    await t.cleanup();
  });

  it("refuses a reporter politely, and lists the commands only to committee roles", async () => {
    expect(await use(users.reporter, "/trangthai")).toEqual([texts.committee.refused]);
    expect(await use(users.reporter, "/xem an lac")).toEqual([texts.committee.refused]);
    expect(all(await send(users.reporter, "/help"))).not.toContain("/trangthai");
    const help = all(await send(users.office, "/huongdan"));
    for (const line of Object.values(texts.committee.help)) expect(help).toContain(line);
    const member = all(await send(users.a, "/help"));
    expect(member).toContain(texts.committee.help.status);
    expect(member).not.toContain(texts.committee.help.officeNote);
  });

  it("shows the office the whole province, by parent, each unit marked", async () => {
    const r = all(await use(users.office, "/trangthai"));
    expect(r).toContain("TIẾN ĐỘ BÁO CÁO – Tỉnh ủy Sơn Lâm");
    expect(r).toContain("📋 Báo cáo quý của chi bộ – Quý IV/2026");
    expect(r).toContain("Hạn nộp: 17:00 thứ Ba, 15/12/2026 – 17:00 thứ Sáu, 25/12/2026");
    expect(r).toContain("Đã nộp 4/7 (57%): ✅ đúng hạn 3 · 🕘 muộn 1");
    expect(r).toContain("Chưa nộp: ✏️ đang làm 1 · ⬜ chưa bắt đầu 0 · ❗ quá hạn 2");
    expect(r).toContain(
      ["Đảng ủy xã An Bình:", "  🕘 Chi bộ thôn An Hòa", "  ❗ Chi bộ thôn An Khang", "  ✅ Chi bộ thôn An Lạc", "  ✅ Chi bộ thôn An Phú", "  ✏️ Chi bộ thôn An Thịnh", "Đảng ủy xã Bình Minh:", "  ❗ Chi bộ thôn Bình Tây", "  ✅ Chi bộ thôn Bình Yên"].join("\n"),
    );
    // Narrowed to a commune, a template, a period typed in several ways.
    expect(all(await use(users.office, "/trangthai xa an binh"))).toContain("Đã nộp 3/5 (60%)");
    expect(all(await use(users.office, "/status QUY quy 4/2026"))).toContain("Đã nộp 4/7 (57%)");
    expect(all(await use(users.office, "/trangthai Q3/2026"))).toBe(texts.committee.nothing);
  });

  it("shows a committee member their commune only, and refuses a sibling commune", async () => {
    const a = all(await use(users.a, "/status"));
    expect(a).toContain("Đã nộp 3/5 (60%): ✅ đúng hạn 2 · 🕘 muộn 1");
    expect(a).not.toContain("Bình Minh");
    expect(a).not.toContain("Bình Yên");
    expect(all(await use(users.b, "/trangthai Q4/2026"))).toContain("Đã nộp 1/2 (50%)");
    expect(await use(users.a, "/trangthai binh minh")).toEqual([texts.committee.unitNotFound("binh minh")]);
    expect(await use(users.a, "/xem CB-B1")).toEqual([texts.committee.unitNotFound("cb-b1")]);
    expect(await use(users.b, "/quahan an khang")).toEqual([texts.committee.unitNotFound("an khang")]);
  });

  it("answers a unit outside the scope exactly as one that does not exist, for every command that takes a unit", async () => {
    // Each command, then a sibling commune's unit and a made-up one of the same shape.
    const commands = ["/trangthai", "/quahan", "/xem", "/danhgia 2026", "/xuat", "/bieudo"];
    const outside = ["binh tay", "cb-b2", "xa binh minh"];
    const absent = ["binh tam", "cb-b9", "xa binh an"];
    for (const command of commands) {
      for (const [i, unit] of outside.entries()) {
        const nowhere = absent[i]!;
        const there = await use(users.a, `${command} ${unit}`);
        const notThere = await use(users.a, `${command} ${nowhere}`);
        expect(there).toEqual([texts.committee.unitNotFound(unit)]);
        expect(notThere).toEqual([texts.committee.unitNotFound(nowhere)]);
      }
    }
    // The audit rows have one shape; only the reason, for the office, differs.
    const rows = await t.db.prisma.auditLog.findMany({ where: { actor: { code: "capuya" } }, select: { details: true }, orderBy: { id: "desc" }, take: 2 });
    expect(rows.map((r) => r.details)).toEqual([
      { args: "xa binh an", refused: "unit-not-found" },
      { args: "xa binh minh", refused: "outside-scope" },
    ]);
  });

  it("reads % and _ in a unit as plain characters, not as wildcards", async () => {
    for (const query of ["%", "_", "%%", "cb_a1", "cb-a%", "\\", "an%lac"]) {
      expect(await use(users.office, `/xem ${query}`)).toEqual([texts.committee.unitNotFound(query)]);
      expect(await use(users.office, `/trangthai ${query}`)).toEqual([texts.committee.unitNotFound(query)]);
    }
    // The real code still works, in any case.
    expect(all(await use(users.office, "/xem cb-a1"))).toContain("📄 Chi bộ thôn An Lạc");
  });

  it("lists the overdue with working days late, the head, and the last reminder", async () => {
    const r = all(await use(users.office, "/quahan"));
    expect(r).toContain("BÁO CÁO QUÁ HẠN – Tỉnh ủy Sơn Lâm: 2 báo cáo");
    expect(r).toContain("❗ Chi bộ thôn An Khang – Báo cáo quý của chi bộ – Quý IV/2026: quá hạn 3 ngày làm việc");
    expect(r).toContain("Người đứng đầu: Lò Văn Khang\n   Nhắc gần nhất: chưa nhắc");
    expect(r).toContain("Người đứng đầu: Tạ Văn Tây\n   Nhắc gần nhất: 08:00 16/12/2026");
    // Deliveries that failed are shown, so the office can call instead.
    expect(r).toContain("⚠️ Có tin nhắc không gửi được (người nhận đã chặn trợ lý)");
    const a = all(await use(users.a, "/overdue"));
    expect(a).toContain("1 báo cáo");
    expect(a).not.toContain("Bình Tây");
  });

  it("shows a unit's report, and what changed between its two revisions", async () => {
    const r = all(await use(users.a, "/xem an lac"));
    expect(r).toContain("📄 Chi bộ thôn An Lạc");
    expect(r).toContain("Lần nộp thứ 2 (trong 2 lần) · Đỗ Thị Lạc · 16:00 14/12/2026 · đúng hạn");
    expect(r).toContain("• Tổng số đảng viên: 22");
    expect(r).toContain("[Văn bản thứ 2]\n• Số, ký hiệu: 07-KH/CB");
    expect(r).toContain("• Nhận xét chung: Rất tốt");
    const d = all(await use(users.office, "/view CB-A1 Q4/2026 sosanh"));
    expect(d).toContain("THAY ĐỔI TỪ LẦN NỘP 1 SANG LẦN 2:");
    expect(d).toContain("• Tổng số đảng viên: 20 → 22");
    expect(d).toContain("• Văn bản thứ 2 – Số, ký hiệu: (thêm) 07-KH/CB");
    expect(d).toContain("• Nhận xét chung: Tốt → Rất tốt");
    expect(all(await use(users.a, "/xem an khang"))).toContain(texts.committee.view.notSubmitted);
  });

  it("sums the numbers of the latest revisions and gathers a question's answers", async () => {
    const r = all(await use(users.office, "/tonghop"));
    expect(r).toContain("(4/7 đơn vị đã nộp)");
    expect(r).toContain("• Tổng số đảng viên: tổng 77 · trung bình 19,25 (4 đơn vị)");
    expect(r).toContain("• Số cuộc họp chi bộ: tổng 10 · trung bình 2,5 (4 đơn vị)");
    // Inside a repeat: three entries from two units, and the average is per entry.
    expect(r).toContain("• Số trang: tổng 12 · trung bình 4 mỗi mục (3 mục của 2 đơn vị)");
    const q = all(await use(users.a, "/summary Q4/2026 nhan xet"));
    expect(q).toContain("• Tổng số đảng viên: tổng 62");
    expect(q).toContain("💬 Nhận xét chung (2 câu trả lời):\n– Chi bộ thôn An Lạc: Rất tốt\n– Chi bộ thôn An Phú: Ổn định");
  });

  it("ranks units worst first over a year", async () => {
    const r = all(await use(users.office, "/danhgia 2026"));
    const lines = r.split("\n");
    const at = (name: string) => lines.findIndex((l) => l.includes(name));
    expect(r).toContain("Chi bộ thôn An Khang: đúng hạn 0/1 (0%) · muộn TB 3 ngày LV");
    expect(r).toContain("Chi bộ thôn An Hòa: đúng hạn 0/1 (0%) · muộn TB 2 ngày LV");
    expect(r).toContain("Chi bộ thôn An Lạc: đúng hạn 1/1 (100%) · chất vấn trả lời đúng hạn 1/1");
    expect(at("An Khang")).toBeLessThan(at("An Hòa"));
    expect(at("An Hòa")).toBeLessThan(at("An Lạc"));
    expect(r).not.toContain("An Thịnh"); // nothing due yet
    expect(await use(users.a, "/danhgia")).toEqual([texts.committee.scorecard.usage]);
  });

  it("sends the export and the chart as files", async () => {
    const x = await use(users.office, "/xuat");
    expect(all(x)).toContain("📊 Tiến độ và số liệu Quý IV/2026: 7 dòng.");
    await use(users.a, "/export Q4/2026 csv");
    const c = await use(users.a, "/bieudo");
    expect(all(c)).toContain("📈 Tiến độ nộp báo cáo – Đảng ủy xã An Bình");
    expect(all(await use(users.office, "/chart 2026"))).toContain("Tỷ lệ nộp báo cáo đúng hạn năm 2026");
    if (channel.platform === "TELEGRAM") {
      const sent = (user: number, method: string) =>
        (channel as Awaited<ReturnType<typeof telegramDriver>>).emulator.messagesTo(user).filter((m) => m.method === method);
      // The workbooks as documents; the charts as photos, shown in the chat.
      expect(sent(users.office, "sendDocument").map((m) => m.document?.fileName)).toEqual(["baocao-QUARTERLY-2026-4.xlsx"]);
      expect(sent(users.office, "sendPhoto").map((m) => m.photo?.fileName)).toEqual(["bieudo-2026.png"]);
      // The status and the answers: several CSV files, so one ZIP.
      expect(sent(users.a, "sendDocument").map((m) => m.document?.fileName)).toEqual(["baocao-QUARTERLY-2026-4.csv.zip"]);
      expect(sent(users.a, "sendPhoto")).toHaveLength(1);
    } else {
      // Zalo bots send images by URL only; without a file link the person is told where to get it.
      expect(all(x)).toContain("baocao-QUARTERLY-2026-4.xlsx");
    }
  });

  it("writes one audit row per use, with the arguments and nothing else", async () => {
    const rows = await t.db.prisma.auditLog.findMany({
      where: { action: { startsWith: "committee." } },
      select: { action: true, details: true, actor: { select: { code: true } } },
      orderBy: { id: "asc" },
    });
    const count = (code: string) => rows.filter((r) => r.actor?.code === code).length;
    expect(count("vanphong")).toBe(uses.get(users.office));
    expect(count("capuya")).toBe(uses.get(users.a));
    expect(count("capuyb")).toBe(uses.get(users.b));
    expect(count("repa1")).toBe(uses.get(users.reporter));
    expect(rows[0]).toEqual({ action: "committee.trangthai", details: { args: "", refused: "no-role" }, actor: { code: "repa1" } });
    expect(rows).toContainEqual({ action: "committee.xem", details: { args: "CB-A1 Q4/2026 sosanh" }, actor: { code: "vanphong" } });
    expect(rows).toContainEqual({ action: "committee.trangthai", details: { args: "binh minh", refused: "outside-scope" }, actor: { code: "capuya" } });
  });
});
