// Two /nhac tatca at the same moment, from two office members through two
// processes (here: two Prisma clients on one database, each in the message's
// transaction as the processor runs it). One plans the nudges; the other
// must get the cooldown answer, and no reply counts rows it did not insert.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundMessage } from "../../src/channels/channel.ts";
import { openPostgres, type Database, type Prisma } from "../../src/db/database.ts";
import { remindCommand } from "../../src/committee/remind.ts";
import { redeemInvitation } from "../../src/org/invitations.ts";
import { vi as texts } from "../../src/texts/vi.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { NOW, seedProvince } from "./seed.ts";

const r = texts.committeeFlows.remind;
const ROUNDS = 25;

/** Resolves for everyone once `parties` callers have arrived. */
function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return () => {
    if (++arrived === parties) open();
    return opened;
  };
}

const message = (user: string): InboundMessage => ({
  platform: "TELEGRAM",
  updateKey: `race-${user}`,
  chatId: user,
  chatType: "private",
  from: { id: user },
  messageId: "1",
  date: NOW,
  content: { type: "text", text: "/nhac tatca" },
});

describe("two /nhac tatca at the same moment", () => {
  let t: TestDb;
  let second: Database;
  const members: { id: number; fullName: string }[] = [];

  beforeAll(async () => {
    t = await createTestDb();
    second = openPostgres(t.url, { poolSize: 2 });
    const prisma = t.db.prisma;
    const codes = await seedProvince(prisma);
    // The heads of the two overdue units (An Khang, Bình Tây) receive the nudges.
    for (const [n, person] of ["heada5", "headb2"].entries()) {
      const linked = await redeemInvitation(prisma, { platform: "TELEGRAM", externalId: `9${n}`, chatId: `9${n}`, code: codes.get(person)!, now: NOW });
      expect(linked.ok).toBe(true);
    }
    const root = await prisma.unit.findUniqueOrThrow({ where: { code: "TU-TINH" }, select: { id: true } });
    const office = await prisma.person.findUniqueOrThrow({ where: { code: "vanphong" }, select: { id: true, fullName: true } });
    const colleague = await prisma.person.create({
      data: { code: "vanphong2", fullName: "Nguyễn Thị Văn", memberships: { create: { unitId: root.id, role: "OFFICE" } } },
      select: { id: true, fullName: true },
    });
    members.push(office, colleague);
  });

  afterAll(async () => {
    await second.close();
    await t.cleanup();
  });

  const nudge = (prisma: Prisma, person: { id: number; fullName: string }, arrive: () => Promise<void>) =>
    prisma.$transaction(async (tx) => {
      // Both transactions are open before either command starts.
      await tx.$queryRaw`SELECT 1`;
      await arrive();
      const replies = await remindCommand.run({ tx, person, args: "tatca", now: NOW, message: message(String(person.id)) });
      return replies.map((x) => x.text).join("\n");
    });

  it("plans once: the other member gets the cooldown answer, every time", async () => {
    const [office, colleague] = members as [(typeof members)[0], (typeof members)[0]];
    for (let round = 0; round < ROUNDS; round++) {
      const arrive = barrier(2);
      const replies = await Promise.all([nudge(t.db.prisma, office, arrive), nudge(second.prisma, colleague, arrive)]);
      expect(replies.sort(), `round ${round}`).toEqual([r.allCooling("14:00 18/12/2026"), r.planned(2, 2, null)].sort());
      const planned = await t.db.prisma.outboundMessage.findMany({ where: { purpose: "nudge" }, select: { chatId: true } });
      expect(planned.map((p) => p.chatId).sort()).toEqual(["90", "91"]);
      // Next round starts afresh: no nudge yet today.
      await t.db.prisma.outboundMessage.deleteMany({ where: { purpose: "nudge" } });
    }
  });
});
