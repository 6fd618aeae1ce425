import { describe, expect, it } from "vitest";
import { formatAnswer, formatNumber, parseAnswer, readNumber, type AnswerInput } from "../../src/forms/answers.ts";
import { parseTemplateForm, type Question } from "../../src/forms/template-schema.ts";

function question(q: Record<string, unknown>): Question {
  const form = parseTemplateForm({ questions: [{ name: "q", label: "Câu hỏi", ...q }] });
  return form.questions[0]!;
}

function value(q: Question, input: AnswerInput): unknown {
  const r = parseAnswer(q, input);
  if (!r.ok) throw new Error(`refused ${JSON.stringify(input)}: ${r.error}`);
  return r.value;
}

function error(q: Question, input: AnswerInput): string {
  const r = parseAnswer(q, input);
  if (r.ok) throw new Error(`accepted ${JSON.stringify(input)} as ${JSON.stringify(r.value)}`);
  return r.error;
}

const integer = question({ type: "integer" });
const decimal = question({ type: "decimal" });

describe("readNumber: the Vietnamese number rule", () => {
  it.each([
    ["1234", 1234, false],
    ["1.234", 1234, false],
    ["1 234", 1234, false],
    ["1.234.567", 1234567, false],
    ["1 234 567", 1234567, false],
    ["12,5", 12.5, true],
    ["1.234,5", 1234.5, true],
    ["1 234,75", 1234.75, true],
    ["12.5", 12.5, true],
    ["12.25", 12.25, true],
    ["3.14159", 3.14159, true],
    ["0.125", 0.125, true],
    [",5", 0.5, true],
    ["1,234.5", 1234.5, true],
    ["1,234,567", 1234567, false],
    ["12,0", 12, false],
    ["45%", 45, false],
    ["45 %", 45, false],
    ["-3", -3, false],
    ["− 3", -3, false],
    ["+7", 7, false],
    ["0", 0, false],
    ["không", 0, false],
    ["Không có", 0, false],
  ])("%j → %d", (input, expected, fraction) => {
    expect(readNumber(input)).toEqual({ ok: true, value: expected, fraction });
  });

  it.each(["", "abc", "12a", "1.23.4", "1..2", "12.", "1,2,3", "1.2,3,4", "1 23", "12 34 5", "--3", "%", "1.234.5678"])("refuses %j", (input) => {
    expect(readNumber(input).ok).toBe(false);
  });
});

describe("integer answers", () => {
  it.each([
    ["1234", 1234],
    ["1.234", 1234],
    ["1 234", 1234],
    ["  12  ", 12],
    ["0", 0],
    ["không", 0],
    ["12,0", 12],
    ["100%", 100],
    ["12.", 12],
    ["1.234.", 1234],
  ])("%j → %d", (input, expected) => {
    expect(value(integer, input)).toBe(expected);
  });

  it("refuses decimals and words with what is expected", () => {
    expect(error(integer, "12,5")).toBe('"12,5" không phải số nguyên. Đề nghị nhập một số nguyên, ví dụ 12.');
    expect(error(integer, "12.5")).toBe('"12.5" không phải số nguyên. Đề nghị nhập một số nguyên, ví dụ 12.');
    expect(error(integer, "1,234")).toBe(
      "Số nguyên không dùng dấu phẩy (dấu phẩy là dấu thập phân). Đề nghị nhập số không có dấu phẩy, ví dụ 1234 hoặc 1.234.",
    );
    expect(error(integer, "mười hai")).toBe("Đề nghị nhập một số nguyên, ví dụ 12.");
    expect(error(integer, "khoảng 12")).toBe("Đề nghị nhập một số nguyên, ví dụ 12.");
    expect(error(integer, "   ")).toBe("Đồng chí chưa nhập câu trả lời. Đề nghị trả lời câu hỏi trên.");
    expect(error(integer, "99999999999999999999")).toBe("Đề nghị nhập một số nguyên, ví dụ 12.");
  });

  it("allows negative numbers only when the template's min does", () => {
    expect(error(integer, "-3")).toBe("Số không được âm. Đề nghị nhập số từ 0 trở lên.");
    expect(value(question({ type: "integer", constraint: { min: -10 } }), "-3")).toBe(-3);
    expect(error(question({ type: "integer", constraint: { min: -10 } }), "-30")).toBe("Số phải từ -10 trở lên.");
  });

  it("applies the range with the template's message, else a default one", () => {
    const ranged = question({ type: "integer", constraint: { min: 0, max: 100 } });
    expect(value(ranged, "100")).toBe(100);
    expect(error(ranged, "101")).toBe("Số phải từ 0 đến 100.");
    expect(error(question({ type: "integer", constraint: { max: 5000 } }), "5.001")).toBe("Số không được lớn hơn 5.000.");
    expect(error(question({ type: "integer", constraint: { min: 1 } }), "0")).toBe("Số phải từ 1 trở lên.");
    const custom = question({ type: "integer", constraint: { min: 0, max: 6, message: "Tối đa 6 buổi sinh hoạt." } });
    expect(error(custom, "7")).toBe("Tối đa 6 buổi sinh hoạt.");
  });
});

describe("decimal answers", () => {
  it.each([
    ["12,5", 12.5],
    ["1.234,5", 1234.5],
    ["12.5", 12.5],
    ["1.234", 1234],
    ["45%", 45],
    ["85,5 %", 85.5],
    ["0,75", 0.75],
    ["7", 7],
  ])("%j → %d", (input, expected) => {
    expect(value(decimal, input)).toBe(expected);
  });

  it("refuses what is not a number", () => {
    expect(error(decimal, "12,5,6")).toBe("Đề nghị nhập một số, ví dụ 12 hoặc 12,5.");
    expect(error(decimal, "năm mươi")).toBe("Đề nghị nhập một số, ví dụ 12 hoặc 12,5.");
    expect(error(question({ type: "decimal", constraint: { min: 0, max: 100 } }), "100,5")).toBe("Số phải từ 0 đến 100.");
    expect(error(question({ type: "decimal", constraint: { min: 0.5, max: 2.5 } }), "3")).toBe("Số phải từ 0,5 đến 2,5.");
  });
});

describe("date answers", () => {
  const date = question({ type: "date" });
  it.each([
    ["15/9/2026", "2026-09-15"],
    ["15/09/2026", "2026-09-15"],
    ["15-09-2026", "2026-09-15"],
    ["15.09.2026", "2026-09-15"],
    ["2026-09-15", "2026-09-15"],
    ["2026-9-5", "2026-09-05"],
    ["5/3/26", "2026-03-05"],
    [" 15 / 9 / 2026 ", "2026-09-15"],
    ["ngày 15 tháng 9 năm 2026", "2026-09-15"],
    ["Ngày 05 tháng 03 năm 2026", "2026-03-05"],
    ["29/02/2028", "2028-02-29"],
    ["15/9/2026.", "2026-09-15"],
  ])("%j → %s", (input, expected) => {
    expect(value(date, input)).toBe(expected);
  });

  it("refuses impossible and incomplete dates, saying what to type", () => {
    expect(error(date, "31/02/2026")).toBe("Ngày 31/02/2026 không có trong lịch. Đề nghị kiểm tra lại ngày, tháng.");
    expect(error(date, "29/2/2026")).toBe("Ngày 29/02/2026 không có trong lịch. Đề nghị kiểm tra lại ngày, tháng.");
    expect(error(date, "15/13/2026")).toBe("Ngày 15/13/2026 không có trong lịch. Đề nghị kiểm tra lại ngày, tháng.");
    expect(error(date, "15/9")).toBe("Đề nghị ghi đủ ngày, tháng và năm, ví dụ 15/09/2026.");
    expect(error(date, "ngày 15 tháng 9")).toBe("Đề nghị ghi đủ ngày, tháng và năm, ví dụ 15/09/2026.");
    expect(error(date, "hôm qua")).toBe("Đề nghị nhập ngày theo dạng ngày/tháng/năm, ví dụ 15/09/2026.");
    expect(error(date, "09/15/2026")).toMatch(/không có trong lịch/);
  });

  it("applies min_date and max_date", () => {
    const ranged = question({ type: "date", constraint: { min_date: "2026-07-01", max_date: "2026-09-30" } });
    expect(value(ranged, "1/7/2026")).toBe("2026-07-01");
    expect(error(ranged, "30/6/2026")).toBe("Ngày phải từ 01/07/2026 đến 30/09/2026.");
    expect(error(question({ type: "date", constraint: { min_date: "2026-01-01" } }), "31/12/2025")).toBe("Ngày phải từ 01/01/2026 trở về sau.");
    expect(error(question({ type: "date", constraint: { max_date: "2026-01-01" } }), "2/1/2026")).toBe("Ngày không được sau 01/01/2026.");
    expect(error(question({ type: "date", constraint: { max_date: "2026-01-01", message: "Chưa tới ngày này." } }), "2/1/2026")).toBe(
      "Chưa tới ngày này.",
    );
  });
});

describe("yes/no answers", () => {
  const yn = question({ type: "yes_no" });
  it.each(["có", "Có", "CÓ", "co", "c", "C", "yes", "Yes", "y", "1", "đúng", "Đúng", "dung", "rồi", "roi", "có ạ", "Có.", "đã có", "vâng", "ok"])(
    "%j → true",
    (input) => {
      expect(value(yn, input)).toBe(true);
    },
  );
  it.each(["không", "Không", "KHÔNG", "khong", "k", "K", "ko", "no", "n", "0", "chưa", "Chưa", "chua", "sai", "không có", "chưa có", "Không."])(
    "%j → false",
    (input) => {
      expect(value(yn, input)).toBe(false);
    },
  );
  it("refuses anything else and takes a tapped button", () => {
    expect(error(yn, "có lẽ")).toBe('Đề nghị trả lời "Có" hoặc "Không".');
    expect(error(yn, "2")).toBe('Đề nghị trả lời "Có" hoặc "Không".');
    expect(value(yn, { type: "choice", value: "yes" })).toBe(true);
    expect(value(yn, { type: "choice", value: "no" })).toBe(false);
  });
});

const assessment = question({
  type: "select_one",
  choices: [
    { value: "hoan_thanh_xuat_sac", label: "Hoàn thành xuất sắc" },
    { value: "hoan_thanh_tot", label: "Hoàn thành tốt" },
    { value: "hoan_thanh", label: "Hoàn thành" },
    { value: "chua_hoan_thanh", label: "Chưa hoàn thành" },
  ],
});

describe("select_one answers", () => {
  it.each([
    ["1", "hoan_thanh_xuat_sac"],
    [" 2 ", "hoan_thanh_tot"],
    ["4", "chua_hoan_thanh"],
    ["Hoàn thành tốt", "hoan_thanh_tot"],
    ["hoàn thành  tốt", "hoan_thanh_tot"],
    ["hoan thanh tot", "hoan_thanh_tot"],
    ["HOÀN THÀNH", "hoan_thanh"],
    ["chua hoan thanh", "chua_hoan_thanh"],
    ["hoan_thanh_tot", "hoan_thanh_tot"],
    ["2. Hoàn thành tốt", "hoan_thanh_tot"],
    ["3) Hoàn thành", "hoan_thanh"],
  ])("%j → %s", (input, expected) => {
    expect(value(assessment, input)).toBe(expected);
  });

  it("takes a tapped button by its value, even when values look like positions", () => {
    expect(value(assessment, { type: "choice", value: "hoan_thanh" })).toBe("hoan_thanh");
    const numeric = question({ type: "select_one", choices: [{ value: 2, label: "Hai" }, { value: 1, label: "Một" }] });
    expect(value(numeric, { type: "choice", value: "1" })).toBe("1");
    // Typed, a number is the position in the list shown.
    expect(value(numeric, "1")).toBe("2");
    expect(value(numeric, "một")).toBe("1");
  });

  it("refuses what is not a choice, saying how to answer", () => {
    expect(error(assessment, "5")).toBe("Đề nghị chọn một mục: gõ số thứ tự (từ 1 đến 4) hoặc nội dung của mục.");
    expect(error(assessment, "0")).toBe("Đề nghị chọn một mục: gõ số thứ tự (từ 1 đến 4) hoặc nội dung của mục.");
    expect(error(assessment, "Tốt")).toBe('Không có mục "Tốt". Đề nghị gõ số thứ tự (từ 1 đến 4) hoặc nội dung của mục.');
    expect(error(assessment, "2. Hoàn thành")).toMatch(/^Không có mục/);
    expect(error(assessment, { type: "choice", value: "xuat_sac" })).toMatch(/^Đề nghị chọn một mục/);
  });

  it("needs the diacritics only when two labels differ by them alone", () => {
    const close = question({ type: "select_one", choices: [{ value: "a", label: "Mát" }, { value: "b", label: "Mật" }] });
    expect(value(close, "mật")).toBe("b");
    expect(error(close, "mat")).toMatch(/^Không có mục "mat"/);
  });
});

const improvements = question({
  type: "select_multiple",
  choices: [
    { value: "le_loi", label: "Lề lối, phong cách làm việc" },
    { value: "sinh_hoat", label: "Nội dung, hình thức sinh hoạt chi bộ" },
    { value: "ket_nap", label: "Thủ tục kết nạp đảng viên" },
    { value: "van_ban", label: "Soạn thảo, lưu trữ văn bản" },
  ],
});

describe("select_multiple answers", () => {
  it.each([
    ["1, 3", ["le_loi", "ket_nap"]],
    ["1,3", ["le_loi", "ket_nap"]],
    ["1 3", ["le_loi", "ket_nap"]],
    ["1;3", ["le_loi", "ket_nap"]],
    ["3, 1", ["le_loi", "ket_nap"]],
    ["1, 1, 3", ["le_loi", "ket_nap"]],
    ["1 và 4", ["le_loi", "van_ban"]],
    ["2", ["sinh_hoat"]],
    ["Thủ tục kết nạp đảng viên", ["ket_nap"]],
    ["Lề lối, phong cách làm việc", ["le_loi"]],
    ["Lề lối, phong cách làm việc, Thủ tục kết nạp đảng viên", ["le_loi", "ket_nap"]],
    ["thu tuc ket nap dang vien; 4", ["ket_nap", "van_ban"]],
    ["1\n2", ["le_loi", "sinh_hoat"]],
  ])("%j → %j", (input, expected) => {
    expect(value(improvements, input)).toEqual(expected);
  });

  it("refuses unknown items one by one", () => {
    expect(error(improvements, "1, 7")).toBe('Không có mục "7". Đề nghị gõ số thứ tự (từ 1 đến 4) hoặc nội dung của mục.');
    expect(error(improvements, "1, họp")).toMatch(/^Không có mục "họp"/);
    expect(error(improvements, ",")).toBe("Đề nghị chọn một hoặc nhiều mục: gõ số thứ tự (từ 1 đến 4), cách nhau bằng dấu phẩy, ví dụ 1, 3.");
  });

  it("applies min and max counts", () => {
    const two = question({ type: "select_multiple", choices: [{ value: "a", label: "A" }, { value: "b", label: "B" }, { value: "c", label: "C" }], constraint: { min: 2 } });
    expect(error(two, "1")).toBe("Đề nghị chọn ít nhất 2 mục.");
    expect(value(two, "1, 2")).toEqual(["a", "b"]);
    const most = question({ type: "select_multiple", choices: [{ value: "a", label: "A" }, { value: "b", label: "B" }, { value: "c", label: "C" }], constraint: { max: 2 } });
    expect(error(most, "1 2 3")).toBe("Đề nghị chọn nhiều nhất 2 mục.");
    const both = question({ type: "select_multiple", choices: [{ value: "a", label: "A" }, { value: "b", label: "B" }, { value: "c", label: "C" }], constraint: { min: 1, max: 2 } });
    expect(error(both, "1 2 3")).toBe("Đề nghị chọn từ 1 đến 2 mục.");
    expect(value(improvements, { type: "choice", value: "van_ban" })).toEqual(["van_ban"]);
  });
});

describe("text answers", () => {
  const text = question({ type: "text" });
  const long = question({ type: "long_text" });

  it("trims and keeps inner lines", () => {
    expect(value(text, "  Nghị quyết số 05  ")).toBe("Nghị quyết số 05");
    expect(value(long, "Dòng 1\nDòng 2\n")).toBe("Dòng 1\nDòng 2");
    expect(value(text, "Số văn bản".normalize("NFD"))).toBe("Số văn bản".normalize("NFC"));
  });

  it("refuses texts above the template's limit, 500 and 4000 by default", () => {
    expect(value(text, "a".repeat(500))).toHaveLength(500);
    expect(error(text, "a".repeat(501))).toBe("Nội dung quá dài (501 ký tự, tối đa 500 ký tự). Đề nghị rút gọn rồi gửi lại.");
    expect(value(long, "ả".repeat(4000))).toHaveLength(4000);
    expect(error(long, "ả".repeat(4001))).toMatch(/^Nội dung quá dài \(4001 ký tự, tối đa 4000 ký tự\)/);
    expect(error(question({ type: "long_text", constraint: { max_length: 20 } }), "x".repeat(21))).toMatch(/tối đa 20 ký tự/);
  });

  it("applies min_length and pattern, with the template's message when given", () => {
    expect(error(question({ type: "long_text", constraint: { min_length: 10 } }), "Tốt")).toBe("Nội dung quá ngắn. Đề nghị viết ít nhất 10 ký tự.");
    const code = question({ type: "text", hint: "Ví dụ 05-NQ/ĐU", constraint: { pattern: "^\\d{1,4}-[A-ZĐ]+/" } });
    expect(value(code, "05-NQ/ĐU")).toBe("05-NQ/ĐU");
    expect(error(code, "nghị quyết 5")).toBe("Câu trả lời chưa đúng định dạng yêu cầu (Ví dụ 05-NQ/ĐU). Đề nghị kiểm tra lại và nhập lại.");
    const custom = question({ type: "text", constraint: { pattern: "^\\d+-", message: "Số hiệu viết như 05-NQ/ĐU." } });
    expect(error(custom, "abc")).toBe("Số hiệu viết như 05-NQ/ĐU.");
    expect(error(question({ type: "text", constraint: { pattern: "^x$" } }), "y")).toBe(
      "Câu trả lời chưa đúng định dạng yêu cầu. Đề nghị kiểm tra lại và nhập lại.",
    );
  });

  it("refuses confidential content", () => {
    expect(error(long, "Kính gửi Đảng ủy xã\nTÀI LIỆU MẬT\nBáo cáo tình hình...")).toMatch(/^Nội dung có dấu hiệu thuộc độ MẬT\. .*không gửi qua ứng dụng nhắn tin/);
    expect(error(text, "Độ mật: Tối mật")).toMatch(/^Nội dung có dấu hiệu thuộc độ TỐI MẬT\./);
    expect(value(text, "Đã đổi mật khẩu hộp thư công vụ")).toBe("Đã đổi mật khẩu hộp thư công vụ");
  });

  it("wants text, not a file", () => {
    expect(error(text, { kind: "document", fileName: "a.pdf" })).toBe("Câu hỏi này cần trả lời bằng chữ hoặc số, không phải tệp. Đề nghị nhập câu trả lời.");
    expect(error(integer, { kind: "photo" })).toMatch(/không phải tệp/);
  });
});

describe("file answers", () => {
  const file = question({ type: "file" });

  it("takes accepted formats by name, MIME type, or as a photo", () => {
    expect(value(file, { kind: "document", fileId: "f1", fileName: "BaoCao_Q3.PDF", mimeType: "application/pdf", sizeBytes: 1_200_000 })).toEqual({
      kind: "document",
      format: "pdf",
      fileId: "f1",
      fileName: "BaoCao_Q3.PDF",
      mimeType: "application/pdf",
      sizeBytes: 1_200_000,
    });
    expect(value(file, { kind: "document", fileName: "bao cao.docx" })).toMatchObject({ format: "docx" });
    expect(value(file, { kind: "document", mimeType: "image/jpeg" })).toMatchObject({ format: "jpg" });
    expect(value(file, { kind: "photo", fileId: "p1" })).toEqual({ kind: "photo", format: "jpg", fileId: "p1" });
    expect(value(file, { kind: "document", fileName: "anh.jpeg" })).toMatchObject({ format: "jpg" });
    // An inbound "file" content from the channel port fits as it is.
    const inbound = { type: "file" as const, kind: "document" as const, fileId: "x", fileName: "a.png", caption: "ảnh" };
    expect(value(file, inbound)).toEqual({ kind: "document", format: "png", fileId: "x", fileName: "a.png" });
  });

  it("refuses other formats, too large files, text and confidential names", () => {
    expect(error(file, { kind: "document", fileName: "bao_cao.doc" })).toBe("Trợ lý chỉ nhận tệp dạng PDF, DOCX, JPG, PNG. Đề nghị gửi lại đúng loại tệp.");
    expect(value(question({ type: "file", accept: ["doc", "pdf"] }), { kind: "document", fileName: "bao_cao.doc" })).toMatchObject({ format: "doc" });
    expect(error(file, { kind: "document", fileName: "setup.exe" })).toMatch(/^Trợ lý chỉ nhận tệp dạng/);
    expect(error(file, { kind: "document" })).toMatch(/^Trợ lý chỉ nhận tệp dạng/);
    expect(error(file, { kind: "document", fileName: "a.pdf", sizeBytes: 25 * 1024 * 1024 + 1 })).toBe(
      "Tệp quá lớn (25,1 MB, tối đa 20 MB). Đề nghị nén tệp hoặc chụp lại với dung lượng nhỏ hơn.",
    );
    expect(value(file, { kind: "document", fileName: "a.pdf", sizeBytes: 20 * 1024 * 1024 })).toMatchObject({ format: "pdf" });
    expect(error(question({ type: "file", max_size_mb: 5 }), { kind: "photo", sizeBytes: 6 * 1024 * 1024 })).toMatch(/tối đa 5 MB/);
    expect(error(file, "đây là báo cáo")).toBe("Câu hỏi này cần gửi tệp (PDF, DOCX, JPG, PNG). Đề nghị gửi tệp đính kèm.");
    expect(error(file, { kind: "document", fileName: "MAT_baocao.pdf" })).toMatch(/thuộc độ MẬT/);
    expect(error(file, { kind: "document", fileName: "TOI-MAT ke hoach.docx" })).toMatch(/thuộc độ TỐI MẬT/);
  });
});

describe("note, group, repeat", () => {
  it("take no answer", () => {
    expect(() => parseAnswer(question({ type: "note" }), "x")).toThrow(TypeError);
  });
});

describe("formatAnswer", () => {
  it("shows answers as officials write them", () => {
    expect(formatAnswer(integer, 1234567)).toBe("1.234.567");
    expect(formatAnswer(decimal, 1234.5)).toBe("1.234,5");
    expect(formatAnswer(decimal, -0.25)).toBe("-0,25");
    expect(formatAnswer(question({ type: "date" }), "2026-09-15")).toBe("15/09/2026");
    expect(formatAnswer(question({ type: "yes_no" }), true)).toBe("Có");
    expect(formatAnswer(question({ type: "yes_no" }), false)).toBe("Không");
    expect(formatAnswer(assessment, "hoan_thanh_tot")).toBe("Hoàn thành tốt");
    expect(formatAnswer(improvements, ["le_loi", "ket_nap"])).toBe("Lề lối, phong cách làm việc; Thủ tục kết nạp đảng viên");
    expect(formatAnswer(question({ type: "file" }), { kind: "document", format: "pdf", fileName: "bc.pdf" })).toBe("Tệp bc.pdf");
    expect(formatAnswer(question({ type: "file" }), { kind: "photo", format: "jpg" })).toBe("(tệp đính kèm)");
    expect(formatAnswer(question({ type: "text" }), "Nội dung")).toBe("Nội dung");
    expect(formatAnswer(integer, undefined)).toBe("(chưa trả lời)");
    expect(formatAnswer(improvements, [])).toBe("(chưa trả lời)");
  });

  it("reads back what parseAnswer accepted", () => {
    expect(formatAnswer(decimal, value(decimal, "1.234,5"))).toBe("1.234,5");
    expect(formatNumber(1000)).toBe("1.000");
    expect(formatNumber(999)).toBe("999");
    expect(formatNumber(0)).toBe("0");
  });
});
