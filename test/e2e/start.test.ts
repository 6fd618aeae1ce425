// /start, linking with an invitation code, and /help, end to end: the real
// app polls the emulated Telegram and Zalo APIs, stores, processes, replies.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.ts";
import { loadImportFile } from "../../src/org/import-file.ts";
import { applyImport } from "../../src/org/import.ts";
import { vi as texts } from "../../src/texts/vi.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { drivers, type ChannelDriver } from "../support/channels.ts";
import { startTestApp } from "../support/app.ts";

describe.each(drivers)("on $name", ({ make }) => {
  let t: TestDb;
  let channel: ChannelDriver;
  let app: App;
  let codes: Map<string, string>;

  beforeAll(async () => {
    t = await createTestDb();
    const file = loadImportFile(join(import.meta.dirname, "../../examples/xa-tan-phong.yaml"));
    if (!file.ok) throw new Error(file.problems.join("\n"));
    const result = await applyImport(t.db.prisma, file.data, { now: new Date(), ttlDays: 14 });
    codes = new Map(result.invitations.map((i) => [i.personCode, i.code]));
    channel = await make();
    app = await startTestApp({ DATABASE_URL: t.url, ...channel.env() });
  });

  afterAll(async () => {
    await app.stop();
    await channel.close();
    await t.cleanup();
  });

  it("greets a stranger with how to link the account", async () => {
    channel.say(101, "/start");
    expect(await channel.reply(101, 1)).toBe(texts.bot.welcomeStranger);
    channel.say(101, "xin chào");
    expect(await channel.reply(101, 2)).toBe(texts.bot.notLinked);
  });

  it("links an account with an invitation code, then knows the person", async () => {
    const [personCode, code] = [...codes.entries()][0]!;
    const person = await t.db.prisma.person.findUniqueOrThrow({ where: { code: personCode }, select: { fullName: true } });
    channel.say(102, `/start ${code.toLowerCase()}`, "Anh Ba");
    const linked = await channel.reply(102, 1);
    expect(linked).toContain(`Xin chào đồng chí ${person.fullName}! Tài khoản đã được liên kết thành công.`);
    channel.say(102, "/batdau");
    expect(await channel.reply(102, 2)).toContain(`Xin chào đồng chí ${person.fullName}!`);
    // Then what is due: nothing yet, no period has opened.
    expect(await channel.reply(102, 3)).toBe(texts.report.nothingDue);
    channel.say(102, "/huongdan");
    expect(await channel.reply(102, 4)).toContain(texts.bot.help(true));
    channel.say(102, "/xyz");
    expect(await channel.reply(102, 5)).toBe(texts.bot.unknownCommand("xyz"));
    const identity = await t.db.prisma.chatIdentity.findFirstOrThrow({ where: { externalId: "102" }, select: { platform: true, person: { select: { code: true } } } });
    expect(identity.person.code).toBe(personCode);
  });

  it("refuses a used code and a wrong code", async () => {
    const [, code] = [...codes.entries()][0]!;
    channel.say(103, `/start ${code}`);
    // A used code answers like a wrong one: strangers learn nothing about codes.
    expect(await channel.reply(103, 1)).toBe(texts.link.invalid);
    channel.say(103, "/start ZZZZZZZZ");
    expect(await channel.reply(103, 2)).toBe(texts.link.invalid);
  });

  it("answers help, unknown commands and stickers politely", async () => {
    channel.say(104, "/help");
    expect(await channel.reply(104, 1)).toBe(texts.bot.help(false));
    // A stranger may only start, link, and read the help.
    channel.say(104, "/baocao");
    expect(await channel.reply(104, 2)).toBe(texts.bot.notLinked);
    channel.sendSticker(104);
    expect(await channel.reply(104, 3)).toBe(texts.bot.unsupported);
    const tooLong = "a".repeat(4_500);
    channel.say(104, tooLong);
    expect(await channel.reply(104, 4)).toBe(texts.bot.tooLong(4000));
  });
});
