import { describe, expect, it } from "vitest";
import JSZip from "jszip";
import { buildCsv, buildCsvFiles, buildTemplateCsv } from "../../src/exports/csv.ts";
import { crc32, zip } from "../../src/exports/zip.ts";
import { sample } from "./fixtures.ts";

/** A small RFC 4180 reader, to check the output parses back to the same fields. */
function parse(csv: string, sep: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i]!;
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) {
      row.push(field);
      field = "";
    } else if (c === "\r" && csv[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  return rows;
}

describe("buildCsv", () => {
  it("starts with a UTF-8 BOM, separates with ';', ends lines with CRLF and keeps Vietnamese intact", () => {
    const csv = buildCsv(sample);
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(csv.startsWith("\uFEFFNhóm (đơn vị cấp trên);Mã đơn vị;Đơn vị;Báo cáo;Kỳ;Hạn nộp;Tình trạng;Thời điểm nộp;Người nộp;Lần nộp;Số tiếp nhận;Số ngày trễ\r\n")).toBe(true);
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(Buffer.from(csv, "utf8").subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.split("\r\n")).toHaveLength(5);
    expect(csv.normalize("NFC")).toBe(csv);
  });

  it("quotes per RFC 4180 and writes Vietnam dates as dd/mm/yyyy", () => {
    const rows = parse(buildCsv(sample).slice(1), ";");
    expect(rows).toHaveLength(4);
    expect(rows[2]).toEqual([
      "Đảng ủy xã Tân Phong",
      "CB-THON-DONG-XUAN",
      'Chi bộ thôn Đồng Xuân; "khu B"',
      "Báo cáo cải cách hành chính trong Đảng (quý)",
      "Quý III/2026",
      "15/09/2026",
      "Nộp muộn",
      "17/09/2026 01:30",
      "Trần Thị Bình",
      "2",
      "BC-3HX8PL",
      "1",
    ]);
    // The raw text: the field with ; and " is quoted and its quotes doubled.
    expect(buildCsv(sample)).toContain(';"Chi bộ thôn Đồng Xuân; ""khu B""";');
    expect(rows[3]!.slice(6, 12)).toEqual(["Quá hạn", "", "", "", "", "3"]);
  });

  it("writes a template's answers: decimal comma, Có/Không, dates, multi-line text, no formulas", () => {
    const csv = buildTemplateCsv(sample.templates[0]!);
    const rows = parse(csv.slice(1), ";");
    expect(rows[0]).toEqual(["Đơn vị", "Số cuộc họp chi bộ trong quý", "Tỷ lệ đảng viên dự họp (%)", "Ngày họp gần nhất", "Có ứng dụng công nghệ thông tin", "Lĩnh vực", "Kiến nghị, đề xuất"]);
    expect(rows[1]).toEqual(["Chi bộ thôn Tân Lập", "3", "92,5", "12/09/2026", "Có", "Tổ chức, Kiểm tra", "Đề nghị tập huấn sử dụng phần mềm; tăng cường kiểm tra"]);
    expect(rows[2]!.slice(2, 5)).toEqual(["87,25", "01/09/2026", "Không"]);
    // Text Excel would run as a formula is neutralised with an apostrophe.
    expect(rows[2]![6]).toBe("'=HYPERLINK(\"http://evil\")");
    expect(rows[3]!.slice(1, 4)).toEqual(["", "", "10/09/2026"]);
    expect(rows[3]![6]).toBe("'- Ý kiến thứ nhất\n- Ý kiến thứ hai");
    expect(csv).toContain('"Tổ chức, Kiểm tra"');
  });

  it("can write ',' with a decimal point for English settings and other tools", () => {
    const rows = parse(buildTemplateCsv(sample.templates[0]!, { separator: "," }).slice(1), ",");
    expect(rows[1]!.slice(0, 4)).toEqual(["Chi bộ thôn Tân Lập", "3", "92.5", "12/09/2026"]);
    expect(rows[1]![5]).toBe("Tổ chức, Kiểm tra");
  });

  it("gives every sheet as a file: the status, each template's answers, each repeat group", () => {
    const files = buildCsvFiles(sample);
    // "Quý III/2026": a slash cannot be in a file name.
    expect(files.map((f) => f.name)).toEqual([
      "Tình hình nộp.csv",
      "Báo cáo cải cách hành chính trong Đảng (quý) – Quý III-2026.csv",
      "Báo cáo cải cách hành chính trong Đảng (quý) – Quý III-2026 – Văn bản đã ban hành.csv",
    ]);
    expect(files[1]!.text).toBe(buildTemplateCsv(sample.templates[0]!));
  });
});

describe("zip", () => {
  it("packs the CSV files so that any unzip reads them back, Vietnamese names included", async () => {
    const files = buildCsvFiles(sample).map((f) => ({ name: f.name, data: new TextEncoder().encode(f.text) }));
    const archive = await JSZip.loadAsync(zip(files, new Date("2026-12-01T03:00:00Z")));
    expect(Object.keys(archive.files)).toEqual(files.map((f) => f.name));
    for (const f of files) expect(await archive.file(f.name)!.async("uint8array")).toEqual(f.data);
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926); // the standard check value
  });
});
