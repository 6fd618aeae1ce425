import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../support/db.ts";
import { applyImport } from "../../src/org/import.ts";
import { loadImportFile } from "../../src/org/import-file.ts";
import {
  findIdentity,
  generateInvitationCode,
  normaliseCode,
  redeemInvitation,
  type RedeemInput,
} from "../../src/org/invitations.ts";
import { PLATFORM_MAX_FAILURES } from "../../src/org/link-throttle.ts";
import { linkReply } from "../../src/bot/link-replies.ts";
import { vi as texts } from "../../src/texts/vi.ts";
import { exampleFile } from "./helpers.ts";

let t: TestDb;
const importedAt = new Date("2026-03-02T02:00:00Z");
const later = (minutes: number) => new Date(importedAt.getTime() + minutes * 60_000);
const codes = new Map<string, string>();

beforeAll(async () => {
  t = await createTestDb();
  const loaded = loadImportFile(exampleFile);
  if (!loaded.ok) throw new Error(loaded.problems.join("\n"));
  const r = await applyImport(t.db.prisma, loaded.data, { now: importedAt, ttlDays: 14 });
  for (const i of r.invitations) codes.set(i.personCode, i.code);
});
afterAll(async () => {
  await t.cleanup();
});

function code(person: string): string {
  const c = codes.get(person);
  if (!c) throw new Error(`no invitation for ${person}`);
  return c;
}

let nextUser = 1000;
function account(): Pick<RedeemInput, "platform" | "externalId" | "chatId"> {
  const id = String(nextUser++);
  return { platform: "TELEGRAM", externalId: id, chatId: id };
}

describe("invitation codes", () => {
  it("are 8 characters from the unambiguous alphabet", () => {
    for (let i = 0; i < 200; i++) expect(generateInvitationCode()).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
  });

  it("are normalised before lookup", () => {
    expect(normaliseCode("  k7pm-4qxd ")).toBe("K7PM4QXD");
    expect(normaliseCode("K7PM 4QXD")).toBe("K7PM4QXD");
  });
});

describe("redeeming an invitation", () => {
  it("links the chat account with the right code", async () => {
    const who = account();
    const typed = code("dothilan").toLowerCase().replace(/^(....)/, "$1-");
    const r = await redeemInvitation(t.db.prisma, { ...who, displayName: "Lan Đỗ", code: typed, now: later(5) });
    expect(r).toEqual({
      ok: true,
      person: { id: expect.any(Number) as number, fullName: "Đỗ Thị Lan" },
      units: [{ name: "Chi bộ thôn Tân Lập", role: "REPORTER" }],
    });

    const identity = await findIdentity(t.db.prisma, who.platform, who.externalId);
    expect(identity).toEqual({
      personId: r.ok ? r.person.id : -1,
      fullName: "Đỗ Thị Lan",
      roles: [{ unitId: expect.any(Number) as number, unitName: "Chi bộ thôn Tân Lập", role: "REPORTER" }],
    });
    const inv = await t.db.prisma.invitation.findUniqueOrThrow({
      where: { code: code("dothilan") },
      select: { usedAt: true, usedByIdentity: { select: { chatId: true, displayName: true } } },
    });
    expect(inv).toEqual({ usedAt: later(5), usedByIdentity: { chatId: who.chatId, displayName: "Lan Đỗ" } });
    expect(await t.db.prisma.auditLog.count({ where: { action: "identity.linked" } })).toBe(1);
    expect(await findIdentity(t.db.prisma, "ZALO", who.externalId)).toBeNull();
  });

  it("refuses a used code, and tells the owner they are already linked", async () => {
    const other = account();
    expect(await redeemInvitation(t.db.prisma, { ...other, code: code("dothilan"), now: later(6) })).toEqual({ ok: false, reason: "used" });
  });

  it("says already_linked or linked_to_other for an account that is linked", async () => {
    const who = account();
    const first = await redeemInvitation(t.db.prisma, { ...who, code: code("phamvanhung"), now: later(7) });
    expect(first.ok).toBe(true);
    // Following the same deep link again.
    expect(await redeemInvitation(t.db.prisma, { ...who, code: code("phamvanhung"), now: later(8) })).toEqual({
      ok: false,
      reason: "already_linked",
    });
    // Someone else's code from an account that belongs to Phạm Văn Hùng.
    expect(await redeemInvitation(t.db.prisma, { ...who, code: code("vuvanlong"), now: later(9) })).toEqual({
      ok: false,
      reason: "linked_to_other",
    });
    // The other person's code stays usable.
    expect((await redeemInvitation(t.db.prisma, { ...account(), code: code("vuvanlong"), now: later(10) })).ok).toBe(true);
  });

  it("refuses an expired code", async () => {
    const r = await redeemInvitation(t.db.prisma, { ...account(), code: code("buithithu"), now: later(14 * 24 * 60) });
    expect(r).toEqual({ ok: false, reason: "expired" });
    // One minute before the end it still works.
    const ok = await redeemInvitation(t.db.prisma, { ...account(), code: code("buithithu"), now: later(14 * 24 * 60 - 1) });
    expect(ok.ok).toBe(true);
  });

  it("refuses an unknown or revoked code as invalid", async () => {
    expect(await redeemInvitation(t.db.prisma, { ...account(), code: "ZZZZZZZZ", now: later(11) })).toEqual({ ok: false, reason: "invalid" });
    expect(await redeemInvitation(t.db.prisma, { ...account(), code: "", now: later(11) })).toEqual({ ok: false, reason: "invalid" });
    await t.db.prisma.invitation.update({ where: { code: code("ngovanbinh") }, data: { revokedAt: later(11) } });
    expect(await redeemInvitation(t.db.prisma, { ...account(), code: code("ngovanbinh"), now: later(12) })).toEqual({
      ok: false,
      reason: "invalid",
    });
  });

  it("throttles after 5 wrong codes in 15 minutes, even for a right one, and lifts after 15 minutes", async () => {
    const guesser = account();
    for (let i = 0; i < 5; i++) {
      const r = await redeemInvitation(t.db.prisma, { ...guesser, code: `WRONG${String(i).padStart(3, "A")}`, now: later(20 + i) });
      expect(r).toEqual({ ok: false, reason: "invalid" });
    }
    expect(await redeemInvitation(t.db.prisma, { ...guesser, code: code("dangthihoa"), now: later(25) })).toEqual({
      ok: false,
      reason: "throttled",
    });
    // Another account is not affected.
    expect(await redeemInvitation(t.db.prisma, { ...account(), code: "WRONGAAA", now: later(25) })).toEqual({ ok: false, reason: "invalid" });
    // Attempts are recorded, the throttled one too.
    expect(await t.db.prisma.linkAttempt.count({ where: { externalId: guesser.externalId } })).toBe(6);
    // 15 minutes after the last refused attempt (at minute 25) the code works.
    const ok = await redeemInvitation(t.db.prisma, { ...guesser, code: code("dangthihoa"), now: later(40) });
    expect(ok.ok).toBe(true);
  });

  it("lets exactly one of two concurrent redeems of one code succeed", async () => {
    const a = account();
    const b = account();
    const results = await Promise.all([
      redeemInvitation(t.db.prisma, { ...a, code: code("lovanpanh"), now: later(50) }),
      redeemInvitation(t.db.prisma, { ...b, code: code("lovanpanh"), now: later(50) }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: "used" }]);
    const identities = await t.db.prisma.chatIdentity.count({ where: { person: { code: "lovanpanh" } } });
    expect(identities).toBe(1);
  });

  it("handles the same account redeeming twice at once", async () => {
    const a = account();
    const results = await Promise.all([
      redeemInvitation(t.db.prisma, { ...a, code: code("quangthiem"), now: later(60) }),
      redeemInvitation(t.db.prisma, { ...a, code: code("quangthiem"), now: later(60) }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: "already_linked" }]);
    expect(await t.db.prisma.chatIdentity.count({ where: { externalId: a.externalId } })).toBe(1);
  });

  it("works inside the caller's transaction, one winner among concurrent transactions", async () => {
    const a = account();
    const b = account();
    const inTx = (who: typeof a) =>
      t.db.prisma.$transaction(async (tx) => {
        const r = await redeemInvitation(tx, { ...who, code: code("nguyenvantoan"), now: later(65) });
        // The caller's transaction is still usable after either outcome.
        await tx.linkAttempt.count();
        return r;
      });
    const [ra, rb] = await Promise.all([inTx(a), inTx(b)]);
    const results = [ra, rb];
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: "used" }]);
    const winner = ra.ok ? a : b;
    expect((await findIdentity(t.db.prisma, winner.platform, winner.externalId))?.fullName).toBe("Nguyễn Văn Toàn");
    const inv = await t.db.prisma.invitation.findUniqueOrThrow({
      where: { code: code("nguyenvantoan") },
      select: { usedByIdentity: { select: { externalId: true } } },
    });
    expect(inv.usedByIdentity?.externalId).toBe(winner.externalId);
  });

  it("gives no invitation to a linked person on the next import", async () => {
    const loaded = loadImportFile(exampleFile);
    if (!loaded.ok) throw new Error("example must load");
    const r = await applyImport(t.db.prisma, loaded.data, { now: later(70), ttlDays: 14 });
    const listed = new Set(r.invitations.map((i) => i.personCode));
    for (const linked of ["dothilan", "phamvanhung", "vuvanlong", "buithithu", "dangthihoa", "lovanpanh", "quangthiem", "nguyenvantoan"]) {
      expect(listed.has(linked)).toBe(false);
    }
    // The revoked code is replaced by a new one.
    const binh = r.invitations.find((i) => i.personCode === "ngovanbinh");
    expect(binh?.created).toBe(true);
    expect(binh?.code).not.toBe(code("ngovanbinh"));
  });
});

describe("what a reply to a code tells", () => {
  it("gives a stranger one answer whether the code was never issued, is used or has expired", async () => {
    const results = [
      await redeemInvitation(t.db.prisma, { ...account(), code: "ZZZZZZZZ", now: later(3 * 60) }),
      await redeemInvitation(t.db.prisma, { ...account(), code: code("dothilan"), now: later(3 * 60) }),
      await redeemInvitation(t.db.prisma, { ...account(), code: code("trinhthingoc"), now: later(15 * 24 * 60) }),
    ];
    expect(results).toEqual([
      { ok: false, reason: "invalid" },
      { ok: false, reason: "used" },
      { ok: false, reason: "expired" },
    ]);
    expect(results.map(linkReply)).toEqual([texts.link.invalid, texts.link.invalid, texts.link.invalid]);
  });

  it("tells a linked account only whether a code is its own person's", async () => {
    const who = account();
    expect((await redeemInvitation(t.db.prisma, { ...who, code: code("nguyenthihuong"), now: later(4 * 60) })).ok).toBe(true);
    const reply = async (c: string) => linkReply(await redeemInvitation(t.db.prisma, { ...who, code: c, now: later(4 * 60 + 1) }));
    expect(await reply(code("nguyenthihuong"))).toBe(texts.link.alreadyLinked);
    // Someone's unused code, someone's used code, a code never issued: all alike.
    for (const other of [code("tranvanduc"), code("dothilan"), "ZZZZZZZZ"]) expect(await reply(other)).toBe(texts.link.linkedToOther);
  });
});

describe("the limit across all accounts of a platform", () => {
  const second = (start: Date, s: number) => new Date(start.getTime() + s * 1000);

  it("holds many guessing accounts together to 30 wrong codes a minute, then asks strangers to come back later", async () => {
    const start = later(5 * 60);
    // Eight accounts, four guesses each: every one stays under its own limit.
    const guessers = Array.from({ length: 8 }, () => account());
    const replies: string[] = [];
    let s = 0;
    for (let round = 0; round < 4; round++) {
      for (const g of guessers) replies.push(linkReply(await redeemInvitation(t.db.prisma, { ...g, code: "ZZZZZZZZ", now: second(start, s++) })));
    }
    expect(replies.slice(0, PLATFORM_MAX_FAILURES)).toEqual(Array<string>(PLATFORM_MAX_FAILURES).fill(texts.link.invalid));
    expect(replies.slice(PLATFORM_MAX_FAILURES)).toEqual([texts.link.busy, texts.link.busy]);
    // The limit comes before any lookup: a right code waits too, and learns nothing.
    const late = account();
    expect(await redeemInvitation(t.db.prisma, { ...late, code: code("lethimai"), now: second(start, 33) })).toEqual({ ok: false, reason: "busy" });
    // Zalo is not held up by guessing on Telegram.
    expect(await redeemInvitation(t.db.prisma, { ...account(), platform: "ZALO", code: "ZZZZZZZZ", now: second(start, 33) })).toEqual({ ok: false, reason: "invalid" });
    // A minute after the burst the right code works.
    expect((await redeemInvitation(t.db.prisma, { ...late, code: code("lethimai"), now: second(start, 34 + 60) })).ok).toBe(true);
  });

  it("does not let one account that keeps guessing shut everyone else out", async () => {
    const start = later(6 * 60);
    const hammer = account();
    for (let i = 0; i < 80; i++) await redeemInvitation(t.db.prisma, { ...hammer, code: "ZZZZZZZZ", now: second(start, i / 2) });
    expect(await redeemInvitation(t.db.prisma, { ...account(), code: "ZZZZZZZZ", now: second(start, 40) })).toEqual({ ok: false, reason: "invalid" });
    expect((await redeemInvitation(t.db.prisma, { ...account(), code: code("phanthiyen"), now: second(start, 41) })).ok).toBe(true);
  });

  it("never bothers an office linking 50 people in one session, each mistyping twice", async () => {
    const start = later(7 * 60);
    const expiresAt = later(30 * 24 * 60);
    const people = [];
    for (let i = 0; i < 50; i++) {
      const c = generateInvitationCode();
      await t.db.prisma.person.create({ data: { code: `lop${i}`, fullName: `Học viên ${i}`, invitations: { create: { code: c, expiresAt } } }, select: { id: true } });
      people.push(c);
    }
    // Fifty people in ten minutes, one every twelve seconds, two typos each before the right code.
    const outcomes: string[] = [];
    for (const [i, c] of people.entries()) {
      const who = account();
      const typo = `${c.slice(0, 7)}${c.endsWith("Z") ? "Y" : "Z"}`;
      for (const [k, typed] of [typo, typo, c].entries()) {
        const r = await redeemInvitation(t.db.prisma, { ...who, code: typed, now: second(start, i * 12 + k * 3) });
        outcomes.push(r.ok ? "ok" : r.reason);
      }
    }
    expect(outcomes.filter((o) => o === "ok")).toHaveLength(50);
    expect(outcomes.filter((o) => o !== "ok" && o !== "invalid")).toEqual([]);
  });
});
