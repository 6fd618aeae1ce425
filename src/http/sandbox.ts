// Routes of the local web chat and its JSON API. The page lets anyone speak
// as anyone, so it must never face a network: it is served only on a
// loopback listener, only to loopback peers that no proxy forwarded, and
// only with the key that `npm start` printed (a cookie for the page, the
// X-Sandbox-Key header for scripts). The key is what stops a reverse proxy
// on the same machine, which connects from loopback with any Host it likes.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { UpdateSink } from "../channels/channel.ts";
import { SANDBOX_CHAT_ID, sandboxUpdateFrom, type SandboxInput } from "../channels/sandbox/adapter.ts";
import { headerValue, secretMatches } from "../channels/shared/secret.ts";
import type { Prisma } from "../db/database.ts";
import { formatDueTime } from "../calendar/dates.ts";
import { detectConfidential, detectConfidentialFileName } from "../forms/confidential.ts";
import { clockPresets, type SandboxClock } from "../sandbox/clock.ts";
import { isEmpty, loadExample } from "../sandbox/example.ts";
import { looks, showEntry, type Look } from "../sandbox/looks.ts";
import { linkEveryone, listPeople, personChat, personOfChat } from "../sandbox/people.ts";
import type { Logger } from "../logger.ts";
import { UPLOAD_PREFIX, type Incoming, type Transcript } from "../sandbox/transcript.ts";
import type { FileStore } from "../files/storage.ts";
import { vi } from "../texts/vi.ts";
import type { HttpRequest, HttpResponse, Route } from "./server.ts";
import { sandboxPage } from "./sandbox-page.ts";

export const KEY_COOKIE = "baocao_sandbox";
/** In DATA_DIR: the key stays the same across restarts, so a bookmarked page keeps working. */
export const SANDBOX_KEY_FILE = "sandbox-key";
export const KEY_HEADER = "x-sandbox-key";

export interface SandboxDeps {
  prisma: Prisma;
  sink: UpdateSink;
  clock: SandboxClock;
  transcript: Transcript;
  /** Where uploads go (the attachments' store). */
  store: FileStore;
  key: string;
  /** Largest upload (MAX_FILE_MB). */
  maxFileBytes: number;
  inviteTtlDays: number;
  /** Runs what a clock jump makes due: periods opened, reminders planned and queued; null when reminders are off. */
  afterClockChange(): Promise<{ opened: number; queued: number } | null>;
  logger: Logger;
}

const target = { chat: z.string().regex(SANDBOX_CHAT_ID).optional(), as: z.string().min(1).max(64).optional() };
const sendBody = z
  .object({
    ...target,
    name: z.string().max(100).optional(),
    text: z.string().max(10_000).optional(),
    choice: z.string().min(1).max(64).optional(),
    /** The tapped button's label, for the history. */
    label: z.string().max(200).optional(),
  })
  .refine((b) => (b.text === undefined) !== (b.choice === undefined), "exactly one of text and choice");
const clockBody = z.object({ at: z.iso.datetime({ offset: true }).nullable() });

function isLocal(req: HttpRequest): boolean {
  const a = req.remoteAddress ?? "";
  // A reverse proxy that says so forwards someone else's request.
  const proxied = req.headers["x-forwarded-for"] !== undefined || req.headers.forwarded !== undefined || req.headers["x-real-ip"] !== undefined;
  // A page elsewhere that rebinds its own name to 127.0.0.1 (DNS rebinding)
  // has no key either; naming the Host is one more wall, not the only one.
  const host = (req.headers.host ?? "").replace(/:\d+$/, "");
  const localHost = host === "127.0.0.1" || host === "localhost" || host === "[::1]";
  return !proxied && localHost && (a === "127.0.0.1" || a === "::1" || a === "::ffff:127.0.0.1");
}

function cookie(req: HttpRequest, name: string): string | undefined {
  for (const part of (headerValue(req.headers, "cookie") ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return undefined;
}

const hasKey = (req: HttpRequest, key: string) => secretMatches(headerValue(req.headers, KEY_HEADER) ?? cookie(req, KEY_COOKIE), key);

/** A cross-site form can POST text/plain without asking; JSON needs the page's own script. */
function isJson(req: HttpRequest): boolean {
  return (headerValue(req.headers, "content-type") ?? "").split(";")[0]?.trim().toLowerCase() === "application/json";
}

const refused = (status: number, error: string): HttpResponse => ({ status, json: { error } });
const e = vi.sandbox.errors;

export function sandboxRoutes(deps: SandboxDeps): Route[] {
  const { prisma, transcript, clock } = deps;
  /** Every API call: from this machine, not through a proxy, with the key; checked before any body is read. */
  const admit = (req: HttpRequest): HttpResponse | null => {
    if (!isLocal(req)) return refused(403, vi.sandbox.localOnly);
    if (!hasKey(req, deps.key)) return refused(403, vi.sandbox.needKey);
    return null;
  };
  const api = (route: Omit<Route, "admit">): Route => ({ ...route, admit });

  /**
   * The chat a request speaks in: `chat`, or `as` (a person's code, whose own
   * sandbox chat it is). A person's chat ("p12") is only ever theirs: it
   * cannot be taken before the person is linked to it.
   */
  async function chatOf(input: { chat?: string | undefined; as?: string | undefined }): Promise<string | null> {
    if (input.as !== undefined) {
      const person = await prisma.person.findUnique({ where: { code: input.as }, select: { id: true, active: true } });
      if (!person?.active) return null;
      await linkEveryone(prisma, clock.now());
      return personChat(person.id);
    }
    const chat = input.chat;
    if (chat === undefined || !SANDBOX_CHAT_ID.test(chat)) return null;
    const personId = personOfChat(chat);
    if (personId !== null) {
      const own = await prisma.chatIdentity.findUnique({ where: { platform_externalId: { platform: "SANDBOX", externalId: chat } }, select: { personId: true } });
      if (own?.personId !== personId) return null;
    }
    return chat;
  }

  /** Keeps what the user did in the history, then hands it to the bot; a refused store leaves no trace. */
  async function deliver(chat: string, said: Incoming, input: () => SandboxInput): Promise<HttpResponse> {
    try {
      const entryId = await transcript.addIn(chat, said, clock.now());
      try {
        await deps.sink("SANDBOX", [sandboxUpdateFrom(input(), clock.now())]);
      } catch (err) {
        await transcript.remove(entryId).catch(() => undefined);
        throw err;
      }
      return { status: 202, json: { ok: true, chat, id: entryId } };
    } catch (err) {
      deps.logger.warn({ err: (err as Error).message }, "sandbox message not stored");
      return refused(503, e.notStored);
    }
  }

  /** No message of this chat waits to be handled, and none to be sent: a script knows the bot has answered. */
  async function isIdle(chat: string): Promise<boolean> {
    const pending = await prisma.inboundUpdate.count({ where: { chatKey: `SANDBOX:${chat}`, status: "PENDING" } });
    if (pending > 0) return false;
    return (await prisma.outboundMessage.count({ where: { platform: "SANDBOX", chatId: chat, status: { in: ["QUEUED", "SENDING"] } } })) === 0;
  }

  async function clockState() {
    const now = clock.now();
    return { now: now.toISOString(), when: formatDueTime(now), shifted: clock.offsetMs() !== 0, ...(await clockPresets(prisma, now)) };
  }

  return [
    {
      method: "GET",
      path: "/sandbox",
      handle(req) {
        if (!isLocal(req)) return Promise.resolve(refused(403, vi.sandbox.localOnly));
        const given = req.query.get("key");
        if (given !== null && secretMatches(given, deps.key)) {
          // The key moves into a cookie the page's requests carry, and out of the address bar.
          return Promise.resolve({
            status: 303,
            headers: { location: "/sandbox", "set-cookie": `${KEY_COOKIE}=${deps.key}; HttpOnly; SameSite=Strict; Path=/sandbox; Max-Age=31536000` },
          });
        }
        if (!hasKey(req, deps.key)) return Promise.resolve({ status: 403, html: sandboxPage({ locked: true }) });
        return Promise.resolve({ status: 200, html: sandboxPage({ locked: false, maxFileMb: Math.floor(deps.maxFileBytes / 1_048_576) }), headers: { "cache-control": "no-store" } });
      },
    },
    api({
      method: "GET",
      path: "/sandbox/api/state",
      handle: async () => ({ status: 200, json: { empty: await isEmpty(prisma), clock: await clockState() } }),
    }),
    api({
      method: "GET",
      path: "/sandbox/api/people",
      handle: async () => {
        await linkEveryone(prisma, clock.now());
        return { status: 200, json: { people: await listPeople(prisma, clock.now()) } };
      },
    }),
    api({
      method: "POST",
      path: "/sandbox/api/example",
      handle: async (req) => {
        if (!isJson(req)) return refused(415, e.jsonOnly);
        const r = await loadExample(prisma, clock.now(), deps.inviteTtlDays);
        if (!r.ok) return refused(409, vi.sandbox.example.notEmpty);
        return { status: 200, json: { ok: true, message: vi.sandbox.example.loaded(r.units, r.people) } };
      },
    }),
    api({
      method: "POST",
      path: "/sandbox/api/send",
      handle: async (req) => {
        if (!isJson(req)) return refused(415, e.jsonOnly);
        const body = sendBody.safeParse(req.body);
        if (!body.success) return refused(400, e.badMessage);
        const chat = await chatOf(body.data);
        if (chat === null) return refused(404, e.noChat);
        const { text, choice, label, name } = body.data;
        const said: Incoming =
          text !== undefined ? { text: detectConfidential(text) ? vi.sandbox.confidentialHidden : text } : { choice: choice ?? "", label: label ?? choice ?? "" };
        return deliver(chat, said, () => ({ chatId: chat, ...(name !== undefined && { name }), ...(text !== undefined ? { text } : { choice }) }));
      },
    }),
    api({
      method: "POST",
      path: "/sandbox/api/upload",
      body: "raw",
      maxBodyBytes: deps.maxFileBytes,
      handle: async (req) => {
        const type = (headerValue(req.headers, "content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
        // Not the types a cross-site form may send unasked; the bot checks the file's real type anyway.
        const formType = type === "text/plain" || type === "multipart/form-data" || type === "application/x-www-form-urlencoded";
        if (formType || !/^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/.test(type)) return refused(415, e.badUpload);
        const data = req.body instanceof Uint8Array ? req.body : new Uint8Array();
        if (data.byteLength === 0) return refused(400, e.emptyFile);
        // Control characters and path separators have no place in a file name.
        const name = (req.query.get("name") ?? "").replace(/[\p{Cc}/\\]/gu, "_").slice(0, 255) || "tep";
        const kind = req.query.get("kind") === "photo" || (req.query.get("kind") === null && type.startsWith("image/")) ? "photo" : "document";
        const chat = await chatOf({ chat: req.query.get("chat") ?? undefined, as: req.query.get("as") ?? undefined });
        if (chat === null) return refused(404, e.noChat);
        // A file named as confidential is refused by the bot before it is read: its bytes are not kept.
        const storageKey = `${UPLOAD_PREFIX}${randomUUID()}`;
        if (!detectConfidentialFileName(name)) await deps.store.put(storageKey, data, { mimeType: type });
        const r = await deliver(chat, { file: { name, kind, mimeType: type, size: data.byteLength, storageKey } }, () => ({
          chatId: chat,
          file: { storageKey, kind, fileName: name, mimeType: type, sizeBytes: data.byteLength },
        }));
        if (r.status !== 202) await deps.store.delete(storageKey).catch(() => undefined);
        return r;
      },
    }),
    api({
      method: "GET",
      path: "/sandbox/api/messages",
      handle: async (req) => {
        const chat = await chatOf({ chat: req.query.get("chat") ?? undefined, as: req.query.get("as") ?? undefined });
        const after = Number(req.query.get("after") ?? "0");
        const look = (req.query.get("look") ?? "telegram") as Look;
        if (chat === null) return refused(404, e.noChat);
        if (!Number.isInteger(after) || !looks.includes(look)) return refused(400, e.badQuery);
        const origin = `http://${req.headers.host ?? "127.0.0.1"}`;
        // Read before the entries: when nothing was on its way then, everything sent is among them.
        const idle = await isIdle(chat);
        const entries = (await transcript.list(chat, after)).map((e) => showEntry(e, look, (id) => `${origin}/sandbox/api/files/${id}`));
        return { status: 200, json: { chat, idle, entries, latest: await transcript.latest(), now: clock.now().toISOString() } };
      },
    }),
    api({
      method: "GET",
      path: "/sandbox/api/files/",
      prefix: true,
      handle: async (req) => {
        const id = Number(req.path.slice("/sandbox/api/files/".length));
        const file = Number.isInteger(id) && id > 0 ? await transcript.file(id) : null;
        if (!file) return refused(404, e.noFile);
        // Pictures show in the page; anything else is a download, never rendered here.
        const inline = /^image\/(png|jpeg|gif|webp)$/.test(file.mimeType);
        return {
          status: 200,
          body: file.data,
          headers: {
            "content-type": inline ? file.mimeType : "application/octet-stream",
            "content-disposition": `${inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(file.name)}`,
            "x-content-type-options": "nosniff",
            "content-security-policy": "sandbox",
          },
        };
      },
    }),
    api({
      method: "GET",
      path: "/sandbox/api/clock",
      handle: async () => ({ status: 200, json: await clockState() }),
    }),
    api({
      method: "POST",
      path: "/sandbox/api/clock",
      handle: async (req) => {
        if (!isJson(req)) return refused(415, e.jsonOnly);
        const body = clockBody.safeParse(req.body);
        if (!body.success) return refused(400, vi.sandbox.clock.badTime);
        await clock.set(body.data.at === null ? null : new Date(body.data.at));
        const r = await deps.afterClockChange();
        const state = await clockState();
        const message = r ? vi.sandbox.clock.moved(state.when, r.opened, r.queued) : e.remindersOff;
        return { status: 200, json: { ...state, opened: r?.opened ?? 0, queued: r?.queued ?? 0, message } };
      },
    }),
  ];
}
