// N officials file the shipped quarterly report at the same time, through
// the Telegram emulator, against PostgreSQL. Baseline in the same run: a bare
// grammY bot on the same emulator whose handler writes one row per update
// and replies. Latency is from the update's arrival at the emulator to the
// bot's last reply to it.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { Bot } from "grammy";
import { fixedClock } from "../../src/clock.ts";
import { loadImportFile } from "../../src/org/import-file.ts";
import { applyImport } from "../../src/org/import.ts";
import { openPeriod } from "../../src/reports/periods.ts";
import { createTestDb } from "../support/db.ts";
import { startTestApp } from "../support/app.ts";
import { telegramDriver } from "../support/channels.ts";
import { talk, SIGNED_PAGE_JPEG, type Action } from "../support/talk.ts";
import { startTelegramEmulator } from "../emulators/telegram.ts";

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

async function conversation(): Promise<{ answers: number; seconds: number; latencies: number[] }> {
  const t = await createTestDb();
  const file = loadImportFile(orgFile());
  if (!file.ok) throw new Error(file.problems.join("\n"));
  const imported = await applyImport(t.db.prisma, file.data, { now: NOW, ttlDays: 14 });
  const template = await t.db.prisma.template.findUniqueOrThrow({ where: { code: "CCHC-QUY" }, select: { id: true } });
  await openPeriod(t.db.prisma, { templateId: template.id, type: "QUARTERLY", year: 2026, number: 4 }, { now: NOW });
  const tg = await telegramDriver();
  const app = await startTestApp({ DATABASE_URL: t.url, ...tg.env() }, fixedClock(NOW));
  const send = talk(tg, () => app);
  const latencies: number[] = [];
  const codes = imported.invitations.map((i) => i.code);
  try {
    await Promise.all(codes.map((code, i) => send(1000 + i, `/start ${code}`).then(() => send(1000 + i, "/baocao")).then(() => send(1000 + i, { choose: REPORT }))));
    const start = performance.now();
    await Promise.all(
      codes.map(async (_, i) => {
        for (const action of script) {
          const t0 = performance.now();
          const replies = await send(1000 + i, action);
          latencies.push(performance.now() - t0);
          if (replies.some((r) => r.startsWith("⚠️"))) throw new Error(`official ${i}: answer refused: ${replies.join(" / ")}`);
        }
        const last = tg.replies(1000 + i).at(-2) ?? "";
        if (!last.includes("ĐÃ NHẬN BÁO CÁO")) throw new Error(`official ${i} did not get a receipt: ${last}`);
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    const submitted = await t.db.prisma.revision.count();
    if (submitted !== OFFICIALS) throw new Error(`expected ${OFFICIALS} submissions, got ${submitted}`);
    return { answers: OFFICIALS * script.length, seconds, latencies };
  } finally {
    await app.stop();
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
const sorted = [...conv.latencies].sort((a, b) => a - b);
const baseSorted = [...base.latencies].sort((a, b) => a - b);
const perS = conv.answers / conv.seconds;
const basePerS = base.answers / base.seconds;
console.log(`officials: ${OFFICIALS}, answers each: ${script.length}`);
console.log(`conversation: ${perS.toFixed(1)} answers/s, p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms`);
console.log(`baseline (bare grammY, one row per update): ${basePerS.toFixed(1)} updates/s, p50 ${percentile(baseSorted, 50).toFixed(1)} ms, p99 ${percentile(baseSorted, 99).toFixed(1)} ms`);
console.log(`ratio: ${(perS / basePerS).toFixed(3)}`);
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
  }),
);
process.exit(0);
