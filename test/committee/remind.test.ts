// /nhac end to end over both emulators, on the known situation of seed.ts:
// who gets a nudge, the per-unit cooldown, quiet hours, who may nudge whom.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.ts";
import { fixedClock } from "../../src/clock.ts";
import { vi as texts } from "../../src/texts/vi.ts";
import { enqueueOutbound } from "../../jobs/queues.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { drivers, type ChannelDriver } from "../support/channels.ts";
import { startTestApp } from "../support/app.ts";
import { talk, type Talk } from "../support/talk.ts";
import { vn } from "../reports/helpers.ts";
import { NOW, seedProvince } from "./seed.ts";


const r = texts.committeeFlows.remind;

describe.each(drivers)("/nhac on $name", ({ make }) => {
  let t: TestDb;
  let channel: ChannelDriver;
  let app: App;
  let send: Talk;
  const clock = fixedClock(NOW);
  const users = { office: 301, a: 302, reporter: 303, repa4: 304, heada5: 305, headb2: 306 };

  const nudges = () =>
    app.db.prisma.outboundMessage.findMany({
      where: { purpose: "nudge" },
      select: { dedupKey: true, status: true, plannedFor: true, chatId: true, payload: true, assignment: { select: { id: true, unit: { select: { code: true } } } } },
      orderBy: { id: "asc" },
    });

  beforeAll(async () => {
    t = await createTestDb();
    const codes = await seedProvince(t.db.prisma);
    channel = await make();
    app = await startTestApp({ DATABASE_URL: t.url, ...channel.env() }, clock);
    send = talk(channel, () => app);
    const people = [
      [users.office, "vanphong"],
      [users.a, "capuya"],
      [users.reporter, "repa1"],
      [users.repa4, "repa4"],
      [users.heada5, "heada5"],
      [users.headb2, "headb2"],
    ] as const;
    for (const [user, person] of people) expect((await send(user, `/start ${codes.get(person)}`))[0]).toContain("liên kết thành công");
  });

  afterAll(async () => {
    await app.stop();
    await channel.close();
    await t.cleanup();
  });

  it("refuses a reporter, a unit outside the subtree, and a bare /nhac", async () => {
    expect(await send(users.reporter, "/nhac an thinh")).toEqual([texts.committee.refused]);
    // Outside the subtree reads exactly like a unit that does not exist.
    expect(await send(users.a, "/nhac binh tay")).toEqual([texts.committee.unitNotFound("binh tay")]);
    expect(await send(users.a, "/nhac binh tam")).toEqual([texts.committee.unitNotFound("binh tam")]);
    expect(await send(users.a, "/nhac")).toEqual([r.usage]);
    expect(await send(users.a, "/remind an lac")).toEqual([r.nothingOpen("Chi bộ thôn An Lạc")]);
    expect(await nudges()).toEqual([]);
  });

  it("plans a nudge for the unit's reporter now, with the open button, and holds the cooldown", async () => {
    expect(await send(users.a, "/nhac an thinh")).toEqual([r.planned(1, 1, null)]);
    const rows = await nudges();
    expect(rows).toHaveLength(1);
    const [row] = rows;
    const identity = await app.db.prisma.chatIdentity.findFirstOrThrow({ where: { chatId: String(users.repa4) }, select: { id: true } });
    expect(row).toMatchObject({ status: "PLANNED", plannedFor: NOW, chatId: String(users.repa4), assignment: { unit: { code: "CB-A4" } } });
    expect(row!.dedupKey).toBe(`nudge:${row!.assignment!.id}:2026-12-18:${identity.id}`);
    expect(row!.payload).toMatchObject({ choices: [{ value: `open:${row!.assignment!.id}`, label: texts.reminders.openLabel }] });
    expect((row!.payload as { text: string }).text).toContain("Nhắc nộp báo cáo: Báo cáo quý của chi bộ – Quý IV/2026");

    clock.set(vn("2026-12-18 11:00"));
    expect(await send(users.a, "/nhac CB-A4")).toEqual([r.cooldown("Chi bộ thôn An Thịnh", "14:00 18/12/2026")]);
    expect(await nudges()).toHaveLength(1);
  });

  it("nudges every overdue unit of the office's subtree with tatca, the heads when a unit has no reporter", async () => {
    clock.set(vn("2026-12-18 11:30"));
    expect(await send(users.office, "/nhac tatca")).toEqual([r.planned(2, 2, null)]);
    const rows = (await nudges()).slice(1);
    expect(rows.map((x) => [x.assignment?.unit.code, x.chatId]).sort()).toEqual([
      ["CB-A5", String(users.heada5)],
      ["CB-B2", String(users.headb2)],
    ]);
    // All of them were just nudged.
    expect(await send(users.office, "/nhac all")).toEqual([r.allCooling("15:30 18/12/2026")]);
  });

  it("at night plans the nudge for the next working morning", async () => {
    clock.set(vn("2026-12-18 20:00")); // Friday evening: next office opening is Monday 07:30
    expect(await send(users.a, "/nhac an thinh")).toEqual([r.planned(1, 1, "07:30 21/12/2026")]);
    const last = (await nudges()).at(-1)!;
    expect(last.plannedFor).toEqual(vn("2026-12-21 07:30"));
    expect(last.dedupKey).toContain(":2026-12-21:");
  });

  it("delivers a nudge with a button that opens the report", async () => {
    clock.set(NOW);
    const row = await app.db.prisma.outboundMessage.findFirstOrThrow({ where: { purpose: "nudge", chatId: String(users.repa4) }, orderBy: { id: "asc" } });
    // What the dispatcher does with a due row.
    await app.db.prisma.outboundMessage.update({ where: { id: row.id }, data: { status: "QUEUED" } });
    const before = channel.replies(users.repa4).length;
    await enqueueOutbound(app.queues, [{ id: row.id, dedupKey: row.dedupKey, platform: channel.platform }]);
    await channel.reply(users.repa4, before + 1);
    expect(channel.replies(users.repa4).at(-1)).toContain("🔔 Nhắc nộp báo cáo");
    const opened = await send(users.repa4, { choose: texts.reminders.openLabel });
    expect(opened.join("\n")).toContain("Báo cáo quý của chi bộ – Quý IV/2026");
  });

  it("leaves one audit row per use", async () => {
    const rows = await app.db.prisma.auditLog.findMany({ where: { action: "committee.nhac" }, select: { details: true } });
    expect(rows).toHaveLength(10);
    expect(rows.filter((x) => (x.details as { refused?: string }).refused !== undefined)).toHaveLength(7);
  });
});
