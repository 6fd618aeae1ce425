// The console's walls, tried from outside with plain HTTP: nothing without
// a session, sign-in links that work once and for ten minutes only, CSRF on
// every form, a subtree's member kept out of other subtrees, bull-board for
// the office only, and /dangxuat in chat ending every session.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.ts";
import { fixedClock } from "../../src/clock.ts";
import { vi as texts } from "../../src/texts/vi.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { telegramDriver, type ChannelDriver } from "../support/channels.ts";
import { talk, type Talk } from "../support/talk.ts";
import { askLink, linkIn, signIn, type ConsoleClient } from "../support/console.ts";
import { importExample } from "../support/example-org.ts";
import { tmpdir } from "node:os";
import { request } from "node:http";
import { createLogger } from "../../src/logger.ts";
import { createHttpServer } from "../../src/http/server.ts";
import { mountConsole, type ConsoleDeps } from "../../src/http/console/app.ts";
import { Queue } from "bullmq";
import { connectRedis } from "../../jobs/redis.ts";
import { startTestApp, testQueuePrefix, testRedisUrl } from "../support/app.ts";
import { createFileStore } from "../../src/files/storage.ts";

// Tuesday 1 December 2026, 10:00 in Hà Nội.
const NOW = new Date("2026-12-01T03:00:00Z");
const users = { mai: 45, khoa: 46, lan: 11 };

let t: TestDb;
let channel: ChannelDriver;
let app: App;
let send: Talk;
const clock = fixedClock(NOW);
let base: string;
let unitIds: Map<string, number>;

beforeAll(async () => {
  t = await createTestDb();
  const codes = await importExample(t.db.prisma, NOW, ["quarterly"]);
  unitIds = new Map((await t.db.prisma.unit.findMany({ select: { id: true, code: true } })).map((u) => [u.code, u.id]));
  // Đỗ Thị Lan reports for her chi bộ; here she also sits on its committee: her scope is that subtree only.
  const lan = await t.db.prisma.person.findUniqueOrThrow({ where: { code: "dothilan" }, select: { id: true, memberships: { select: { unitId: true } } } });
  await t.db.prisma.membership.create({ data: { personId: lan.id, unitId: lan.memberships[0]!.unitId, role: "COMMITTEE_MEMBER" } });
  channel = await telegramDriver();
  app = await startTestApp({ DATABASE_URL: t.url, ...channel.env() }, clock);
  base = `http://127.0.0.1:${app.http!.port}`;
  send = talk(channel, () => app);
  for (const [user, person] of [[users.mai, "lethimai"], [users.khoa, "trinhvankhoa"], [users.lan, "dothilan"]] as const) {
    expect((await send(user, `/start ${codes.get(person)}`))[0]).toContain("liên kết thành công");
  }
}, 120_000);

afterAll(async () => {
  await app.stop();
  await channel.close();
  await t.cleanup();
});

describe("the web console's walls", () => {
  it("shows no page and takes no form without a session, and says how to sign in", async () => {
    const unit = unitIds.get("DU-XA-TAN-PHONG")!;
    for (const path of ["/console", `/console/donvi/${unit}`, "/console/xuat?dinhdang=xlsx", "/console/nhap", "/console/ngaynghi", "/console/caidat", "/console/hangdoi", "/console/hangdoi/api/queues"]) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(401);
      expect(await res.text(), path).toContain("/dangnhap");
    }
    expect((await fetch(`${base}/console/nhac`, { method: "POST", body: new URLSearchParams({ donvi: "tatca" }) })).status).toBe(401);
    // A forged cookie is no session either.
    expect((await fetch(`${base}/console`, { headers: { cookie: `baocao_console=${"A".repeat(43)}` } })).status).toBe(401);
  });

  it("sends a link only to the committee's people, in a private chat", async () => {
    const reporter = await send(91, "/dangnhap");
    // A stranger is not linked: the bot says how to link, and sends no link.
    expect(reporter.join("\n")).not.toContain("/console/dangnhap?t=");
    const link = await askLink(send, users.mai);
    expect(link.startsWith(`${base}/console/dangnhap?t=`)).toBe(true);
    // The English alias too, as every command has one.
    expect(linkIn(await send(users.mai, "/login"))).not.toBe(link);
  });

  it("takes a link once, and not after ten minutes", async () => {
    const link = await askLink(send, users.mai);
    const token = new URL(link).searchParams.get("t")!;
    // Opening the link (or a chat app's preview of it) signs nobody in: it asks first.
    const first = await fetch(link);
    expect(first.status).toBe(200);
    expect(first.headers.get("set-cookie")).toBeNull();
    expect(await first.text()).toContain(texts.console.signIn.button);
    const client = await signIn(link).catch(() => null);
    expect(client).not.toBeNull();
    const again = await fetch(`${base}/console/dangnhap`, { method: "POST", body: new URLSearchParams({ t: token }), redirect: "manual" });
    expect(again.status).toBe(410);
    expect(again.headers.get("set-cookie")).toBeNull();
    expect(await again.text()).toContain(texts.console.signIn.refused.used);
    expect((await fetch(link)).status).toBe(410);

    const late = await askLink(send, users.mai);
    clock.advance(10 * 60_000 + 1_000);
    try {
      const res = await fetch(`${base}/console/dangnhap`, { method: "POST", body: new URLSearchParams({ t: new URL(late).searchParams.get("t")! }), redirect: "manual" });
      expect(res.status).toBe(410);
      expect(await res.text()).toContain(texts.console.signIn.refused.expired);
    } finally {
      clock.set(NOW);
    }
    const unknown = await fetch(`${base}/console/dangnhap`, { method: "POST", body: new URLSearchParams({ t: "x".repeat(43) }), redirect: "manual" });
    expect(unknown.status).toBe(400);
  });

  it("sets an HTTP-only, SameSite=Strict session cookie for the console only", async () => {
    const link = await askLink(send, users.mai);
    await fetch(link);
    const res = await fetch(`${base}/console/dangnhap`, { method: "POST", body: new URLSearchParams({ t: new URL(link).searchParams.get("t")! }), redirect: "manual" });
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/console/i);
    expect(cookie).toMatch(/Max-Age=43200/i);
  });

  it("refuses a form without the session's CSRF token, or from another site", async () => {
    const office = await signIn(await askLink(send, users.mai));
    const missing = await fetch(`${base}/console/nhac`, { method: "POST", headers: { cookie: office.cookie }, body: new URLSearchParams({ donvi: "tatca" }) });
    expect(missing.status).toBe(403);
    expect(await missing.text()).toContain(texts.console.errors.csrf);
    expect((await office.post("/console/nhac", { donvi: "tatca", _csrf: "y".repeat(43) })).status).toBe(403);
    expect((await office.post("/console/nhac", { donvi: "tatca" }, { origin: "https://evil.example" })).status).toBe(403);
    // Another session's token is no good either.
    const other = await signIn(await askLink(send, users.khoa));
    expect((await office.post("/console/nhac", { donvi: "tatca", _csrf: other.csrf })).status).toBe(403);
    const ok = await office.post("/console/nhac", { donvi: "tatca" });
    expect(ok.status).toBe(200);
    const audit = await t.db.prisma.auditLog.count({ where: { action: "committee.nhac" } });
    expect(audit).toBe(1);
  });

  it("keeps a subtree's member out of other subtrees, as chat does", async () => {
    const lan: ConsoleClient = await signIn(await askLink(send, users.lan));
    const own = (await t.db.prisma.membership.findFirstOrThrow({ where: { person: { code: "dothilan" }, role: "COMMITTEE_MEMBER" }, select: { unitId: true } })).unitId;
    expect((await lan.get(`/console/donvi/${own}`)).status).toBe(200);
    const other = unitIds.get("UBND-XA")!;
    const refused = await lan.get(`/console/donvi/${other}`);
    expect(refused.status).toBe(404);
    expect(await refused.text()).toContain(texts.console.errors.unitNotFound);
    expect((await lan.get(`/console?donvi=${other}`)).status).toBe(404);
    expect((await lan.get(`/console/xuat?donvi=${other}&dinhdang=csv`)).status).toBe(404);
    const board = await (await lan.get("/console")).text();
    expect(board).not.toContain("UBND xã");
    const refusals = await t.db.prisma.auditLog.count({ where: { action: "console.refused", entityId: String(other) } });
    expect(refusals).toBe(3);
    // Organisation-wide pages are the top office's.
    for (const path of ["/console/nhap", "/console/ngaynghi", "/console/caidat", "/console/hangdoi"]) expect((await lan.get(path)).status, path).toBe(403);
  });

  it("opens bull-board to the office and refuses it to a committee member", async () => {
    const member = await signIn(await askLink(send, users.khoa));
    expect((await member.get("/console/hangdoi")).status).toBe(403);
    expect((await member.get("/console/hangdoi/api/queues")).status).toBe(403);
    const office = await signIn(await askLink(send, users.mai));
    const res = await office.get("/console/hangdoi");
    expect(res.status).toBe(200);
    const api = await office.get("/console/hangdoi/api/queues?activeQueue=&status=latest&page=1&jobsPerPage=10");
    expect(api.status).toBe(200);
    const body = (await api.json()) as { queues: { name: string; readOnlyMode: boolean }[] };
    expect(body.queues.length).toBeGreaterThan(0);
    expect(body.queues.every((q) => q.readOnlyMode)).toBe(true);
    // A retry from another site is refused before bull-board sees it (which would refuse it too: read-only).
    const name = encodeURIComponent(body.queues[0]!.name);
    const foreign = await fetch(`${base}/console/hangdoi/api/queues/${name}/retry/failed`, { method: "PUT", headers: { cookie: office.cookie, origin: "https://evil.example" } });
    expect(foreign.status).toBe(403);
  });

  it("signs out on every device with /dangxuat in chat", async () => {
    const a = await signIn(await askLink(send, users.khoa));
    const b = await signIn(await askLink(send, users.khoa));
    expect((await a.get("/console")).status).toBe(200);
    const replies = await send(users.khoa, "/dangxuat");
    expect(replies.join("\n")).toContain("Đã đăng xuất");
    expect((await a.get("/console")).status).toBe(401);
    expect((await b.get("/console")).status).toBe(401);
    // And this browser alone, from the page.
    const c = await signIn(await askLink(send, users.khoa));
    expect((await c.post("/console/dangxuat", {})).status).toBe(200);
    expect((await c.get("/console")).status).toBe(401);
    expect(linkIn(await send(users.khoa, "/dangnhap"))).toContain("/console/dangnhap?t=");
  });
});

describe("the console behind a reverse proxy, and its edges", () => {
  it("answers a mistyped console address with the console's own page, not the API's JSON", async () => {
    const office = await signIn(await askLink(send, users.mai));
    const res = await office.get("/console/khong-co-trang-nay");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain(texts.console.errors.notFound);
  });

  it("reads no stranger's upload: no session is refused before the body is read", async () => {
    // A body that has not ended: only a refusal before reading it can answer.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${base}/console/nhap/thu`, { method: "POST", headers: { "content-type": "multipart/form-data; boundary=x", "transfer-encoding": "chunked" } }, (res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
        req.destroy();
      });
      req.on("error", (err) => (req.destroyed ? undefined : reject(err)));
      req.write("--x\r\n");
    });
    expect(status).toBe(401);
  });

  /** The console alone on a listener of its own, on this file's database. */
  async function bareConsole(extra: Partial<ConsoleDeps>) {
    const logger = createLogger("silent");
    const server = createHttpServer({
      logger,
      routes: [],
      mount: mountConsole({
        prisma: t.db.prisma,
        now: () => clock.now(),
        sessionMs: 3_600_000,
        refreshSeconds: 30,
        exporters: { buildWorkbook: () => Promise.resolve(new Uint8Array()), buildCsvFiles: () => [], renderChart: () => new Uint8Array() },
        maxUploadBytes: 1024 * 1024,
        inviteTtlDays: 14,
        files: createFileStore({ maxBytes: 1024 * 1024, store: { kind: "local" } }, tmpdir()),
        logger,
        ...extra,
      }),
    });
    const { port } = await server.listen(0, "127.0.0.1");
    return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
  }

  it("takes forms from PUBLIC_URL's origin when the proxy passes its own Host, and still refuses other sites", async () => {
    const bare = await bareConsole({ publicUrl: "https://baocao.example.vn" });
    try {
      const token = (l: string) => new URL(l).searchParams.get("t")!;
      const post = (l: string, origin: string) =>
        fetch(`${bare.url}/console/dangnhap`, { method: "POST", headers: { origin }, body: new URLSearchParams({ t: token(l) }), redirect: "manual" });
      expect((await post(await askLink(send, users.mai), "https://evil.example")).status).toBe(403);
      const res = await post(await askLink(send, users.mai), "https://baocao.example.vn");
      expect(res.status).toBe(303);
      expect(res.headers.get("set-cookie")).toMatch(/Secure/i);
    } finally {
      await bare.close();
    }
  });

  it("with CONSOLE_QUEUE_RETRIES=on lets the office retry jobs, audited, and nothing else", async () => {
    const redis = await connectRedis(testRedisUrl);
    const queue = new Queue("console-retries", { connection: redis, prefix: testQueuePrefix() });
    const bare = await bareConsole({ queues: { queues: () => [queue], allowRetries: true } });
    try {
      const link = new URL(await askLink(send, users.mai));
      const signedIn = await fetch(`${bare.url}/console/dangnhap`, { method: "POST", body: new URLSearchParams({ t: link.searchParams.get("t")! }), redirect: "manual" });
      const cookie = (signedIn.headers.get("set-cookie") ?? "").split(";")[0]!;
      const put = (path: string) => fetch(`${bare.url}/console/hangdoi/api/queues/console-retries${path}`, { method: "PUT", headers: { cookie } });
      expect((await put("/retry/failed")).status).toBe(200);
      expect(await t.db.prisma.auditLog.count({ where: { action: "console.queue-retry" } })).toBe(1);
      for (const path of ["/empty", "/obliterate", "/clean/completed", "/pause"]) expect((await put(path)).status, path).toBe(403);
      expect(await t.db.prisma.auditLog.count({ where: { action: "console.queue-retry" } })).toBe(1);
    } finally {
      await bare.close();
      await queue.obliterate({ force: true });
      await queue.close();
      redis.disconnect();
    }
  });
});
