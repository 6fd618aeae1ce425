// The web console from a test: sign in with the link the bot sent in chat,
// then fetch pages with the session's cookie, as a browser would.
import { expect } from "vitest";
import type { Talk } from "./talk.ts";

/** The sign-in link in the bot's reply to /dangnhap. */
export function linkIn(replies: readonly string[]): string {
  const url = replies.join("\n").match(/https?:\/\/\S+\/console\/dangnhap\?t=[A-Za-z0-9_-]+/)?.[0];
  if (url === undefined) throw new Error(`no sign-in link in: ${replies.join(" | ")}`);
  return url;
}

export async function askLink(send: Talk, user: number): Promise<string> {
  return linkIn(await send(user, "/dangnhap"));
}

export interface ConsoleClient {
  base: string;
  cookie: string;
  csrf: string;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  /** A form post with the session's CSRF token (unless `_csrf` is given). */
  post(path: string, fields: Record<string, string>, headers?: Record<string, string>): Promise<Response>;
}

/** Opens the link as a person would: the confirmation page, then its button. */
export async function signIn(link: string): Promise<ConsoleClient> {
  const url = new URL(link);
  const base = url.origin;
  const confirm = await fetch(link);
  expect(confirm.status).toBe(200);
  const res = await fetch(`${base}/console/dangnhap`, { method: "POST", body: new URLSearchParams({ t: url.searchParams.get("t")! }), redirect: "manual" });
  expect(res.status).toBe(303);
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
  expect(cookie).toMatch(/^baocao_console=/);
  const board = await fetch(`${base}/console`, { headers: { cookie } });
  const csrf = (await board.text()).match(/name="_csrf" value="([^"]+)"/)?.[1];
  if (csrf === undefined) throw new Error("no CSRF token on the board");
  const client: ConsoleClient = {
    base,
    cookie,
    csrf,
    get: (path, headers = {}) => fetch(`${base}${path}`, { headers: { cookie, ...headers }, redirect: "manual" }),
    post: (path, fields, headers = {}) =>
      fetch(`${base}${path}`, { method: "POST", headers: { cookie, ...headers }, body: new URLSearchParams({ _csrf: csrf, ...fields }), redirect: "manual" }),
  };
  return client;
}
