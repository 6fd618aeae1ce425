// Province scale: 3,500 units × 3 templates, and years of questions, must
// build without holding a workbook model in memory. Loose bounds: this guards against a regression to
// the in-memory writer, not a benchmark.
import { describe, expect, it } from "vitest";
import { buildWorkbook } from "../../src/exports/workbook.ts";
import type { CellValue, ExportData, QuestionColumn, QuestionRow, TemplateSheet } from "../../src/exports/types.ts";

const UNITS = 3_500;
const TEMPLATES = 3;
const QUESTIONS = 20;
/** Questions (chất vấn) of the province's committees over several years. */
const ASKED = 10_000;

function provinceExport(): ExportData {
  const units = Array.from({ length: UNITS }, (_, i) => ({ code: `DV-${i}`, name: `Chi bộ số ${i + 1} – Đảng ủy xã ${Math.floor(i / 12) + 1}` }));
  const columns: QuestionColumn[] = Array.from({ length: QUESTIONS }, (_, q) => ({
    key: `q${q}`,
    header: `Câu hỏi số ${q + 1} về công tác xây dựng Đảng`,
    type: (["number", "text", "date", "boolean"] as const)[q % 4]!,
  }));
  const value = (u: number, q: number): CellValue =>
    q % 4 === 0 ? u * 1.5 + q : q % 4 === 1 ? `Nội dung trả lời ${u}-${q}` : q % 4 === 2 ? new Date(Date.UTC(2026, 8, 1 + (u % 28))) : u % 2 === 0;
  const templates: TemplateSheet[] = Array.from({ length: TEMPLATES }, (_, t) => ({
    templateTitle: `Báo cáo chuyên đề số ${t + 1}`,
    periodLabel: "Quý III/2026",
    columns,
    rows: units.map((u, i) => ({ unitName: u.name, values: columns.map((_, q) => value(i, q)) })),
    repeats: [
      {
        title: `Văn bản ban hành (${t + 1})`,
        columns: columns.slice(0, 3),
        rows: units.flatMap((u, i) => [1, 2].map((entry) => ({ unitName: u.name, entry, values: [i, `Số ${entry}-NQ/CB`, new Date(Date.UTC(2026, 7, entry))] }))),
      },
    ],
  }));
  const questions: QuestionRow[] = Array.from({ length: ASKED }, (_, i) => ({
    reference: `CV-${2022 + (i % 5)}-${String(i).padStart(4, "0")}`,
    committee: `Đảng ủy xã ${(i % 290) + 1}`,
    askedAt: new Date(Date.UTC(2022 + (i % 5), i % 12, 1 + (i % 28))),
    askedBy: "Trần Thị An",
    enteredBy: i % 3 === 0 ? "Lê Văn Phòng" : null,
    kind: (["QUESTION", "PROPOSAL", "INFO_REQUEST"] as const)[i % 3]!,
    addressee: units[i % UNITS]!.name,
    conference: i % 2 === 0 ? "Hội nghị Ban Chấp hành lần thứ 5" : null,
    deadline: new Date(Date.UTC(2022 + (i % 5), i % 12, 15, 10)),
    state: (["open", "open_overdue", "answered", "closed"] as const)[i % 4]!,
    firstAnswerAt: i % 4 >= 2 ? new Date(Date.UTC(2022 + (i % 5), i % 12, 14, 3)) : null,
    answeredOnTime: i % 4 === 0 ? null : i % 4 !== 1,
    answers: i % 4 >= 2 ? 1 + (i % 3) : 0,
    verdict: i % 4 === 3 ? "SATISFIED" : null,
    verdictComment: i % 4 === 3 ? "Đồng ý với nội dung trả lời" : null,
    followUpOf: i % 10 === 0 && i > 0 ? `CV-${2022 + ((i - 1) % 5)}-${String(i - 1).padStart(4, "0")}` : null,
    text: `Đề nghị làm rõ nguyên nhân chậm triển khai nghị quyết số ${i}. `.repeat(8),
  }));
  return {
    title: "Toàn tỉnh",
    generatedAt: new Date("2026-09-20T03:00:00Z"),
    status: templates.flatMap((t) =>
      units.map((u, i) => ({
        group: `Đảng ủy xã ${Math.floor(i / 12) + 1}`,
        unitCode: u.code,
        unitName: u.name,
        templateTitle: t.templateTitle,
        periodLabel: t.periodLabel,
        deadline: new Date("2026-09-15T10:00:00Z"),
        state: "submitted_on_time" as const,
        submittedAt: new Date("2026-09-14T02:00:00Z"),
        submittedBy: "Nguyễn Văn An",
        revision: 1,
        reference: `BC-${i}`,
        daysLate: null,
      })),
    ),
    templates,
    questions,
  };
}

describe("province-scale workbook", () => {
  it("builds 3,500 units × 3 templates and 10,000 questions within memory and time bounds", async () => {
    const data = provinceExport();
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const started = Date.now();
    const xlsx = await buildWorkbook(data);
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    const ms = Date.now() - started;
    const deltaMb = (peak - before) / 1024 / 1024;
    expect(xlsx.subarray(0, 2).toString("latin1")).toBe("PK");
    expect(deltaMb, `rss grew ${Math.round(deltaMb)} MB`).toBeLessThan(400);
    expect(ms, `took ${ms} ms`).toBeLessThan(60_000);
  }, 120_000);
});
