// Sign-in links and sessions in the domain, on real PostgreSQL: who may have
// one, a link used once even by two browsers at the same moment, sessions
// that end with time, with a lost role or with /dangxuat, and the sweep.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogin, endAllSessions, loadSession, pruneConsole, redeemLogin, tokenHash } from "../../src/console/sessions.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { importExample } from "../support/example-org.ts";

const NOW = new Date("2026-12-01T03:00:00Z");
const HOUR = 3_600_000;
let t: TestDb;
const ids = new Map<string, number>();

beforeAll(async () => {
  t = await createTestDb();
  await importExample(t.db.prisma, NOW);
  for (const p of await t.db.prisma.person.findMany({ select: { id: true, code: true } })) ids.set(p.code, p.id);
});
afterAll(async () => {
  await t.cleanup();
});

const link = (code: string, at = NOW) => t.db.prisma.$transaction((tx) => createLogin(tx, ids.get(code)!, at));

describe("console sign-in", () => {
  it("gives links only to the committee's people, and keeps only their hash", async () => {
    expect(await link("dangthihoa")).toBeNull();
    const made = await link("lethimai");
    expect(made).not.toBeNull();
    const row = await t.db.prisma.consoleLogin.findUniqueOrThrow({ where: { tokenHash: tokenHash(made!.token) }, select: { expiresAt: true } });
    expect(row.expiresAt).toEqual(new Date(NOW.getTime() + 10 * 60_000));
    expect(await t.db.prisma.consoleLogin.count({ where: { tokenHash: made!.token } })).toBe(0);
  });

  it("signs in one browser of two that use the same link at the same moment", async () => {
    const made = (await link("trinhvankhoa"))!;
    const results = await Promise.all([0, 1, 2].map(() => redeemLogin(t.db.prisma, made.token, NOW, 12 * HOUR, "test")));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.flatMap((r) => (r.ok ? [] : [r.reason]))).toEqual(["used", "used"]);
  });

  it("ends a session with time, with a lost role and with /dangxuat", async () => {
    const khoa = ids.get("trinhvankhoa")!;
    const made = (await link("trinhvankhoa"))!;
    const r = await redeemLogin(t.db.prisma, made.token, NOW, 12 * HOUR, undefined);
    if (!r.ok) throw new Error(r.reason);
    expect((await loadSession(t.db.prisma, r.session, NOW))?.person.id).toBe(khoa);
    expect(await loadSession(t.db.prisma, r.session, new Date(NOW.getTime() + 12 * HOUR))).toBeNull();

    const role = await t.db.prisma.membership.findFirstOrThrow({ where: { personId: khoa, role: "COMMITTEE_MEMBER" }, select: { id: true, unitId: true } });
    await t.db.prisma.membership.delete({ where: { id: role.id } });
    expect(await loadSession(t.db.prisma, r.session, NOW)).toBeNull();
    await t.db.prisma.membership.create({ data: { personId: khoa, unitId: role.unitId, role: "COMMITTEE_MEMBER" } });
    expect(await loadSession(t.db.prisma, r.session, NOW)).not.toBeNull();

    const unused = (await link("trinhvankhoa"))!;
    await t.db.prisma.$transaction((tx) => endAllSessions(tx, khoa, NOW));
    expect(await loadSession(t.db.prisma, r.session, NOW)).toBeNull();
    // A link asked for before /dangxuat no longer signs in either.
    expect(await redeemLogin(t.db.prisma, unused.token, NOW, 12 * HOUR, undefined)).toMatchObject({ ok: false });
  });

  it("sweeps links and sessions that ended more than a day ago, and nothing else", async () => {
    const fresh = (await link("nguyenthihuong"))!;
    const later = new Date(NOW.getTime() + 37 * HOUR);
    const live = (await link("nguyenthihuong", later))!;
    const pruned = await pruneConsole(t.db.prisma, later);
    expect(pruned).toBeGreaterThan(0);
    expect(await t.db.prisma.consoleLogin.count({ where: { tokenHash: tokenHash(fresh.token) } })).toBe(0);
    expect(await t.db.prisma.consoleLogin.count({ where: { tokenHash: tokenHash(live.token) } })).toBe(1);
    expect(await t.db.prisma.consoleSession.count()).toBe(0);
  });
});
