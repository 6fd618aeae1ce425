// Template forms as the office writes them: YAML text, then the schema.
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  entryLabelOf,
  FormError,
  fileRulesOf,
  parseTemplateForm,
  textLimitsOf,
  type TemplateForm,
} from "../../src/forms/template-schema.ts";

function load(yaml: string): TemplateForm {
  return parseTemplateForm(parse(yaml));
}

function problems(yaml: string): string[] {
  try {
    load(yaml);
  } catch (err) {
    if (err instanceof FormError) return err.problems;
    throw err;
  }
  throw new Error("expected the form to be refused");
}

/** A small YAML form: a yes/no, a count, a choice, then `extra` lines (already indented as list items). */
function withExtra(extra: string): string {
  return `questions:
  - name: co_doi_thoai
    type: yes_no
    label: Có đối thoại không?
  - name: so_cuoc
    type: integer
    label: Số cuộc
  - name: muc_do
    type: select_one
    label: Mức độ
    choices:
      - { value: tot, label: Tốt }
      - { value: kem, label: Kém }
  - name: noi_dung
    type: select_multiple
    label: Nội dung
    choices:
      - { value: a, label: A }
      - { value: b, label: B }
${extra}`;
}

describe("template form: new fields", () => {
  it("takes hints in two languages, date ranges, file rules and a repeat's entry label", () => {
    const form = load(`questions:
  - name: ngay
    type: date
    label: Ngày họp
    label_en: Meeting date
    hint: Ví dụ 15/09/2026
    hint_en: For example 15/09/2026
    constraint: { min_date: "2026-01-01", max_date: "2026-12-31", message: Ngày phải trong năm 2026. }
  - name: tep
    type: file
    label: Tệp
    accept: [PDF, .docx, jpeg, jpg]
    max_size_mb: 50
  - name: nghi_quyet
    type: repeat
    label: Nghị quyết
    entry_label: Nghị quyết thứ {n}
    constraint: { min: 1, max: 5 }
    questions:
      - { name: ten, type: text, label: Tên }
`);
    const [ngay, tep, nq] = form.questions;
    expect(ngay).toMatchObject({
      label_en: "Meeting date",
      hint_en: "For example 15/09/2026",
      constraint: { min_date: "2026-01-01", max_date: "2026-12-31" },
    });
    expect(tep?.accept).toEqual(["pdf", "docx", "jpg"]);
    expect(fileRulesOf(tep!)).toEqual({ accept: ["pdf", "docx", "jpg"], maxSizeMb: 50 });
    expect(entryLabelOf(nq!, 2)).toBe("Nghị quyết thứ 2");
    expect(nq?.constraint).toEqual({ min: 1, max: 5 });
  });

  it("fills in defaults where the template says nothing, without writing them into the form", () => {
    const form = load(`questions:
  - { name: a, type: text, label: A }
  - { name: b, type: long_text, label: B }
  - { name: c, type: text, label: C, constraint: { min_length: 3, max_length: 50 } }
  - { name: f, type: file, label: F }
  - name: r
    type: repeat
    label: Văn bản
    questions: [{ name: x, type: text, label: X }]
`);
    const [a, b, c, f, r] = form.questions;
    expect(textLimitsOf(a!)).toEqual({ min: 0, max: 500 });
    expect(textLimitsOf(b!)).toEqual({ min: 0, max: 4000 });
    expect(textLimitsOf(c!)).toEqual({ min: 3, max: 50 });
    expect(fileRulesOf(f!)).toEqual({ accept: ["pdf", "docx", "jpg", "png"], maxSizeMb: 20 });
    expect(f).toEqual({ name: "f", type: "file", label: "F", required: true });
    expect(entryLabelOf(r!, 3)).toBe("Văn bản thứ 3");
  });

  it("accepts relevant expressions on earlier questions, in groups and in repeats", () => {
    const form = load(
      withExtra(`  - name: chi_tiet
    type: group
    label: Chi tiết
    relevant: \${co_doi_thoai} = true and \${so_cuoc} > 0
    questions:
      - name: van_de
        type: long_text
        label: Vấn đề chính
        relevant: \${muc_do} = 'kem' or selected(\${noi_dung}, 'b') or count-selected(\${noi_dung}) >= 2
  - name: cuoc
    type: repeat
    label: Cuộc đối thoại
    relevant: \${so_cuoc} > 0
    questions:
      - { name: ngay, type: date, label: Ngày }
      - { name: co_kien_nghi, type: yes_no, label: Có kiến nghị? }
      - name: kien_nghi
        type: long_text
        label: Kiến nghị
        relevant: \${co_kien_nghi} = true and \${co_doi_thoai} = true
`),
    );
    expect(form.questions).toHaveLength(6);
  });

  it("keeps the relevant text as written", () => {
    const form = load(withExtra(`  - { name: x, type: text, label: X, relevant: "\${so_cuoc}>0" }\n`));
    expect(form.questions[4]?.relevant).toBe("${so_cuoc}>0");
  });
});

describe("template form: refusals name the place", () => {
  it.each([
    [
      "a syntax error, with the character",
      `  - { name: x, type: text, label: X, relevant: "\${so_cuoc} >" }`,
      ["questions[4].relevant: biểu thức không hợp lệ ở ký tự thứ 13: biểu thức chưa kết thúc (thiếu vế sau hoặc dấu đóng ngoặc)"],
    ],
    [
      "an unknown question",
      `  - { name: x, type: text, label: X, relevant: "\${so_cuoc_hop} > 0" }`,
      ['questions[4].relevant: biểu thức không hợp lệ ở ký tự thứ 1: không có câu hỏi "so_cuoc_hop"'],
    ],
    [
      "a later question",
      `  - { name: x, type: text, label: X, relevant: "\${y} = 'a'" }\n  - { name: y, type: text, label: Y }`,
      ['questions[4].relevant: biểu thức không hợp lệ ở ký tự thứ 1: câu hỏi "y" nằm sau; relevant chỉ được dùng câu hỏi đứng trước'],
    ],
    [
      "the question itself",
      `  - { name: x, type: integer, label: X, relevant: "\${x} > 0" }`,
      ['questions[4].relevant: biểu thức không hợp lệ ở ký tự thứ 1: câu hỏi "x" không được tự tham chiếu chính nó'],
    ],
    [
      "a group's own question",
      `  - name: g
    type: group
    label: G
    relevant: "\${x} > 0"
    questions: [{ name: x, type: integer, label: X }]`,
      ['questions[4].relevant: biểu thức không hợp lệ ở ký tự thứ 1: câu hỏi "x" nằm sau; relevant chỉ được dùng câu hỏi đứng trước'],
    ],
    [
      "a note",
      `  - { name: n, type: note, label: Lưu ý }\n  - { name: x, type: text, label: X, relevant: "\${n} != ''" }`,
      ['questions[5].relevant: biểu thức không hợp lệ ở ký tự thứ 1: "n" là câu hỏi loại note, không có câu trả lời để dùng trong biểu thức'],
    ],
    [
      "a question inside a repeat, from outside",
      `  - name: r
    type: repeat
    label: R
    questions: [{ name: ten, type: text, label: Tên }]
  - { name: x, type: text, label: X, relevant: "\${ten} != ''" }`,
      ['questions[5].relevant: biểu thức không hợp lệ ở ký tự thứ 1: câu hỏi "ten" nằm trong repeat "r", chỉ dùng được từ bên trong repeat đó'],
    ],
    [
      "a choice the question does not have",
      `  - { name: x, type: text, label: X, relevant: "\${muc_do} = 'kha'" }`,
      ['questions[4].relevant: biểu thức không hợp lệ ở ký tự thứ 13: câu hỏi "muc_do" không có lựa chọn "kha"'],
    ],
    [
      "a choice in selected()",
      `  - { name: x, type: text, label: X, relevant: "selected(\${noi_dung}, 'c')" }`,
      ['questions[4].relevant: biểu thức không hợp lệ ở ký tự thứ 23: câu hỏi "noi_dung" không có lựa chọn "c"'],
    ],
    [
      "selected() on a question that is not a choice",
      `  - { name: x, type: text, label: X, relevant: "selected(\${so_cuoc}, '1')" }`,
      ['questions[4].relevant: biểu thức không hợp lệ ở ký tự thứ 10: selected() chỉ dùng cho câu hỏi chọn (select_one, select_multiple), "so_cuoc" không phải'],
    ],
    [
      "a bad expression deep inside a repeat",
      `  - name: r
    type: repeat
    label: R
    questions:
      - { name: a, type: integer, label: A }
      - { name: b, type: text, label: B, relevant: "\${a} > 0 and" }`,
      ["questions[4].questions[1].relevant: biểu thức không hợp lệ ở ký tự thứ 13: biểu thức chưa kết thúc (thiếu vế sau hoặc dấu đóng ngoặc)"],
    ],
  ])("refuses %s", (_what, extra, expected) => {
    expect(problems(withExtra(`${extra}\n`))).toEqual(expected);
  });

  it.each([
    ["a bad date", `{ name: d, type: date, label: D, constraint: { min_date: "31/12/2026" } }`, ['questions[0].constraint.min_date: ngày "31/12/2026" không hợp lệ; viết theo dạng YYYY-MM-DD, ví dụ 2026-09-15']],
    ["an impossible date", `{ name: d, type: date, label: D, constraint: { max_date: "2026-02-30" } }`, ['questions[0].constraint.max_date: ngày "2026-02-30" không hợp lệ; viết theo dạng YYYY-MM-DD, ví dụ 2026-09-15']],
    ["dates in the wrong order", `{ name: d, type: date, label: D, constraint: { min_date: "2026-12-31", max_date: "2026-01-01" } }`, ["questions[0].constraint.min_date: min_date không được lớn hơn max_date"]],
    ["a date range on a number", `{ name: d, type: integer, label: D, constraint: { min_date: "2026-01-01" } }`, ["questions[0].constraint: min_date, max_date chỉ dùng cho câu hỏi loại date"]],
    ["accept on a text", `{ name: t, type: text, label: T, accept: [pdf] }`, ["questions[0].accept: accept chỉ dùng cho câu hỏi loại file"]],
    ["an unknown file kind", `{ name: t, type: file, label: T, accept: [pdf, exe] }`, [expect.stringMatching(/^questions\[0\]\.accept\[1\]: giá trị "exe" không hợp lệ; chỉ được là: pdf, docx, doc, jpg, png/)]],
    ["an empty accept list", `{ name: t, type: file, label: T, accept: [] }`, ["questions[0].accept: phải có ít nhất 1 mục"]],
    ["too large a file limit", `{ name: t, type: file, label: T, max_size_mb: 100 }`, ["questions[0].max_size_mb: phải nhỏ hơn hoặc bằng 50"]],
    ["a zero file limit", `{ name: t, type: file, label: T, max_size_mb: 0 }`, [expect.stringMatching(/^questions\[0\]\.max_size_mb: /)]],
    ["entry_label outside a repeat", `{ name: t, type: text, label: T, entry_label: "Mục {n}" }`, ["questions[0].entry_label: entry_label chỉ dùng cho câu hỏi loại repeat"]],
    ["a text limit above the ceiling", `{ name: t, type: text, label: T, constraint: { max_length: 5000 } }`, ["questions[0].constraint.max_length: max_length không được quá 2000"]],
    ["a long text limit above the ceiling", `{ name: t, type: long_text, label: T, constraint: { max_length: 50000 } }`, ["questions[0].constraint.max_length: max_length không được quá 20000"]],
    ["a pattern that does not compile", `{ name: t, type: text, label: T, constraint: { pattern: "(ab" } }`, ["questions[0].constraint.pattern: biểu thức pattern không hợp lệ"]],
    ["hint_en empty", `{ name: t, type: text, label: T, hint_en: "  " }`, ["questions[0].hint_en: không được để trống"]],
  ])("refuses %s", (_what, question, expected) => {
    expect(problems(`questions:\n  - ${question}\n`)).toEqual(expected);
  });

  it("reports several problems at once, each at its place", () => {
    const out = problems(`questions:
  - { name: a, type: integer, label: A, relevant: "\${b} > 0" }
  - { name: b, type: integer, label: B, relevant: "\${a} >" }
  - { name: c, type: file, label: C, accept: [zip] }
`);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^questions\[2\]\.accept\[0\]: giá trị "zip" không hợp lệ/);
    // Once the shape is right, the expressions are checked.
    expect(
      problems(`questions:
  - { name: a, type: integer, label: A, relevant: "\${b} > 0" }
  - { name: b, type: integer, label: B, relevant: "\${a} >" }
`),
    ).toEqual([
      'questions[0].relevant: biểu thức không hợp lệ ở ký tự thứ 1: câu hỏi "b" nằm sau; relevant chỉ được dùng câu hỏi đứng trước',
      "questions[1].relevant: biểu thức không hợp lệ ở ký tự thứ 7: biểu thức chưa kết thúc (thiếu vế sau hoặc dấu đóng ngoặc)",
    ]);
  });
});
