// The HTTP server's routing and bodies: exact paths as before, plus path
// prefixes, binary bodies and HEAD for GET routes.
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.ts";
import { createHttpServer, type HttpServer, type Route } from "../../src/http/server.ts";

let server: HttpServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(routes: Route[]): Promise<string> {
  server = createHttpServer({ logger: createLogger("silent"), routes });
  const { port } = await server.listen(0, "127.0.0.1");
  return `http://127.0.0.1:${port}`;
}

const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x0d, 0x0a]);

const routes: Route[] = [
  { method: "GET", path: "/healthz", handle: () => Promise.resolve({ status: 200, json: { status: "ok" } }) },
  { method: "POST", path: "/echo", handle: (req) => Promise.resolve({ status: 200, json: { got: req.body } }) },
  {
    method: "GET",
    path: "/f/",
    prefix: true,
    handle: (req) => Promise.resolve({ status: 200, body: bytes, headers: { "content-type": "image/png", "x-rest": req.path.slice(3) } }),
  },
];

describe("http server", () => {
  it("matches exact paths exactly, as before", async () => {
    const base = await start(routes);
    const ok = await fetch(`${base}/healthz`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await ok.json()).toEqual({ status: "ok" });
    expect((await fetch(`${base}/healthz/extra`)).status).toBe(404);
    expect((await fetch(`${base}/health`)).status).toBe(404);
    const echo = await fetch(`${base}/echo`, { method: "POST", body: JSON.stringify({ a: "Tân Phong" }) });
    expect(await echo.json()).toEqual({ got: { a: "Tân Phong" } });
    expect((await fetch(`${base}/echo`)).status).toBe(404);
    const bad = await fetch(`${base}/echo`, { method: "POST", body: "{" });
    expect(bad.status).toBe(400);
  });

  it("serves binary bodies byte for byte on a path prefix", async () => {
    const base = await start(routes);
    const res = await fetch(`${base}/f/abc.def/name.png`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("content-length")).toBe(String(bytes.length));
    expect(res.headers.get("x-rest")).toBe("abc.def/name.png");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
    // The prefix itself must be followed by something to match "/f/"; "/f" is another path.
    expect((await fetch(`${base}/f`)).status).toBe(404);
    expect((await fetch(`${base}/f/`, { method: "POST" })).status).toBe(404);
  });

  it("answers HEAD on GET routes with headers only", async () => {
    const base = await start(routes);
    const res = await fetch(`${base}/f/x`, { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBe(String(bytes.length));
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });
});
