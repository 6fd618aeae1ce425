// Committee status and export at province scale: 3,500 units in a 3-level
// tree (province → 100 communes → 34 cells each), 3 templates, 8 periods of
// history each, about 5 answers per submission. Reports the /trangthai
// latency for the province and for one commune (the command called
// directly, median of a few runs), the /xuat time and memory for the
// province, each next to a plain count(*) over the submissions in the same run.
// The export's memory is the process's peak resident set while it runs: the
// kernel's high-water mark (VmHWM, reset when the export starts) where Linux
// gives one, so a peak between two samples is not missed; else sampled.
import { readFileSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { InboundMessage } from "../../src/channels/channel.ts";
import { statusCommand } from "../../src/committee/status.ts";
import { exportData } from "../../src/committee/export.ts";
import { committeeScope } from "../../src/committee/scope.ts";
import { buildWorkbook } from "../../src/exports/workbook.ts";
import { createTestDb } from "../support/db.ts";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogin, redeemLogin } from "../../src/console/sessions.ts";
import { mountConsole } from "../../src/http/console/app.ts";
import { createHttpServer } from "../../src/http/server.ts";
import { createFileStore } from "../../src/files/storage.ts";
import { buildCsvFiles } from "../../src/exports/csv.ts";
import { createLogger } from "../../src/logger.ts";

const COMMUNES = 100;
const CELLS = 34; // per commune, one fewer in the last: 1 + 100 + 3,399 = 3,500 units
const RUNS = 5;
const NOW = new Date("2026-12-18T03:00:00Z"); // 10:00 in Hà Nội

const form = {
  questions: [
    { name: "so_dang_vien", type: "integer", label: "Tổng số đảng viên", required: true },
    { name: "so_cuoc_hop", type: "integer", label: "Số cuộc họp", required: true },
    { name: "so_van_ban", type: "integer", label: "Số văn bản", required: true },
    { name: "ket_qua", type: "text", label: "Kết quả nổi bật", required: true },
    { name: "kien_nghi", type: "long_text", label: "Kiến nghị", required: false },
  ],
};

/** The console's board should render within this (issue 12). */
const BOARD_TARGET_MS = 500;

/** The export should peak below this (issue 11). */
const EXPORT_RSS_TARGET_MB = 250;

/** Resets the kernel's peak-RSS mark for this process; false where there is none (not Linux). */
function resetPeakRss(): boolean {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}

/** The peak RSS since the last reset, in bytes. */
function peakRss(): number {
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
  return kb === undefined ? 0 : Number(kb) * 1024;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const t = await createTestDb();
try {
  const prisma = t.db.prisma;
  const session = await t.db.session();
  const seedStart = performance.now();
  await session.exec(`
    INSERT INTO "Unit" (code, name, kind, "parentId", "updatedAt") VALUES ('TINH', 'Tỉnh ủy Thử Nghiệm', 'COMMITTEE', NULL, now());
    INSERT INTO "Unit" (code, name, kind, "parentId", "updatedAt")
      SELECT 'XA-' || c, 'Đảng ủy xã Số ' || c, 'COMMITTEE', (SELECT id FROM "Unit" WHERE code = 'TINH'), now()
      FROM generate_series(1, ${COMMUNES}) c;
    INSERT INTO "Unit" (code, name, kind, "parentId", "updatedAt")
      SELECT 'CB-' || c || '-' || k, 'Chi bộ ' || k || ' xã ' || c, 'PARTY_ORG', x.id, now()
      FROM generate_series(1, ${COMMUNES}) c JOIN "Unit" x ON x.code = 'XA-' || c
      CROSS JOIN generate_series(1, ${CELLS}) k
      WHERE NOT (c = ${COMMUNES} AND k = ${CELLS});
    INSERT INTO "UnitClosure" ("ancestorId", "descendantId", depth)
      SELECT id, id, 0 FROM "Unit"
      UNION ALL SELECT "parentId", id, 1 FROM "Unit" WHERE "parentId" IS NOT NULL
      UNION ALL SELECT p."parentId", u.id, 2 FROM "Unit" u JOIN "Unit" p ON p.id = u."parentId" WHERE p."parentId" IS NOT NULL;
    INSERT INTO "Person" (code, "fullName", "updatedAt") VALUES ('office', 'Văn phòng Tỉnh ủy', now()), ('reporter', 'Cán bộ báo cáo', now());
    INSERT INTO "Membership" ("personId", "unitId", role)
      SELECT p.id, u.id, 'OFFICE' FROM "Person" p, "Unit" u WHERE p.code = 'office' AND u.code = 'TINH';
    INSERT INTO "Template" (code, title, "periodType", "updatedAt") VALUES
      ('QUY', 'Báo cáo quý', 'QUARTERLY', now()), ('THANG', 'Báo cáo tháng', 'MONTHLY', now()), ('THANG-DT', 'Báo cáo tháng đoàn thể', 'MONTHLY', now());
    INSERT INTO "TemplateVersion" ("templateId", version, definition, checksum)
      SELECT id, 1, '${JSON.stringify(form)}'::jsonb, 'bench' FROM "Template";
    INSERT INTO "Period" (key, type, year, number, label, "windowStart", "windowEnd")
      SELECT 'QUARTERLY-' || y || '-' || q, 'QUARTERLY', y, q, 'Quý ' || q || '/' || y,
             (make_date(y, 3 * q, 15) - interval '3 months')::date, make_date(y, 3 * q, 14)
      FROM generate_series(2025, 2026) y, generate_series(1, 4) q;
    INSERT INTO "Period" (key, type, year, number, label, "windowStart", "windowEnd")
      SELECT 'MONTHLY-2026-' || lpad(m::text, 2, '0'), 'MONTHLY', 2026, m, 'Tháng ' || m || '/2026',
             (make_date(2026, m, 15) - interval '1 month')::date, make_date(2026, m, 14)
      FROM generate_series(5, 12) m;
    INSERT INTO "Assignment" ("unitId", "periodId", "templateId", "templateVersionId", "windowStart", "windowEnd", deadline, status,
                              "firstSubmittedAt", "lastSubmittedAt", "submittedLate", "updatedAt")
      SELECT u.id, p.id, t.id, v.id, p."windowStart", p."windowEnd", d.deadline,
             (CASE WHEN h < 85 THEN 'SUBMITTED' WHEN h < 90 THEN 'IN_PROGRESS' ELSE 'NOT_STARTED' END)::"AssignmentStatus",
             CASE WHEN h < 85 THEN d.deadline + (h - 75) * interval '1 day' END,
             CASE WHEN h < 85 THEN d.deadline + (h - 75) * interval '1 day' END,
             CASE WHEN h < 85 THEN h >= 75 END,
             now()
      FROM "Unit" u
      JOIN "Template" t ON true
      JOIN "TemplateVersion" v ON v."templateId" = t.id
      JOIN "Period" p ON p.type = t."periodType"
      CROSS JOIN LATERAL (SELECT (p."windowEnd" + interval '1 day' + interval '10 hours')::timestamptz AS deadline) d
      CROSS JOIN LATERAL (SELECT abs(hashtext(u.id || ':' || p.id || ':' || t.id)) % 100 AS h) r
      WHERE u.kind = 'PARTY_ORG' AND (p."windowStart" <= '2026-12-18' OR p.key = 'QUARTERLY-2026-4');
    INSERT INTO "Submission" ("assignmentId", reference, "updatedAt")
      SELECT id, 'BC-' || id, now() FROM "Assignment" WHERE status <> 'NOT_STARTED';
    INSERT INTO "Revision" ("submissionId", number, "templateVersionId", "submittedById", "submittedAt", late)
      SELECT s.id, 1, a."templateVersionId", (SELECT id FROM "Person" WHERE code = 'reporter'), a."firstSubmittedAt", a."submittedLate"
      FROM "Submission" s JOIN "Assignment" a ON a.id = s."assignmentId" WHERE a.status = 'SUBMITTED';
    INSERT INTO "RevisionAnswer" ("revisionId", path, "questionName", value, "numberValue", "textValue")
      SELECT r.id, q.name, q.name,
             CASE WHEN q.n <= 3 THEN to_jsonb((r.id + q.n) % 50) ELSE to_jsonb('Nội dung ' || r.id) END,
             CASE WHEN q.n <= 3 THEN (r.id + q.n) % 50 END,
             CASE WHEN q.n > 3 THEN 'Nội dung ' || r.id END
      FROM "Revision" r
      CROSS JOIN (VALUES (1, 'so_dang_vien'), (2, 'so_cuoc_hop'), (3, 'so_van_ban'), (4, 'ket_qua'), (5, 'kien_nghi')) q(n, name)
      WHERE q.n < 5 OR r.id % 2 = 0;
    ANALYZE;
  `);
  await session.release();
  const seedS = (performance.now() - seedStart) / 1000;
  const counts = await prisma.$queryRaw<{ units: number; assignments: number; submissions: number; answers: number }[]>`
    SELECT (SELECT count(*) FROM "Unit")::int AS units, (SELECT count(*) FROM "Assignment")::int AS assignments,
           (SELECT count(*) FROM "Submission")::int AS submissions, (SELECT count(*) FROM "RevisionAnswer")::int AS answers`;
  const c = counts[0]!;
  console.log(`seeded in ${seedS.toFixed(1)} s: ${c.units} units, ${c.assignments} assignments, ${c.submissions} submissions, ${c.answers} answers`);

  const office = await prisma.person.findUniqueOrThrow({ where: { code: "office" }, select: { id: true, fullName: true } });
  const message: InboundMessage = {
    platform: "SANDBOX",
    updateKey: "bench",
    chatId: "bench",
    chatType: "private",
    from: { id: "bench" },
    messageId: "1",
    date: NOW,
    content: { type: "text", text: "/trangthai" },
  };
  const status = (args: string) =>
    prisma.$transaction((tx) => statusCommand.run({ tx, person: { id: office.id, fullName: office.fullName }, args, now: NOW, message }));

  const countRuns: number[] = [];
  const provinceRuns: number[] = [];
  const communeRuns: number[] = [];
  let provinceText = "";
  await status(""); // warm-up: plans, connections
  for (let i = 0; i < RUNS; i++) {
    countRuns.push(await timed(() => prisma.$queryRaw`SELECT count(*) FROM "Submission"`));
    provinceRuns.push(await timed(async () => (provinceText = (await status(""))[0]?.text ?? "")));
    communeRuns.push(await timed(() => status("XA-42")));
  }
  const countMs = median(countRuns);
  const provinceMs = median(provinceRuns);
  const communeMs = median(communeRuns);
  console.log(`province reply: ${provinceText.length} characters, ${provinceText.split("\n").length} lines`);

  const scope = (await committeeScope(prisma, office.id))!;
  const kernelPeak = resetPeakRss();
  const startRss = process.memoryUsage().rss;
  let peak = startRss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const exportStart = performance.now();
  const data = await prisma.$transaction((tx) => exportData(tx, { roots: scope.unitIds, scopeTitle: "Tỉnh ủy" }, NOW), { timeout: 120_000 });
  const dataS = (performance.now() - exportStart) / 1000;
  const workbook = await buildWorkbook(data);
  const exportS = (performance.now() - exportStart) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss, kernelPeak ? peakRss() : 0);
  const rssMb = peak / 1024 / 1024;
  const startMb = startRss / 1024 / 1024;

  // After the export, whose peak memory is measured from a process that has not built a page yet.
  // The console's board for the province, as a browser asks for it: HTTP, session, SQL and HTML.
  const login = (await prisma.$transaction((tx) => createLogin(tx, office.id, NOW)))!;
  const signedIn = await redeemLogin(prisma, login.token, NOW, 3_600_000, undefined);
  if (!signedIn.ok) throw new Error(`no console session: ${signedIn.reason}`);
  const dataDir = await mkdtemp(join(tmpdir(), "baocao-bench-"));
  const logger = createLogger("silent");
  const server = createHttpServer({
    logger,
    routes: [],
    mount: mountConsole({
      prisma,
      now: () => NOW,
      sessionMs: 3_600_000,
      refreshSeconds: 30,
      exporters: { buildWorkbook, buildCsvFiles, renderChart: () => new Uint8Array() },
      maxUploadBytes: 1024 * 1024,
      inviteTtlDays: 14,
      files: createFileStore({ maxBytes: 1024 * 1024, store: { kind: "local" } }, dataDir),
      logger,
    }),
  });
  const { port } = await server.listen(0, "127.0.0.1");
  const board = async () => {
    const res = await fetch(`http://127.0.0.1:${port}/console`, { headers: { cookie: `baocao_console=${signedIn.session}` } });
    if (res.status !== 200) throw new Error(`board answered ${res.status}`);
    return res.text();
  };
  let boardHtml = await board(); // warm-up
  const boardRuns: number[] = [];
  for (let i = 0; i < RUNS; i++) boardRuns.push(await timed(async () => (boardHtml = await board())));
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
  const boardMs = median(boardRuns);
  const boardRows = (boardHtml.match(/<tr><th scope="row">/g) ?? []).length;


  console.log(`count(*) over ${c.submissions} submissions: ${countMs.toFixed(1)} ms (median of ${RUNS})`);
  console.log(`/trangthai province (${c.units} units): ${provinceMs.toFixed(1)} ms, ratio to count(*) ${(provinceMs / countMs).toFixed(1)}`);
  console.log(`/trangthai one commune: ${communeMs.toFixed(1)} ms, ratio to count(*) ${(communeMs / countMs).toFixed(1)}`);
  console.log(`console board, province (${boardRows} unit rows, ${(boardHtml.length / 1024).toFixed(0)} KB of HTML): ${boardMs.toFixed(1)} ms (median of ${RUNS}, target < ${BOARD_TARGET_MS} ms)`);
  console.log(
    `/xuat province: ${data.status.length} status rows, ${data.templates.reduce((s, x) => s + x.rows.length, 0)} answer rows; data ${dataS.toFixed(2)} s, with workbook ${exportS.toFixed(2)} s (${(workbook.byteLength / 1024 / 1024).toFixed(1)} MB), peak rss ${rssMb.toFixed(0)} MB ` +
      `(${kernelPeak ? "kernel high-water mark" : "sampled"}; ${startMb.toFixed(0)} MB when the export started, target < ${EXPORT_RSS_TARGET_MB} MB)`,
  );
  console.log(
    JSON.stringify({
      bench: "status",
      units: c.units,
      province_ms: Number(provinceMs.toFixed(1)),
      commune_ms: Number(communeMs.toFixed(1)),
      board_ms: Number(boardMs.toFixed(1)),
      board_rows: boardRows,
      board_kb: Math.round(boardHtml.length / 1024),
      board_target_ms: BOARD_TARGET_MS,
      export_s: Number(exportS.toFixed(2)),
      export_rss_mb: Math.round(rssMb),
      export_rss_start_mb: Math.round(startMb),
      export_rss_target_mb: EXPORT_RSS_TARGET_MB,
      count_ms: Number(countMs.toFixed(2)),
    }),
  );
} finally {
  await t.cleanup();
}
