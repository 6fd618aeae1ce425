// A submit and a colleague's answer to the same draft at the same moment:
// the revision keeps the colleague's answer, credited to them, whichever way
// the submit goes (its first try without a transaction, or a transaction).
// The processor's statements are watched to make the colleague write at the
// worst moment: right after the submitting official's draft was read.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.ts";
import { fixedClock } from "../../src/clock.ts";
import { NeedsTransaction } from "../../src/db/deferred.ts";
import type { Prisma as P } from "../../src/db/generated/client.ts";
import { saveAnswer } from "../../src/reports/submissions.ts";
import { vi as texts } from "../../src/texts/vi.ts";
import { telegramDriver, type ChannelDriver } from "../support/channels.ts";
import { startTestApp } from "../support/app.ts";
import { createTestDb, waitersOnLock, type TestDb } from "../support/db.ts";
import { importExample } from "../support/example-org.ts";
import { talk, type Talk } from "../support/talk.ts";

const MONTHLY = "Báo cáo tình hình thôn, bản hằng tháng – Tháng 12/2026";
const NOW = new Date("2026-12-01T03:00:00Z");
const users = { em: 41, panh: 42 };

let t: TestDb;
let channel: ChannelDriver;
let app: App;
let send: Talk;
/** Runs after each statement the processor sends outside a transaction, before its rows are used. */
let afterStatement: ((text: string) => Promise<void>) | null = null;

beforeAll(async () => {
  t = await createTestDb();
  const codes = await importExample(t.db.prisma, NOW, ["monthly"]);
  channel = await telegramDriver();
  const query = async <T>(sql: P.Sql): Promise<T[]> => {
    const rows = await t.db.query<T>(sql);
    const hook = afterStatement;
    if (hook) await hook(sql.text);
    return rows;
  };
  app = await startTestApp({ DATABASE_URL: t.url, ...channel.env() }, fixedClock(NOW), { processor: { query } });
  send = talk(channel, () => app);
  await send(users.em, `/start ${codes.get("quangthiem")}`);
});
afterAll(async () => {
  await app.stop();
  await channel.close();
  await t.cleanup();
});

/** Quàng Thị Em fills Bản Nà Hốc's monthly report (12 members) up to its review. */
async function toReview(): Promise<number> {
  await send(users.em, "/baocao");
  await send(users.em, { choose: MONTHLY });
  for (const a of ["06/12/2026", "12", "12"]) await send(users.em, a);
  await send(users.em, { choose: "Không" });
  const r = await send(users.em, "Bình thường");
  expect(r.join("\n")).toContain("XEM LẠI BÁO CÁO");
  const { submission } = await t.db.prisma.assignment.findFirstOrThrow({
    where: { unit: { code: "CB-BAN-NA-HOC" }, template: { code: "TINH-HINH-THANG" } },
    select: { submission: { select: { id: true } } },
  });
  return submission!.id;
}

async function headId(): Promise<number> {
  return (await t.db.prisma.person.findUniqueOrThrow({ where: { code: "lovanpanh" }, select: { id: true } })).id;
}

/** The latest revision's count of members, and who gave it. */
async function keptCount(submissionId: number) {
  const revision = await t.db.prisma.revision.findFirstOrThrow({
    where: { submissionId },
    orderBy: { number: "desc" },
    select: { number: true, answers: { where: { path: "so_dang_vien" }, select: { value: true, answeredById: true } } },
  });
  return { number: revision.number, ...revision.answers[0] };
}

describe("a colleague's answer while a report is submitted", () => {
  it("is kept when it lands just after the submitting official's draft was read", async () => {
    const submissionId = await toReview();
    const head = await headId();
    afterStatement = async (text) => {
      // lockWriter has read the state and the draft: the head corrects the count now.
      if (!text.includes('"ChatIdentity"')) return;
      afterStatement = null;
      await t.db.prisma.$transaction((tx) => saveAnswer(tx, { submissionId, path: "so_dang_vien", value: 13, personId: head, now: NOW }));
    };
    const r = await send(users.em, { choose: texts.report.reviewActions.submit });
    expect(r[0]).toContain("ĐÃ NHẬN BÁO CÁO");
    expect(await keptCount(submissionId)).toEqual({ number: 1, value: 13, answeredById: head });
  });

  it("is kept when the submit runs in a transaction and waits for the colleague's write", async () => {
    // Reopened: the submitted report is edited and sent again (revision 2).
    await send(users.em, "/baocao");
    const r0 = await send(users.em, { choose: MONTHLY });
    expect(r0.join("\n")).toContain("XEM LẠI BÁO CÁO");
    const { submission } = await t.db.prisma.assignment.findFirstOrThrow({
      where: { unit: { code: "CB-BAN-NA-HOC" }, template: { code: "TINH-HINH-THANG" } },
      select: { submission: { select: { id: true } } },
    });
    const submissionId = submission!.id;
    const head = await headId();
    let commit!: () => void;
    const gate = new Promise<void>((resolve) => (commit = resolve));
    let colleague: Promise<unknown> | undefined;
    afterStatement = async (text) => {
      // The first try has read the submission: the head's write starts (not
      // committed), and the message goes on in a transaction, whose reads
      // cannot see that write until the submit's lock waits for it.
      if (!text.includes("WITH seen AS")) return;
      afterStatement = null;
      let started!: () => void;
      const written = new Promise<void>((resolve) => (started = resolve));
      colleague = t.db.prisma.$transaction(
        async (tx) => {
          await saveAnswer(tx, { submissionId, path: "so_dang_vien", value: 14, personId: head, now: NOW });
          started();
          await gate;
        },
        { timeout: 60_000 },
      );
      await written;
      throw new NeedsTransaction();
    };
    const submitting = send(users.em, { choose: texts.report.reviewActions.submit });
    expect(await waitersOnLock(t.db.prisma, Infinity)).toBeGreaterThan(0);
    commit();
    await colleague;
    const r = await submitting;
    expect(r[0]).toContain("lần nộp thứ 2");
    expect(await keptCount(submissionId)).toEqual({ number: 2, value: 14, answeredById: head });
  });
});
