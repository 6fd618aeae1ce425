// Every instruction the bot prints works exactly as printed, and with or
// without diacritics or capitals: each command and word to type is read out
// of src/texts/vi.ts, and each has a proof below that runs it through the
// real bot, on Telegram and on Zalo. A new instruction without a proof fails.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.ts";
import { fixedClock } from "../../src/clock.ts";
import { loadImportFile } from "../../src/org/import-file.ts";
import { applyImport } from "../../src/org/import.ts";
import { openPeriod } from "../../src/reports/periods.ts";
import { vi as texts } from "../../src/texts/vi.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { drivers, type ChannelDriver } from "../support/channels.ts";
import { startTestApp } from "../support/app.ts";
import { talk, type Talk } from "../support/talk.ts";
import { allInstructions } from "../texts/instructions.ts";

const NOW = new Date("2026-12-01T03:00:00Z"); // Tuesday 1 December 2026, 10:00 in Hà Nội
const MONTHLY = "Báo cáo tình hình thôn, bản hằng tháng – Tháng 12/2026";
const all = (replies: string[]) => replies.join("\n");

/** The same words as people type them: as printed, in capitals, in small letters, without diacritics. */
function variants(printed: string, spoken?: string): string[] {
  const plain = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D");
  const forms = [printed, printed.toUpperCase(), printed.toLowerCase(), plain(printed), plain(printed).toLowerCase()];
  if (spoken !== undefined) forms.push(spoken, plain(spoken), spoken.toUpperCase());
  return [...new Set(forms)];
}

/** Commands as Vietnamese say them: "/baocao" is "/báo cáo". */
const spoken: Record<string, string> = {
  "/batdau": "/bắt đầu",
  "/huongdan": "/hướng dẫn",
  "/baocao": "/báo cáo",
  "/lienket": "/liên kết",
  "/quaylai": "/quay lại",
  "/boqua": "/bỏ qua",
  "/tiendo": "/tiến độ",
  "/xemlai": "/xem lại",
  "/huy": "/hủy",
  "/trangthai": "/trạng thái",
  "/quahan": "/quá hạn",
  "/tonghop": "/tổng hợp",
  "/danhgia": "/đánh giá",
  "/xuat": "/xuất",
  "/bieudo": "/biểu đồ",
  "/nhac": "/nhắc",
  "/yeucau": "/yêu cầu",
  "/chatvan": "/chất vấn",
  "/traloi": "/trả lời",
  "/giaosoan": "/giao soạn",
  "/dangnhap": "/đăng nhập",
  "/dangxuat": "/đăng xuất",
};

interface Ctx {
  send: Talk;
  user: (role: "stranger" | "reporter" | "office") => Promise<number>;
  openMonthly: (user: number) => Promise<void>;
  toReview: (user: number) => Promise<void>;
  remindOf: (user: number) => Promise<void>;
}

type Proof = (typed: string, c: Ctx) => Promise<void>;

const notUnknown = (reply: string) => {
  expect(reply).not.toContain("Không có lệnh");
  expect(reply).not.toContain(texts.bot.notLinked);
};

/** A committee command: it answers as itself, whatever the words after it. */
const committee =
  (args: string, marker: RegExp): Proof =>
  async (typed, c) => {
    const reply = all(await c.send(await c.user("office"), `${typed} ${args}`.trim()));
    notUnknown(reply);
    expect(reply).toMatch(marker);
  };

const proofs: Record<string, Proof> = {
  "/batdau": async (typed, c) => expect(all(await c.send(await c.user("stranger"), `${typed} ${await nextCode()}`))).toContain("liên kết thành công"),
  "/start": async (typed, c) => expect(all(await c.send(await c.user("stranger"), `${typed} ${await nextCode()}`))).toContain("liên kết thành công"),
  "/huongdan": async (typed, c) => expect(all(await c.send(await c.user("reporter"), typed))).toContain("HƯỚNG DẪN SỬ DỤNG"),
  "/help": async (typed, c) => expect(all(await c.send(await c.user("reporter"), typed))).toContain("HƯỚNG DẪN SỬ DỤNG"),
  "/baocao": async (typed, c) => expect(all(await c.send(await c.user("reporter"), typed))).toContain(texts.report.dueHeader),
  "/lienket": async (typed, c) => expect(all(await c.send(await c.user("reporter"), typed))).toMatch(/Mã liên kết của đồng chí: [A-Z2-9]{8}/),
  "/quaylai": async (typed, c) => {
    const u = await c.user("reporter");
    await c.openMonthly(u);
    await c.send(u, "5/12/2026");
    expect(all(await c.send(u, typed))).toContain("Ngày chi bộ sinh hoạt định kỳ trong tháng");
  },
  "/boqua": async (typed, c) => {
    const u = await c.user("reporter");
    await c.openMonthly(u);
    expect(all(await c.send(u, typed))).toContain(texts.report.cannotSkip);
  },
  "/tiendo": async (typed, c) => {
    const u = await c.user("reporter");
    await c.openMonthly(u);
    expect(all(await c.send(u, typed))).toContain("Tiến độ: đã trả lời");
  },
  "/xemlai": async (typed, c) => {
    const u = await c.user("reporter");
    await c.openMonthly(u);
    expect(all(await c.send(u, typed))).toContain("XEM LẠI BÁO CÁO");
  },
  "/huy": async (typed, c) => {
    const u = await c.user("reporter");
    await c.openMonthly(u);
    expect(all(await c.send(u, typed))).toContain("Hủy bản nháp");
  },
  GỬI: async (typed, c) => {
    const u = await c.user("reporter");
    await c.toReview(u);
    expect(all(await c.send(u, typed))).toContain("ĐÃ NHẬN BÁO CÁO");
  },
  SỬA: async (typed, c) => {
    const u = await c.user("reporter");
    await c.toReview(u);
    expect(all(await c.send(u, typed))).toContain(texts.report.pickEdit(5));
    expect(all(await c.send(u, "2"))).toContain("Tổng số đảng viên của chi bộ");
  },
  "sửa 3": async (typed, c) => {
    const u = await c.user("reporter");
    await c.toReview(u);
    expect(all(await c.send(u, typed))).toContain("Số đảng viên dự sinh hoạt");
  },
  "ĐỂ SAU": async (typed, c) => {
    const u = await c.user("reporter");
    await c.toReview(u);
    expect(all(await c.send(u, typed))).toContain(texts.report.later);
  },
  "quay lai": async (typed, c) => {
    const u = await c.user("reporter");
    await c.openMonthly(u);
    await c.send(u, "5/12/2026");
    expect(all(await c.send(u, typed))).toContain("Ngày chi bộ sinh hoạt định kỳ trong tháng");
  },
  "xem lai": async (typed, c) => {
    const u = await c.user("reporter");
    await c.openMonthly(u);
    expect(all(await c.send(u, typed))).toContain("XEM LẠI BÁO CÁO");
  },
  "1": async (typed, c) => {
    const u = await c.user("reporter");
    await c.remindOf(u);
    expect(all(await c.send(u, typed))).toMatch(/Bắt đầu: Báo cáo tình hình thôn|Làm tiếp: Báo cáo tình hình thôn/);
  },
  "/trangthai": committee("", /TIẾN ĐỘ BÁO CÁO/),
  "/status": committee("", /TIẾN ĐỘ BÁO CÁO/),
  "/quahan": committee("", /QUÁ HẠN|quá hạn/),
  "/overdue": committee("", /QUÁ HẠN|quá hạn/),
  "/xem": committee("tan lap", /Chi bộ thôn Tân Lập/),
  "/view": committee("tan lap", /Chi bộ thôn Tân Lập/),
  "/tonghop": committee("", /TỔNG HỢP SỐ LIỆU/),
  "/summary": committee("", /TỔNG HỢP SỐ LIỆU/),
  "/danhgia": committee("2026", /ĐÁNH GIÁ VIỆC NỘP BÁO CÁO NĂM 2026/),
  "/scorecard": committee("2026", /ĐÁNH GIÁ VIỆC NỘP BÁO CÁO NĂM 2026/),
  "/xuat": committee("", /📊 Tiến độ và số liệu/),
  "/dangnhap": committee("", /\/console\/dangnhap\?t=[A-Za-z0-9_-]{43}/),
  "/dangxuat": committee("", /trang quản trị/),
  "/export": committee("", /📊 Tiến độ và số liệu/),
  "/bieudo": committee("", /📈/),
  "/chart": committee("", /📈/),
  "/nhac": committee("tan lap", /Chi bộ thôn Tân Lập/),
  "/remind": committee("tan lap", /Chi bộ thôn Tân Lập/),
  "/yeucau": async (typed, c) => {
    const u = await c.user("office");
    expect(all(await c.send(u, typed))).toContain("YÊU CẦU BÁO CÁO ĐỘT XUẤT");
    await c.send(u, "/huy");
  },
  "/request": async (typed, c) => {
    const u = await c.user("office");
    expect(all(await c.send(u, typed))).toContain("YÊU CẦU BÁO CÁO ĐỘT XUẤT");
    await c.send(u, "/huy");
  },
  // Questions (chất vấn).
  "/chatvan": async (typed, c) => {
    const u = await c.user("office");
    expect(all(await c.send(u, typed))).toContain("CHẤT VẤN");
    await c.send(u, "/huy");
  },
  "/ask": async (typed, c) => {
    const u = await c.user("office");
    expect(all(await c.send(u, typed))).toContain("CHẤT VẤN");
    await c.send(u, "/huy");
  },
  "/dschatvan": committee("", /CHẤT VẤN|Chưa có chất vấn/),
  "/questions": committee("", /CHẤT VẤN|Chưa có chất vấn/),
  "/traloi": committee("", new RegExp(texts.questions.answer.none)),
  "/answer": committee("", new RegExp(texts.questions.answer.none)),
  "/giaosoan": committee("", /số hiệu chất vấn và họ tên người soạn/),
  "/delegate": committee("", /số hiệu chất vấn và họ tên người soạn/),
  // A question's reference, typed as printed or in small letters: read as a reference, not as a unit's name.
  CV: async (typed, c) => {
    const reply = all(await c.send(await c.user("office"), `/xem ${typed}-2026-9999`));
    expect(reply).toContain("Không tìm thấy chất vấn");
  },
  // The words of the guided ad hoc request, each at its step.
  xong: async (typed, c) => {
    const u = await requestAt(c, "questions");
    expect(all(await c.send(u, typed))).toContain(texts.committeeFlows.request.askTitle);
    await c.send(u, "/huy");
  },
  "bỏ qua": async (typed, c) => {
    const u = await requestAt(c, "instructions");
    expect(all(await c.send(u, typed))).toContain("Bước 3/5");
    await c.send(u, "/huy");
  },
  "tất cả": async (typed, c) => {
    const u = await requestAt(c, "units");
    expect(all(await c.send(u, typed))).toContain("Bước 4/5");
    await c.send(u, "/huy");
  },
};

/** Brings a new office person's /yeucau to the step where `step`'s word is typed. */
async function requestAt(c: Ctx, step: "questions" | "instructions" | "units"): Promise<number> {
  const u = await c.user("office");
  await c.send(u, "/yeucau");
  await c.send(u, { choose: texts.committeeFlows.request.inlineLabel });
  await c.send(u, "Số hộ bị ảnh hưởng?");
  if (step === "questions") return u;
  await c.send(u, "xong");
  await c.send(u, "Báo cáo tình hình sau bão");
  if (step === "instructions") return u;
  await c.send(u, "bỏ qua");
  return u;
}

// Invitation codes: of the example's people, for the strangers who link; of the test's own, by person.
let codeQueue: string[] = [];
let codeOf = new Map<string, string>();
const nextCode = () => {
  const code = codeQueue.shift();
  if (code === undefined) throw new Error("out of invitation codes");
  return Promise.resolve(code);
};

describe("the instructions in the texts", () => {
  it("each has a proof", () => {
    const found = [...allInstructions().keys()];
    expect(found.filter((i) => !(i in proofs)), "instructions printed without a proof that they work").toEqual([]);
    expect(Object.keys(proofs).filter((i) => !found.includes(i)), "proofs of instructions no longer printed").toEqual([]);
  });
});

describe.each(drivers)("every instruction on $name", ({ make }) => {
  let t: TestDb;
  let channel: ChannelDriver;
  let app: App;
  let send: Talk;
  let next = 1000;
  const people: Record<"reporter" | "office", string[]> = { reporter: [], office: [] };

  beforeAll(async () => {
    t = await createTestDb();
    const file = loadImportFile(join(import.meta.dirname, "../../examples/xa-tan-phong.yaml"));
    if (!file.ok) throw new Error(file.problems.join("\n"));
    // A village cell of their own for each reporter (with the monthly report), and many
    // office people: each proof starts fresh, with nobody else's draft in the way.
    const monthly = file.data.templates.find((x) => x.code === "TINH-HINH-THANG")!;
    for (let i = 0; i < 150; i++) {
      file.data.units.push({ code: `CB-THU-${i}`, name: `Chi bộ thôn Thử ${i}`, shortName: null, kind: "PARTY_ORG", parentCode: "DU-XA-TAN-PHONG" });
      monthly.targetUnitCodes.push(`CB-THU-${i}`);
      file.data.people.push({ code: `bc${i}`, fullName: `Cán bộ ${i}`, position: null, phone: null, email: null, roles: [{ unitCode: `CB-THU-${i}`, role: "REPORTER" }] });
      file.data.people.push({ code: `vp${i}`, fullName: `Văn phòng ${i}`, position: null, phone: null, email: null, roles: [{ unitCode: "DU-XA-TAN-PHONG", role: "OFFICE" }] });
    }
    const imported = await applyImport(t.db.prisma, file.data, { now: NOW, ttlDays: 14 });
    const code = new Map(imported.invitations.map((i) => [i.personCode, i.code]));
    people.reporter = [...code.keys()].filter((k) => k.startsWith("bc"));
    people.office = [...code.keys()].filter((k) => k.startsWith("vp"));
    codeQueue = [...code.entries()].filter(([k]) => !k.startsWith("bc") && !k.startsWith("vp")).map(([, v]) => v);
    for (const [tcode, type, number] of [["CCHC-QUY", "QUARTERLY", 4], ["TINH-HINH-THANG", "MONTHLY", 12]] as const) {
      const template = await t.db.prisma.template.findUniqueOrThrow({ where: { code: tcode }, select: { id: true } });
      await openPeriod(t.db.prisma, { templateId: template.id, type, year: 2026, number }, { now: NOW });
    }
    channel = await make();
    app = await startTestApp({ DATABASE_URL: t.url, ...channel.env() }, fixedClock(NOW));
    send = talk(channel, () => app);
    codeOf = code;
  }, 120_000);

  afterAll(async () => {
    await app.stop();
    await channel.close();
    await t.cleanup();
  });

  const ctx = (): Ctx => ({
    send,
    async user(role) {
      const u = next++;
      if (role === "stranger") return u;
      const person = people[role].shift();
      if (person === undefined) throw new Error(`out of ${role} people`);
      const code = codeOf.get(person)!;
      expect(all(await send(u, `/start ${code}`))).toContain("liên kết thành công");
      return u;
    },
    async openMonthly(u) {
      await send(u, "/baocao");
      await send(u, { choose: MONTHLY });
    },
    async toReview(u) {
      await this.openMonthly(u);
      for (const a of ["5/12/2026", "30", "28"]) await send(u, a);
      await send(u, { choose: "Không" });
      expect(all(await send(u, "Sản xuất ổn định."))).toContain("XEM LẠI BÁO CÁO");
    },
    async remindOf(u) {
      // What a reminder leaves behind: a sent message with the report's button.
      const person = await t.db.prisma.chatIdentity.findFirstOrThrow({ where: { externalId: String(u) }, select: { personId: true } });
      const a = await t.db.prisma.assignment.findFirstOrThrow({
        where: { unit: { memberships: { some: { personId: person.personId } } }, template: { code: "TINH-HINH-THANG" } },
        select: { id: true },
      });
      await t.db.prisma.outboundMessage.create({
        data: {
          dedupKey: `test-reminder:${u}`,
          purpose: "reminder",
          platform: channel.platform,
          chatId: String(u),
          recipientId: person.personId,
          assignmentId: a.id,
          payload: { text: "⏰ Nhắc", choices: [{ value: `open:${a.id}`, label: texts.reminders.openLabel }] },
          status: "SENT",
          sentAt: NOW,
        },
      });
    },
  });

  it.each(Object.keys(proofs))("%s works as printed and as people type it", async (instruction) => {
    const forms = variants(instruction, spoken[instruction]);
    for (const typed of forms) await proofs[instruction]!(typed, ctx());
  }, 120_000);
});
