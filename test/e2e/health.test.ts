// GET /healthz is 200 only while both the database and Redis answer (and
// Redis holds the job schedulers: see test/jobs/schedulers.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import type { App } from "../../src/app.ts";
import { adminUrl, createTestDb, type TestDb } from "../support/db.ts";
import { startOwnRedis, type OwnRedis } from "../support/redis-server.ts";
import { startTestApp } from "../support/app.ts";

let t: TestDb;
let redis: OwnRedis;
let app: App;
let dropped = false;

const health = async () => {
  const r = await fetch(`http://127.0.0.1:${app.http!.port}/healthz`);
  return { status: r.status, body: (await r.json()) as Record<string, string> };
};

beforeAll(async () => {
  t = await createTestDb();
  redis = await startOwnRedis();
  app = await startTestApp({ DATABASE_URL: t.url, REDIS_URL: redis.url });
});

afterAll(async () => {
  await app.stop();
  await redis.stop();
  if (!dropped) await t.cleanup();
});

describe("/healthz", () => {
  it("is ok while the database and the queue answer", async () => {
    expect(await health()).toEqual({ status: 200, body: { status: "ok", database: "ok", queue: "ok", schedulers: "ok" } });
  });

  it("is 503 naming the database when the database is gone", async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE ${t.name} WITH (FORCE)`);
    await admin.end();
    dropped = true;
    expect(await health()).toEqual({ status: 503, body: { status: "down", database: "down", queue: "ok", schedulers: "ok" } });
  });

  it("is 503 naming the queue when Redis is gone", async () => {
    await redis.stop();
    expect(await health()).toEqual({ status: 503, body: { status: "down", database: "down", queue: "down", schedulers: "down" } });
  });
});
