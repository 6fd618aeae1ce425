import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { buildWorkbook } from "../../src/exports/workbook.ts";
import { createSheetNamer, MAX_SHEET_NAME } from "../../src/exports/sheet-names.ts";
import type { ExportData } from "../../src/exports/types.ts";
import { sample } from "./fixtures.ts";

async function readBack(data: ExportData): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  // exceljs's typings declare their own Buffer (an ArrayBuffer); Node's Buffer is what it reads.
  await wb.xlsx.load((await buildWorkbook(data)) as unknown as ArrayBuffer);
  return wb;
}

function sheet(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}; have ${wb.worksheets.map((w) => w.name).join(", ")}`);
  return ws;
}

function headers(ws: ExcelJS.Worksheet): unknown[] {
  return (ws.getRow(1).values as unknown[]).slice(1);
}

/** The UTC fields of a cell's Date: exceljs reads Excel's zone-less serials as UTC. */
function utc(value: unknown): string {
  expect(value).toBeInstanceOf(Date);
  return (value as Date).toISOString().slice(0, 16);
}

describe("buildWorkbook", () => {
  it("names the sheets within Excel's limits: status, template, repeat group, notes", async () => {
    const wb = await readBack(sample);
    const names = wb.worksheets.map((w) => w.name);
    expect(names).toEqual(["Tình hình nộp", "Báo cáo cải cách hành chính tro", "Văn bản đã ban hành", "Thông tin"]);
    for (const n of names) expect(n.length).toBeLessThanOrEqual(31);
    // The notes sheet gives the full title the sheet name had to cut.
    const notes = sheet(wb, "Thông tin");
    const rows = notes.getSheetValues().map((r) => (Array.isArray(r) ? r.slice(1) : []));
    expect(rows).toContainEqual(["Báo cáo cải cách hành chính tro", "Báo cáo cải cách hành chính trong Đảng (quý)", "Quý III/2026"]);
  });

  it("writes the status sheet with Vietnamese headers, labels, numbers and Vietnam-time dates", async () => {
    const ws = sheet(await readBack(sample), "Tình hình nộp");
    expect(headers(ws)).toEqual([
      "Nhóm (đơn vị cấp trên)",
      "Mã đơn vị",
      "Đơn vị",
      "Báo cáo",
      "Kỳ",
      "Hạn nộp",
      "Tình trạng",
      "Thời điểm nộp",
      "Người nộp",
      "Lần nộp",
      "Số tiếp nhận",
      "Số ngày trễ",
    ]);
    expect(ws.getRow(1).getCell(1).font.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(ws.rowCount).toBe(4);

    const late = ws.getRow(3);
    expect(late.getCell(3).value).toBe('Chi bộ thôn Đồng Xuân; "khu B"');
    expect(late.getCell(7).value).toBe("Nộp muộn");
    // Deadline: 17:00 on 15/09 in Vietnam, shown as a day.
    expect(utc(late.getCell(6).value)).toBe("2026-09-15T17:00");
    expect(late.getCell(6).numFmt).toBe("dd/mm/yyyy");
    // Submitted at 01:30 on 17/09 Vietnam time (16/09 in UTC): Excel must show the 17th.
    expect(utc(late.getCell(8).value)).toBe("2026-09-17T01:30");
    expect(late.getCell(8).numFmt).toBe("dd/mm/yyyy hh:mm");
    expect(late.getCell(10).value).toBe(2);
    expect(late.getCell(10).type).toBe(ExcelJS.ValueType.Number);
    expect(late.getCell(12).value).toBe(1);

    const overdue = ws.getRow(4);
    expect(overdue.getCell(7).value).toBe("Quá hạn");
    expect(overdue.getCell(8).value).toBeNull();
    expect(overdue.getCell(10).value).toBeNull();
    expect(ws.getRow(2).getCell(7).value).toBe("Đúng hạn");
  });

  it("writes one row per unit and one column per question, with typed cells", async () => {
    const ws = sheet(await readBack(sample), "Báo cáo cải cách hành chính tro");
    expect(headers(ws)).toEqual([
      "Đơn vị",
      "Số cuộc họp chi bộ trong quý",
      "Tỷ lệ đảng viên dự họp (%)",
      "Ngày họp gần nhất",
      "Có ứng dụng công nghệ thông tin",
      "Lĩnh vực",
      "Kiến nghị, đề xuất",
    ]);
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    const [a, b, c] = [ws.getRow(2), ws.getRow(3), ws.getRow(4)];
    expect(a.getCell(1).value).toBe("Chi bộ thôn Tân Lập");
    expect(a.getCell(2).value).toBe(3);
    expect(a.getCell(3).value).toBe(92.5);
    expect(a.getCell(3).type).toBe(ExcelJS.ValueType.Number);
    expect(b.getCell(3).value).toBe(87.25);
    // Dates are days in Vietnam whichever midnight the producer used.
    expect(utc(a.getCell(4).value)).toBe("2026-09-12T00:00");
    expect(utc(b.getCell(4).value)).toBe("2026-09-01T00:00");
    expect(utc(c.getCell(4).value)).toBe("2026-09-10T00:00");
    expect(a.getCell(4).type).toBe(ExcelJS.ValueType.Date);
    expect(a.getCell(4).numFmt).toBe("dd/mm/yyyy");
    expect(a.getCell(5).value).toBe("Có");
    expect(b.getCell(5).value).toBe("Không");
    expect(a.getCell(6).value).toBe("Tổ chức, Kiểm tra");
    // Typed answers stay text: never a formula.
    expect(b.getCell(7).value).toBe('=HYPERLINK("http://evil")');
    expect(b.getCell(7).type).toBe(ExcelJS.ValueType.String);
    expect(c.getCell(7).value).toBe("- Ý kiến thứ nhất\n- Ý kiến thứ hai");
    expect(c.getCell(2).value).toBeNull();
    // Sensible widths: never the 8.43 default for long text, never absurd.
    for (let i = 1; i <= 7; i++) {
      const w = ws.getColumn(i).width ?? 0;
      expect(w).toBeGreaterThanOrEqual(8);
      expect(w).toBeLessThanOrEqual(60);
    }
    expect(ws.getColumn(7).width).toBeGreaterThan(40);
  });

  it("puts each repeat group on its own sheet, one row per entry", async () => {
    const ws = sheet(await readBack(sample), "Văn bản đã ban hành");
    expect(headers(ws)).toEqual(["Đơn vị", "Mục số", "Số, ký hiệu", "Ngày ban hành", "Số trang"]);
    expect(ws.rowCount).toBe(4);
    expect(ws.getRow(3).values).toEqual([undefined, "Chi bộ thôn Tân Lập", 2, "02-KH/CB", new Date("2026-08-20T00:00:00Z"), 2]);
    expect(ws.getRow(4).getCell(1).value).toBe('Chi bộ thôn Đồng Xuân; "khu B"');
  });

  it("keeps sheet names unique when a template appears for several periods", async () => {
    const t = sample.templates[0]!;
    const wb = await readBack({
      ...sample,
      templates: [t, { ...t, periodLabel: "Quý IV/2026" }],
    });
    const names = wb.worksheets.map((w) => w.name);
    expect(names).toEqual([
      "Tình hình nộp",
      "Báo cáo cải cách h Quý III 2026",
      "Văn bản đã ban hành",
      "Báo cáo cải cách hà Quý IV 2026",
      "Văn bản đã ban hành (2)",
      "Thông tin",
    ]);
  });

  it("builds an empty export", async () => {
    const wb = await readBack({ title: "Trống", generatedAt: new Date(), status: [], templates: [] });
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Tình hình nộp", "Thông tin"]);
    expect(sheet(wb, "Tình hình nộp").rowCount).toBe(1);
  });
});

describe("sheet names", () => {
  it("cuts to 31 characters, drops forbidden characters and de-duplicates ignoring case", () => {
    const name = createSheetNamer();
    expect(name("Báo cáo: tháng 9/2026 [bản *chính*?]")).toBe("Báo cáo tháng 9 2026 bản chính");
    expect(name("báo cáo THÁNG 9 2026 bản chính")).toBe("báo cáo THÁNG 9 2026 bản ch (2)");
    expect(name("'Trích dẫn'")).toBe("Trích dẫn");
    expect(name("History")).toBe("History (2)");
    expect(name("   ")).toBe("Trang");
    expect(name("x".repeat(40))).toHaveLength(MAX_SHEET_NAME);
    const many = Array.from({ length: 12 }, () => name("Văn bản đã ban hành trong quý này của chi bộ"));
    expect(new Set(many.map((n) => n.toLowerCase())).size).toBe(12);
    for (const n of many) expect(n.length).toBeLessThanOrEqual(MAX_SHEET_NAME);
    // A surrogate pair is never split.
    expect(name("📊".repeat(20)).length).toBeLessThanOrEqual(MAX_SHEET_NAME);
    expect(name("📊".repeat(20))).not.toMatch(/[\uD800-\uDBFF]$/);
  });
});
