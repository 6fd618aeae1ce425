// The web console (/console), served by the http role. Sign-in is a
// one-time link from chat; the session is an HTTP-only, SameSite=Strict
// cookie; every form carries the session's CSRF token; every page checks
// the person's committee scope through the domain, as chat does.
import { getCookie, setCookie, deleteCookie } from "hono/cookie";
import { bodyLimit } from "hono/body-limit";
import { Hono, type Context, type MiddlewareHandler } from "hono";
import type { HttpBindings } from "@hono/node-server";
import type { Prisma } from "../../db/database.ts";
import type { Logger } from "../../logger.ts";
import type { Exporters } from "../../committee/files.ts";
import type { FileStore } from "../../files/storage.ts";
import { audit, checkLogin, csrfMatches, endSession, loadSession, redeemLogin, type Session } from "../../console/sessions.ts";
import { isOrgAdmin } from "../../console/admin.ts";
import { vi } from "../../texts/vi.ts";
import type { HttpApp } from "../server.ts";
import { h, notice, page, SCRIPT, STYLE, type Html } from "./html.ts";
import { registerBoard } from "./board.ts";
import { registerUnit } from "./unit.ts";
import { registerAdmin } from "./admin.ts";
import { registerQueues, type QueueBoardDeps } from "./queues.ts";

export const SESSION_COOKIE = "baocao_console";
export const CONSOLE_PATH = "/console";

export interface ConsoleDeps {
  prisma: Prisma;
  now(): Date;
  /** How long a session lasts (CONSOLE_SESSION_HOURS). */
  sessionMs: number;
  /** How often the board refreshes itself (CONSOLE_REFRESH_SECONDS). */
  refreshSeconds: number;
  /** PUBLIC_URL: the origin forms must come from behind a reverse proxy (its https makes the cookie Secure). Unset: the request's Host. */
  publicUrl?: string;
  exporters: Exporters;
  /** Largest upload (organisation or holiday file). */
  maxUploadBytes: number;
  /** Days a new invitation stays valid, for people an upload adds. */
  inviteTtlDays: number;
  queues?: QueueBoardDeps;
  /**
   * Runs after the organisation, the holidays or the settings change: opens
   * what is due (a new unit gets its current reports) and plans the reminders
   * again, now rather than at the next day's opening. None with REMINDERS=off.
   */
  afterChange?: () => Promise<unknown>;
  /** Where report attachments are kept. */
  files: FileStore;
  logger: Logger;
}

export type ConsoleEnv = { Bindings: HttpBindings; Variables: { session: Session; admin: boolean } };
export type ConsoleApp = Hono<ConsoleEnv>;
export type ConsoleContext = Context<ConsoleEnv>;

export function mountConsole(deps: ConsoleDeps): (app: HttpApp) => void {
  const t = vi.console;
  const app: ConsoleApp = new Hono();

  app.use(async (c, next) => {
    await next();
    c.res.headers.set("cache-control", "no-store");
    // same-origin, not no-referrer: with no-referrer a browser posts forms with "Origin: null".
    c.res.headers.set("referrer-policy", "same-origin");
    c.res.headers.set("x-content-type-options", "nosniff");
    c.res.headers.set("x-frame-options", "DENY");
    if (!c.req.path.startsWith(`${CONSOLE_PATH}/hangdoi`)) {
      c.res.headers.set("content-security-policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    }
  });

  app.get("/static/app.css", (c) => c.body(STYLE, 200, { "content-type": "text/css; charset=utf-8" }));
  app.get("/static/app.js", (c) => c.body(SCRIPT, 200, { "content-type": "text/javascript; charset=utf-8" }));

  // ── sign-in: a GET that only asks (link previews must not use the link), a POST that signs in ──
  app.get("/dangnhap", async (c) => {
    const token = c.req.query("t") ?? "";
    if (token === "") return c.html(page({ title: t.signIn.title, body: signInHelp() }), 401);
    const check = await checkLogin(deps.prisma, token, deps.now());
    if (!check.ok) return c.html(page({ title: t.signIn.title, body: refusedLink(check.reason) }), check.reason === "unknown" ? 400 : 410);
    return c.html(
      page({
        title: t.signIn.title,
        body: h`<h1>${t.signIn.title}</h1><p>${t.signIn.confirm(check.fullName)}</p>
          <form method="post" action="${CONSOLE_PATH}/dangnhap"><input type="hidden" name="t" value="${token}"><button type="submit">${t.signIn.button}</button></form>`,
      }),
    );
  });
  app.post("/dangnhap", bodyLimit({ maxSize: 16 * 1024, onError: tooLarge }), async (c) => {
    if (!originOk(c, deps.publicUrl)) return refusedForm(c);
    const form = await c.req.parseBody();
    const token = typeof form.t === "string" ? form.t : "";
    const r = await redeemLogin(deps.prisma, token, deps.now(), deps.sessionMs, c.req.header("user-agent"));
    if (!r.ok) return c.html(page({ title: t.signIn.title, body: refusedLink(r.reason) }), r.reason === "unknown" ? 400 : r.reason === "no-role" ? 403 : 410);
    // Max-Age, not Expires: the browser's clock need not agree with ours (the sandbox moves its clock); the row's expiry is what counts.
    setCookie(c, SESSION_COOKIE, r.session, { path: CONSOLE_PATH, httpOnly: true, secure: deps.publicUrl?.startsWith("https:") ?? false, sameSite: "Strict", maxAge: Math.floor(deps.sessionMs / 1000) });
    return c.redirect(CONSOLE_PATH, 303);
  });

  // ── everything else needs a session ──
  app.use(async (c, next) => {
    const session = await loadSession(deps.prisma, getCookie(c, SESSION_COOKIE), deps.now());
    if (!session) {
      deleteCookie(c, SESSION_COOKIE, { path: CONSOLE_PATH });
      return c.html(page({ title: t.signIn.title, body: signInHelp() }), 401);
    }
    c.set("session", session);
    c.set("admin", await isOrgAdmin(deps.prisma, session.person.id));
    return next();
  });
  // After the session check: without a content-length the limit reads the body first, and a stranger's upload must not be read at all.
  app.use(bodyLimit({ maxSize: deps.maxUploadBytes + 64 * 1024, onError: tooLarge }));
  // Forms must come from our own pages: same origin, and the session's CSRF token.
  // Every method that changes something: bull-board retries with PUT and cleans with DELETE.
  app.use(async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    if (!originOk(c, deps.publicUrl)) return refusedForm(c);
    // bull-board's own API calls send no form; the origin check and SameSite=Strict cover them.
    if (c.req.path.startsWith(`${CONSOLE_PATH}/hangdoi/`)) return next();
    const given = c.req.header("x-csrf-token") ?? (await formField(c, "_csrf"));
    if (!csrfMatches(c.get("session"), given)) return refusedForm(c);
    return next();
  });

  // Organisation-wide pages: the top office only.
  for (const path of ADMIN_PATHS) {
    app.use(path, adminOnly);
    app.use(`${path}/*`, adminOnly);
  }

  app.post("/dangxuat", async (c) => {
    await endSession(deps.prisma, c.get("session"), deps.now());
    deleteCookie(c, SESSION_COOKIE, { path: CONSOLE_PATH });
    return c.html(page({ title: t.signIn.signedOutTitle, body: h`<h1>${t.signIn.signedOutTitle}</h1><p>${t.signIn.signedOut}</p>` }));
  });

  registerBoard(app, deps);
  registerUnit(app, deps);
  registerAdmin(app, deps);
  if (deps.queues) registerQueues(app, deps.queues, (c) => audit(deps.prisma, c.get("session").person.id, "console.queue-retry", deps.now(), { path: c.req.path }));

  // A mounted app's notFound is not used by its parent: the last route catches the rest.
  app.all("*", (c) => c.html(page({ title: t.errors.notFoundTitle, body: h`<h1>${t.errors.notFoundTitle}</h1><p>${t.errors.notFound}</p><p><a href="${CONSOLE_PATH}">${t.errors.back}</a></p>` }), 404));
  app.onError((err, c) => {
    deps.logger.error({ err: err.message, path: c.req.path }, "console page failed");
    return c.html(page({ title: t.errors.title, body: notice("error", [t.errors.internal]) }), 500);
  });

  return (root) => {
    root.route(CONSOLE_PATH, app);
  };
}

/** Pages that change what the whole organisation shares. */
export const ADMIN_PATHS = ["/nhap", "/ngaynghi", "/caidat", "/hangdoi"] as const;

const adminOnly: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
  if (c.get("admin")) return next();
  const e = vi.console.errors;
  const s = c.get("session");
  return c.html(page({ title: e.title, who: { fullName: s.person.fullName, csrf: s.csrf, admin: false }, body: h`<h1>${e.title}</h1>${notice("error", [e.forbidden])}<p><a href="${CONSOLE_PATH}">${e.back}</a></p>` }), 403);
};

function signInHelp(): Html {
  const t = vi.console.signIn;
  return h`<h1>${t.title}</h1><p>${t.howTo}</p><p class="muted">${t.howToNote}</p>`;
}

function refusedLink(reason: "unknown" | "used" | "expired" | "no-role"): Html {
  const t = vi.console.signIn;
  return h`<h1>${t.title}</h1>${notice("error", [t.refused[reason]])}<p>${t.howTo}</p>`;
}

function tooLarge(c: Context): Response {
  return c.html(page({ title: vi.console.errors.title, body: notice("error", [vi.console.errors.tooLarge]) }), 413);
}

/**
 * A browser always sends Origin on a cross-site POST; when it is there it
 * must be ours: PUBLIC_URL's origin behind a reverse proxy (which may pass
 * its own Host upstream), else the Host asked for.
 */
function originOk(c: Context, publicUrl: string | undefined): boolean {
  const origin = c.req.header("origin");
  if (origin === undefined) return true;
  try {
    const given = new URL(origin);
    if (publicUrl !== undefined && given.origin === new URL(publicUrl).origin) return true;
    return given.host === c.req.header("host");
  } catch {
    return false;
  }
}

/** The page for a form refused by the origin or CSRF check. */
const refusedForm = (c: Context) => c.html(page({ title: vi.console.errors.title, body: notice("error", [vi.console.errors.csrf]) }), 403);

/** One field of a posted form (urlencoded or multipart); Hono keeps the parsed body for the handler. */
async function formField(c: ConsoleContext, name: string): Promise<string | undefined> {
  const type = c.req.header("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) return undefined;
  const form = await c.req.parseBody({ all: true });
  const v = form[name];
  return typeof v === "string" ? v : undefined;
}
