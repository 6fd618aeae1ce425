// The app as `npm start` runs it, measuring itself when the parent asks:
// after forced collections, so only what is kept counts.
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { systemClock } from "../../src/clock.ts";
import { startApp } from "../../src/app.ts";

export interface Measure {
  rssMb: number;
  heapMb: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined || process.send === undefined) throw new Error("run with --expose-gc, as a forked child");
const send = process.send.bind(process);

// Logs at info, as in production: each refused body writes a warning line (to /dev/null here).
const app = await startApp(loadConfig(process.env), { logger: createLogger("info"), clock: systemClock });
process.on("message", (m: "measure" | "stop") => {
  if (m === "stop") {
    void app.stop().then(() => process.exit(0));
    return;
  }
  for (let i = 0; i < 3; i++) gc();
  const mb = (n: number) => Math.round((n / 1048576) * 10) / 10;
  const { rss, heapUsed } = process.memoryUsage();
  send({ rssMb: mb(rss), heapMb: mb(heapUsed) } satisfies Measure);
});
send({ port: app.http?.port });
