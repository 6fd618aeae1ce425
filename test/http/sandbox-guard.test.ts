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
});
