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
