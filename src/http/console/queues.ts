// bull-board at /console/hangdoi, behind the console's sign-in and for the
// top office only (app.ts). Loaded on first use: most processes never open it.
// Read-only unless CONSOLE_QUEUE_RETRIES=on; bull-board enforces that on its
// own API as well as in its page.
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type { Queue } from "bullmq";
import { Hono } from "hono";
import type { ConsoleApp, ConsoleContext } from "./app.ts";

export const QUEUES_PATH = "/console/hangdoi";

export interface QueueBoardDeps {
  /** Made on first use: bull-board is loaded only when the office opens it. */
  queues(): Queue[];
  /** CONSOLE_QUEUE_RETRIES: the office may retry, clean and pause jobs; otherwise the board only shows them. */
  allowRetries: boolean;
}

async function build(deps: QueueBoardDeps): Promise<Hono> {
  const [{ createBullBoard }, { BullMQAdapter }, { HonoAdapter }, { serveStatic }] = await Promise.all([
    import("@bull-board/api"),
    import("@bull-board/api/bullMQAdapter"),
    import("@bull-board/hono"),
    import("@hono/node-server/serve-static"),
  ]);
  const adapter = new HonoAdapter(serveStatic).setBasePath(QUEUES_PATH);
  createBullBoard({
    queues: deps.queues().map((q) => new BullMQAdapter(q, { readOnlyMode: !deps.allowRetries, allowRetries: deps.allowRetries })),
    serverAdapter: adapter,
    // bull-board serves its page and assets from its ui package.
    options: { uiBasePath: dirname(createRequire(import.meta.url).resolve("@bull-board/ui/package.json")), uiConfig: { boardTitle: "baocao" } },
  });
  const app = new Hono();
  app.route(QUEUES_PATH, adapter.registerPlugin());
  return app;
}

/** The writes CONSOLE_QUEUE_RETRIES allows: retrying one job, or every job of a state. */
const RETRY = new RegExp(`^${QUEUES_PATH}/api/queues/[^/]+/(?:retry/[^/]+|[^/]+/retry)$`);

/** `written` records each allowed write in the audit log. */
export function registerQueues(app: ConsoleApp, deps: QueueBoardDeps, written: (c: ConsoleContext) => Promise<void>): void {
  let board: Promise<Hono> | undefined;
  const serve = async (c: ConsoleContext) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      // bull-board's own read-only mode refuses writes too; with retries on, it would allow
      // every write (empty, obliterate, edit a job): only retries pass here.
      if (!deps.allowRetries || c.req.method !== "PUT" || !RETRY.test(c.req.path)) return c.json({ error: "read-only" }, 403);
      await written(c);
    }
    board ??= build(deps).catch((err: unknown) => {
      board = undefined;
      throw err;
    });
    return (await board).fetch(c.req.raw, c.env);
  };
  app.all("/hangdoi", serve);
  app.all("/hangdoi/*", serve);
}
