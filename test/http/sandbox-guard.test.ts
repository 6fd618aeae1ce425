// The sandbox links every person to a chat anyone at the keyboard can use:
// it must never start on the data of an organisation that uses the real bots.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StartupError } from "../../src/app.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { startTestApp } from "../support/app.ts";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t.cleanup();
});

describe("the sandbox's database", () => {
  it("refuses a database where a Telegram or Zalo account is linked, and links nobody", async () => {
    const person = await t.db.prisma.person.create({ data: { code: "an", fullName: "Nguyễn Văn An" }, select: { id: true } });
    await t.db.prisma.chatIdentity.create({ data: { personId: person.id, platform: "ZALO", externalId: "z1", chatId: "z1" } });
    const start = startTestApp({ DATABASE_URL: t.url, SANDBOX: "on" });
    await expect(start).rejects.toBeInstanceOf(StartupError);
    await expect(start).rejects.toThrow("will not run on a database where 1 Telegram or Zalo account(s) are linked");
    expect(await t.db.prisma.chatIdentity.count({ where: { platform: "SANDBOX" } })).toBe(0);
  });

  it("pauses the sandbox's chats while it is off, so nothing waits for them forever, and resumes them when it is on", async () => {
    const db = await createTestDb();
    try {
      const person = await db.db.prisma.person.create({ data: { code: "binh", fullName: "Trần Văn Bình" }, select: { id: true } });
      await db.db.prisma.chatIdentity.create({ data: { personId: person.id, platform: "SANDBOX", externalId: `p${person.id}`, chatId: `p${person.id}` } });
      const queued = await db.db.prisma.outboundMessage.create({
        data: { dedupKey: "nudge:x", purpose: "nudge", platform: "SANDBOX", chatId: `p${person.id}`, payload: { text: "Nhắc" }, status: "QUEUED" },
        select: { id: true },
      });
      const off = await startTestApp({ DATABASE_URL: db.url, SANDBOX: "off" });
      await off.stop();
      expect(await db.db.prisma.chatIdentity.findFirst({ where: { personId: person.id }, select: { blockedAt: true, blockReason: true } })).toMatchObject({ blockReason: "sandbox_off" });
      expect(await db.db.prisma.outboundMessage.findUnique({ where: { id: queued.id }, select: { status: true, reason: true } })).toEqual({ status: "SKIPPED", reason: "sandbox_off" });
      const on = await startTestApp({ DATABASE_URL: db.url, SANDBOX: "on" });
      await on.stop();
      expect(await db.db.prisma.chatIdentity.findFirst({ where: { personId: person.id }, select: { blockedAt: true, blockReason: true } })).toEqual({ blockedAt: null, blockReason: null });
    } finally {
      await db.cleanup();
    }
  }, 60_000);
});
