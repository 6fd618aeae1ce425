// An HTTP proxy in front of a platform emulator that can withhold the
// platform's answers: requests still reach the platform (the message is
// delivered) but the bot never hears back. A process killed then dies in the
// worst place for duplicates: after the platform accepted, before the bot
// recorded it. It can also drop the connection right after the platform
// answered: a reset after the request was written, which the bot cannot tell
// from one before.
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CallLog, readBody } from "../emulators/common.ts";

export interface HoldProxy {
  /** Base URL to use instead of the emulator's. */
  url: string;
  /** From now on, answers are withheld (the requests still go through); only to requests whose path matches, if given. */
  hold(match?: (path: string) => boolean): void;
  /**
   * Resolves once `n` answers are being withheld; with `by`, `n` different
   * ones by that key of the request's body (e.g. one per chat).
   */
  waitHeld(n: number, timeoutMs?: number, by?: (requestBody: string) => string): Promise<void>;
  /** Answers the withheld requests and stops holding. */
  release(): void;
  /** The next `n` requests reach the platform, then their connection is reset instead of answered. */
  resetNext(n?: number): void;
  close(): Promise<void>;
}

export async function startHoldProxy(target: string): Promise<HoldProxy> {
  const upstream = new URL(target);
  let holding: ((path: string) => boolean) | undefined;
  let resets = 0;
  const held: { res: ServerResponse; status: number; body: Buffer; type: string; request: string }[] = [];
  const heldLog = new CallLog<number>();
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const type = req.headers["content-type"];
      const r = await fetch(new URL(req.url ?? "/", upstream), {
        method: req.method ?? "GET",
        headers: type ? { "content-type": type } : {},
        ...(body.length > 0 ? { body } : {}),
      });
      const answer = { res, status: r.status, body: Buffer.from(await r.arrayBuffer()), type: r.headers.get("content-type") ?? "application/json", request: body.toString("utf8") };
      if (resets > 0) {
        resets -= 1;
        res.destroy();
        return;
      }
      if (holding?.(req.url ?? "/") === true) {
        held.push(answer);
        heldLog.push(held.length);
        return;
      }
      res.writeHead(answer.status, { "content-type": answer.type }).end(answer.body);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hold: (match = () => true) => {
      holding = match;
    },
    waitHeld: async (n, timeoutMs = 10_000, by) => {
      // Counts the answers withheld now: the log also holds those of earlier holds, since released.
      const count = () => (by ? new Set(held.map((h) => by(h.request))).size : held.length);
      await heldLog.waitFor(() => count() >= n, timeoutMs, `${n} withheld answers`);
    },
    resetNext(n = 1) {
      resets += n;
    },
    release() {
      holding = undefined;
      for (const a of held.splice(0)) {
        if (!a.res.destroyed) a.res.writeHead(a.status, { "content-type": a.type }).end(a.body);
      }
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
