// Routes of the local web chat. Only answered from the machine itself: the
// page lets anyone speak as any user, which must never face a network.
import { z } from "zod";
import type { UpdateSink } from "../channels/channel.ts";
import { sandboxUpdateFrom } from "../channels/sandbox/adapter.ts";
import type { Prisma } from "../db/database.ts";
import type { Clock } from "../clock.ts";
import { parseStoredMessage } from "../inbound/replies.ts";
import { vi } from "../texts/vi.ts";
import type { HttpRequest, HttpResponse, Route } from "./server.ts";
import { sandboxPage } from "./sandbox-page.ts";

const sendBody = z.object({
  chatId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  name: z.string().max(100).optional(),
  text: z.string().max(10_000).optional(),
  choice: z.string().max(64).optional(),
});

function isLocal(req: HttpRequest): boolean {
  const a = req.remoteAddress ?? "";
  // A reverse proxy on the same machine connects from loopback too: a
  // forwarded request came from outside, whatever its socket says.
  const proxied = req.headers["x-forwarded-for"] !== undefined || req.headers.forwarded !== undefined || req.headers["x-real-ip"] !== undefined;
  // The Host must name this machine too: a page elsewhere that rebinds its
  // own name to 127.0.0.1 would otherwise read the chat (DNS rebinding).
  const host = (req.headers.host ?? "").replace(/:\d+$/, "");
  const localHost = host === "127.0.0.1" || host === "localhost" || host === "[::1]";
  return !proxied && localHost && (a === "127.0.0.1" || a === "::1" || a === "::ffff:127.0.0.1");
}

/** A cross-site form can POST text/plain without asking; JSON needs the page's own script. */
function isJson(req: HttpRequest): boolean {
  return (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() === "application/json";
}

function localOnly(handle: (req: HttpRequest) => Promise<HttpResponse>) {
  return (req: HttpRequest) => (isLocal(req) ? handle(req) : Promise.resolve({ status: 403, json: { error: vi.sandbox.localOnly } }));
}

export function sandboxRoutes(deps: { prisma: Prisma; sink: UpdateSink; clock: Clock }): Route[] {
  return [
    {
      method: "GET",
      path: "/sandbox",
      handle: localOnly(() => Promise.resolve({ status: 200, html: sandboxPage() })),
    },
    {
      method: "POST",
      path: "/sandbox/api/send",
      handle: localOnly(async (req) => {
        if (!isJson(req)) return { status: 415, json: { error: "JSON only" } };
        const body = sendBody.safeParse(req.body);
        if (!body.success) return { status: 400, json: { error: "malformed message" } };
        await deps.sink("SANDBOX", [sandboxUpdateFrom(body.data, deps.clock.now())]);
        return { status: 202, json: { ok: true } };
      }),
    },
    {
      method: "GET",
      path: "/sandbox/api/messages",
      handle: localOnly(async (req) => {
        const chatId = req.query.get("chatId") ?? "";
        const after = Number(req.query.get("after") ?? "0");
        if (!/^[A-Za-z0-9_-]{1,64}$/.test(chatId) || !Number.isInteger(after)) return { status: 400, json: { error: "bad query" } };
        const rows = await deps.prisma.outboundMessage.findMany({
          where: { platform: "SANDBOX", chatId, status: "SENT", id: { gt: after } },
          orderBy: { id: "asc" },
          select: { id: true, payload: true },
          take: 100,
        });
        return {
          status: 200,
          json: rows.map((r) => {
            const m = parseStoredMessage(r.payload);
            return { id: r.id, text: m.text, choices: m.choices ?? [], file: m.file?.fileName };
          }),
        };
      }),
    },
  ];
}
