// /dangnhap (/login) and /dangxuat (/logout): the console's sign-in link,
// sent only in a private chat and only to the committee's people (the
// committee guard refuses the others), and sign-out on every device.
import type { CommitteeCommand } from "../committee/registry.ts";
import { committeeCommand } from "../committee/guard.ts";
import { vi } from "../texts/vi.ts";
import { createLogin, endAllSessions, LOGIN_TTL_MS } from "./sessions.ts";

export const LOGIN_PATH = "/console/dangnhap";

export interface ConsoleCommandDeps {
  /** The console's public base address (no trailing slash), or null when none is known to this process. */
  baseUrl(): string | null;
}

export function consoleCommands(deps: ConsoleCommandDeps): CommitteeCommand[] {
  const t = vi.console.commands;
  const login = committeeCommand(["dangnhap", "login"], async (ctx) => {
    // A group would hand the link to everyone in it.
    if (ctx.message?.chatType === "group") return [{ text: t.privateOnly }];
    const base = deps.baseUrl();
    if (base === null) return [{ text: t.noAddress }];
    const made = await createLogin(ctx.tx, ctx.person.id, ctx.now);
    if (!made) return [{ text: vi.committee.refused }];
    return [{ text: t.link(`${base}${LOGIN_PATH}?t=${made.token}`, LOGIN_TTL_MS / 60_000) }];
  });
  const logout = committeeCommand(["dangxuat", "logout"], async (ctx) => [{ text: t.signedOut(await endAllSessions(ctx.tx, ctx.person.id, ctx.now)) }]);
  return [login, logout];
}
