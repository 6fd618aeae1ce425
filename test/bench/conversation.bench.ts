// N officials file the shipped quarterly report at the same time, through
// the Telegram emulator, against PostgreSQL. Baseline in the same run: a bare
// grammY bot on the same emulator whose handler writes one row per update
// and replies. Latency is from the update's arrival at the emulator to the
// bot's last reply to it.
import { spawn, type ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { Bot } from "grammy";
import { fixedClock } from "../../src/clock.ts";
import { loadImportFile } from "../../src/org/import-file.ts";
import { applyImport } from "../../src/org/import.ts";
import { openPeriod } from "../../src/reports/periods.ts";
import { createTestDb } from "../support/db.ts";
import { startTestApp, testQueuePrefix, testRedisUrl } from "../support/app.ts";
import { telegramDriver } from "../support/channels.ts";
import { SIGNED_PAGE_JPEG, type Action } from "../support/talk.ts";
import type { ChannelDriver } from "../support/channels.ts";
import type { App } from "../../src/app.ts";
import { startTelegramEmulator } from "../emulators/telegram.ts";
import { profiled } from "./profile.ts";

const OFFICIALS = Number(process.env.BENCH_OFFICIALS ?? 20);
const NOW = new Date("2026-12-01T03:00:00Z");
const REPORT = "Báo cáo cải cách hành chính (quý) – Quý IV/2026";

// One full pass through the quarterly form, as in the end-to-end test.
const script: Action[] = [
  { say: "3" }, { say: "1" }, { say: "1.000" },
  { say: "05-NQ/ĐU" }, { choose: "Loại khác" }, { say: "Thông tri" }, { say: "Về tăng cường cải cách hành chính" }, { say: "15/9/2026" }, { say: "Đã quán triệt" },
  { choose: "Có" },
  { say: "12-KH/CB" }, { choose: "Kế hoạch" }, { say: "Kế hoạch số hóa văn bản" }, { say: "01/10/2026" }, { say: "Đang thực hiện" },
  { choose: "Không" },
  { say: "4" }, { say: "2" }, { say: "0" }, { say: "Quy trình chuyển sinh hoạt đảng" }, { say: "1, 5" }, { say: "/boqua" },
  { say: "2" }, { choose: "Có" }, { say: "20/11/2026" },
  { choose: "Có" }, { say: "3" }, { say: "85,5" }, { say: "Đường giao thông nông thôn xuống cấp, đã kiến nghị sửa chữa" },
  { choose: "Thường xuyên (sổ tay đảng viên điện tử, họp trực tuyến)" }, { say: "Thiếu máy tính cho chi bộ thôn" }, { say: "/boqua" }, { choose: "Hoàn thành tốt" },
  { photo: SIGNED_PAGE_JPEG },
  { choose: "Gửi báo cáo" },
];

/** Resolves at the next "handled and replied" of a chat, whichever process handles it. */
type Handled = (chatKey: string) => { done: Promise<void>; off: () => void };

function handledIn(app: App): Handled {
  const processor = app.processor;
  if (!processor) throw new Error("the app runs no processor");
  return (chatKey) => {
    let off: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      off = processor.onHandled((key) => {
        if (key === chatKey) resolve();
      });
    });
    return { done, off };
  };
}

/**
 * Sends one action and waits for the processor's "handled and replied"
 * event for that chat, as the baseline waits on the emulator. The tests'
 * talk() also polls the database to prove the order of things; here that
 * would add its own queries and CPU to the bot's figures.
 */
async function answer(channel: ChannelDriver, handled: Handled, user: number, action: Action): Promise<string[]> {
  const before = channel.replies(user).length;
  const wait = handled(`${channel.platform}:${user}`);
  try {
    if ("say" in action) channel.say(user, action.say);
    else if ("choose" in action) channel.choose(user, action.choose);
    else channel.sendPhoto(user, action.photo);
    await wait.done;
  } finally {
    wait.off();
  }
  return channel.replies(user).slice(before);
}

/** Processor processes (`--role=processor`) on the bench's database and clock; they print a line per handled update. */
async function startProcessors(n: number, env: Record<string, string>): Promise<{ handled: Handled; stop(): Promise<void> }> {
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const children = await Promise.all(
    Array.from({ length: n }, () => {
      // With this process's node flags (run.ts gives npm start's), tsx among them.
      const flags = process.execArgv.includes("tsx") ? process.execArgv : [...process.execArgv, "--import", "tsx"];
      const child = spawn(process.execPath, [...flags, "test/support/app-child.ts"], {
        env: {
          PATH: process.env.PATH,
          ...env,
          ROLES: "processor",
          HTTP_HOST: "127.0.0.1",
          HTTP_PORT: "0",
          SANDBOX: "off",
          REMINDERS: "off",
          TEST_NOW: NOW.toISOString(),
          // As in production (inbound/processor.ts defaults).
          TEST_LEASE_MS: "7000",
          TEST_IDLE_MS: "500",
          TEST_REPORT_HANDLED: "1",
        },
        stdio: ["ignore", "pipe", "inherit"],
      });
      return new Promise<ChildProcess>((resolve, reject) => {
        createInterface({ input: child.stdout }).on("line", (line) => {
          if (line.startsWith("READY")) resolve(child);
          if (line.startsWith("HANDLED ")) events.emit(line.slice(8));
        });
        child.once("exit", (code) => reject(new Error(`a processor exited early with ${code}`)));
      });
    }),
  );
  return {
    handled: (chatKey) => {
      let off: () => void = () => undefined;
      const done = new Promise<void>((resolve) => {
        const on = () => resolve();
        events.once(chatKey, on);
        off = () => events.off(chatKey, on);
      });
      return { done, off };
    },
    async stop() {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              c.once("exit", () => resolve());
              c.kill("SIGTERM");
            }),
        ),
      );
    },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function orgFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "baocao-bench-"));
  const units = Array.from({ length: OFFICIALS }, (_, i) => `      - { code: CB-${i}, name: Chi bộ số ${i + 1}, kind: PARTY_ORG }`).join("\n");
  const people = Array.from({ length: OFFICIALS }, (_, i) => `  - { code: cb${i}, name: Cán bộ ${i + 1}, roles: [{ unit: CB-${i}, role: REPORTER }] }`).join("\n");
  const yaml = `units:
  - code: DU-XA
    name: Đảng ủy xã
    kind: COMMITTEE
    children:
${units}
people:
${people}
templates:
  - code: CCHC-QUY
    title: Báo cáo cải cách hành chính (quý)
    period: QUARTERLY
    units: { under: DU-XA, kinds: [PARTY_ORG] }
    form_file: ${resolve(import.meta.dirname, "../../examples/forms/cchc-quy.yaml")}
`;
  const path = join(dir, "org.yaml");
  writeFileSync(path, yaml);
  return path;
}

/**
 * The officials file the report. `processors`: 0 runs every role in this
 * process; n runs the poller here and n processor processes beside it.
 */
async function conversation(processors = 0): Promise<{ answers: number; seconds: number; latencies: number[]; queries: number }> {
  const t = await createTestDb();
  const file = loadImportFile(orgFile());
  if (!file.ok) throw new Error(file.problems.join("\n"));
  const imported = await applyImport(t.db.prisma, file.data, { now: NOW, ttlDays: 14 });
  const template = await t.db.prisma.template.findUniqueOrThrow({ where: { code: "CCHC-QUY" }, select: { id: true } });
  await openPeriod(t.db.prisma, { templateId: template.id, type: "QUARTERLY", year: 2026, number: 4 }, { now: NOW });
  const tg = await telegramDriver();
  const env = { DATABASE_URL: t.url, REDIS_URL: testRedisUrl, QUEUE_PREFIX: testQueuePrefix(), ...tg.env() };
  const split = processors > 0 ? await startProcessors(processors, env) : undefined;
  // Polling as in production: the tests' 50 ms would add queries of their own.
  const app = await startTestApp({ ...env, ...(split ? { ROLES: "poller" } : {}) }, fixedClock(NOW), { processor: { idleMs: 500 } });
  const handled = split?.handled ?? handledIn(app);
  const latencies: number[] = [];
  const codes = imported.invitations.map((i) => i.code);
  try {
    const say = (user: number, text: string) => answer(tg, handled, user, { say: text });
    await Promise.all(codes.map((code, i) => say(1000 + i, `/start ${code}`).then(() => say(1000 + i, "/baocao")).then(() => answer(tg, handled, 1000 + i, { choose: REPORT }))));
    const start = performance.now();
    const queriesBefore = app.db.queryCount();
    await profiled(processors > 0 ? "conversation-split" : "conversation", () =>
      Promise.all(
        codes.map(async (_, i) => {
          for (const action of script) {
            const t0 = performance.now();
            const replies = await answer(tg, handled, 1000 + i, action);
            latencies.push(performance.now() - t0);
            if (replies.some((r) => r.startsWith("⚠️"))) throw new Error(`official ${i}: answer refused: ${replies.join(" / ")}`);
          }
          const last = tg.replies(1000 + i).at(-2) ?? "";
          if (!last.includes("ĐÃ NHẬN BÁO CÁO")) throw new Error(`official ${i} did not get a receipt: ${last}`);
        }),
      ),
    );
    const seconds = (performance.now() - start) / 1000;
    // Everything this process sent meanwhile, idle polls included (split: the poller's only).
    const queries = app.db.queryCount() - queriesBefore;
    const submitted = await t.db.prisma.revision.count();
    if (submitted !== OFFICIALS) throw new Error(`expected ${OFFICIALS} submissions, got ${submitted}`);
    return { answers: OFFICIALS * script.length, seconds, latencies, queries };
  } finally {
    await app.stop();
    await split?.stop();
    await tg.close();
    await t.cleanup();
  }
}

async function baseline(): Promise<{ answers: number; seconds: number; latencies: number[] }> {
  const t = await createTestDb();
  const emulator = await startTelegramEmulator();
  const bot = new Bot(emulator.token, { client: { apiRoot: emulator.apiRoot } });
  let n = 0;
  bot.on("message:text", async (ctx) => {
    await t.db.prisma.inboundUpdate.create({
      data: { platform: "TELEGRAM", updateKey: String(ctx.update.update_id), chatKey: `TELEGRAM:${ctx.chat.id}`, payload: { text: ctx.message.text }, status: "DONE" },
      select: { id: true },
    });
    await ctx.reply(`ok ${++n}`);
  });
  void bot.start({ timeout: 1 });
  const latencies: number[] = [];
  try {
    const start = performance.now();
    await Promise.all(
      Array.from({ length: OFFICIALS }, async (_, i) => {
        const chat = 2000 + i;
        for (let k = 0; k < script.length; k++) {
          const t0 = performance.now();
          emulator.userSends(chat, `tin ${k}`);
          await emulator.waitFor((c) => c.chat_id === String(chat) && emulator.messagesTo(chat).length > k, 30_000);
          latencies.push(performance.now() - t0);
        }
      }),
    );
    return { answers: OFFICIALS * script.length, seconds: (performance.now() - start) / 1000, latencies };
  } finally {
    await bot.stop();
    await emulator.close();
    await t.cleanup();
  }
}

const base = await baseline();
const conv = await conversation();
// Scale-out: the same run with the processor role in two processes beside the poller.
const split = process.env.BENCH_SPLIT === "0" ? undefined : await conversation(2);
const sorted = [...conv.latencies].sort((a, b) => a - b);
const baseSorted = [...base.latencies].sort((a, b) => a - b);
const perS = conv.answers / conv.seconds;
const basePerS = base.answers / base.seconds;
const perAnswer = conv.queries / conv.answers;
const p99Ratio = percentile(sorted, 99) / percentile(baseSorted, 99);
console.log(`officials: ${OFFICIALS}, answers each: ${script.length}`);
console.log(`conversation: ${perS.toFixed(1)} answers/s, p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms`);
console.log(`baseline (bare grammY, one row per update): ${basePerS.toFixed(1)} updates/s, p50 ${percentile(baseSorted, 50).toFixed(1)} ms, p99 ${percentile(baseSorted, 99).toFixed(1)} ms`);
console.log(`ratio: ${(perS / basePerS).toFixed(3)} (target >= 0.5); p99 ${p99Ratio.toFixed(2)}x the baseline's (target <= 1.5)`);
console.log(`queries per answer (at the driver): ${perAnswer.toFixed(1)} (target <= 6)`);
const splitFigures: Record<string, number> = {};
if (split) {
  const splitSorted = [...split.latencies].sort((a, b) => a - b);
  const splitPerS = split.answers / split.seconds;
  console.log(`split (poller + 2 processor processes): ${splitPerS.toFixed(1)} answers/s, p50 ${percentile(splitSorted, 50).toFixed(1)} ms, p99 ${percentile(splitSorted, 99).toFixed(1)} ms; ratio ${(splitPerS / basePerS).toFixed(3)}`);
  splitFigures.split_answers_per_s = Number(splitPerS.toFixed(1));
  splitFigures.split_ratio = Number((splitPerS / basePerS).toFixed(3));
  splitFigures.split_p50_ms = Number(percentile(splitSorted, 50).toFixed(1));
  splitFigures.split_p99_ms = Number(percentile(splitSorted, 99).toFixed(1));
}
console.log(
  JSON.stringify({
    bench: "conversation",
    officials: OFFICIALS,
    answers_per_s: Number(perS.toFixed(1)),
    baseline_per_s: Number(basePerS.toFixed(1)),
    ratio: Number((perS / basePerS).toFixed(3)),
    p50_ms: Number(percentile(sorted, 50).toFixed(1)),
    p99_ms: Number(percentile(sorted, 99).toFixed(1)),
    baseline_p50_ms: Number(percentile(baseSorted, 50).toFixed(1)),
    baseline_p99_ms: Number(percentile(baseSorted, 99).toFixed(1)),
    p99_vs_baseline: Number(p99Ratio.toFixed(2)),
    queries_per_answer: Number(perAnswer.toFixed(1)),
    ...splitFigures,
  }),
);
process.exit(0);
