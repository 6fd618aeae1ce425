import { describe, expect, it } from "vitest";
import { FormError, parseTemplateForm } from "../../src/forms/template-schema.ts";

function problems(input: unknown): string[] {
  try {
    parseTemplateForm(input);
  } catch (err) {
    if (err instanceof FormError) return err.problems;
    throw err;
  }
  throw new Error("expected the form to be refused");
}

describe("template form schema", () => {
  it("parses a form with every kind of question and fills in defaults", () => {
    const form = parseTemplateForm({
      questions: [
        { name: "intro", type: "note", label: "  Lời dẫn  " },
        { name: "so_van_ban", type: "integer", label: "Số văn bản", constraint: { min: 0, max: 100 } },
        { name: "ty_le", type: "decimal", label: "Tỷ lệ", required: false },
        { name: "ngay", type: "date", label: "Ngày họp" },
        { name: "co", type: "yes_no", label: "Có không?" },
        { name: "muc_do", type: "select_one", label: "Mức độ", choices: [{ value: 1, label: "Thấp" }, { value: "2", label: "Cao" }] },
        { name: "noi_dung", type: "select_multiple", label: "Nội dung", choices: [{ value: "a", label: "A" }] },
        { name: "tep", type: "file", label: "Tệp", required: false },
        {
          name: "danh_gia",
          type: "group",
          label: "Đánh giá",
          questions: [{ name: "ket_qua", type: "long_text", label: "Kết quả", constraint: { min_length: 5, pattern: "^\\S" } }],
        },
        {
          name: "nghi_quyet",
          type: "repeat",
          label: "Nghị quyết",
          questions: [
            // A repeat opens its own scope: "ngay" may be reused inside it.
            { name: "ngay", type: "date", label: "Ngày ban hành" },
            { name: "so_hieu", type: "text", label: "Số hiệu", label_en: "Number", hint: "Ví dụ 12-NQ/ĐU" },
          ],
        },
        { name: "chi_tiet", type: "text", label: "Chi tiết", relevant: "${co} = true" },
      ],
    });
    const byName = new Map(form.questions.map((q) => [q.name, q]));
    expect(byName.get("intro")).toEqual({ name: "intro", type: "note", label: "Lời dẫn", required: false });
    expect(byName.get("so_van_ban")?.required).toBe(true);
    expect(byName.get("ty_le")?.required).toBe(false);
    expect(byName.get("danh_gia")?.required).toBe(false);
    expect(byName.get("nghi_quyet")?.required).toBe(true);
    expect(byName.get("muc_do")?.choices).toEqual([
      { value: "1", label: "Thấp" },
      { value: "2", label: "Cao" },
    ]);
    expect(byName.get("danh_gia")?.questions?.[0]?.required).toBe(true);
    expect(byName.get("chi_tiet")?.relevant).toBe("${co} = true");
  });

  it("normalises decomposed Vietnamese to NFC", () => {
    const decomposed = "Số văn bản".normalize("NFD");
    const form = parseTemplateForm({ questions: [{ name: "a", type: "text", label: decomposed }] });
    expect(form.questions[0]?.label).toBe("Số văn bản".normalize("NFC"));
  });

  it.each([
    [{}, ["questions: thiếu trường bắt buộc"]],
    [{ questions: [] }, ["questions: phải có ít nhất 1 mục"]],
    [{ questions: [{ name: "a", type: "txt", label: "A" }] }, [expect.stringMatching(/^questions\[0\]\.type: giá trị "txt" không hợp lệ; chỉ được là: text, long_text/)]],
    [{ questions: [{ name: "a", type: "text" }] }, ["questions[0].label: thiếu trường bắt buộc"]],
    [{ questions: [{ name: "a", type: "text", label: "   " }] }, ["questions[0].label: không được để trống"]],
    [{ questions: [{ name: "số", type: "text", label: "A" }] }, [expect.stringMatching(/^questions\[0\]\.name: chỉ được dùng chữ cái không dấu/)]],
    [{ questions: [{ name: "a", type: "text", label: "A", lable: "x" }] }, [expect.stringContaining('questions[0]: trường không được hỗ trợ: "lable"')]],
    [{ questions: [{ name: "a", type: "select_one", label: "A" }] }, ["questions[0].choices: câu hỏi chọn (select_one, select_multiple) phải có danh sách choices"]],
    [
      { questions: [{ name: "a", type: "text", label: "A", choices: [{ value: "x", label: "X" }] }] },
      ["questions[0].choices: câu hỏi loại text không dùng choices"],
    ],
    [
      { questions: [{ name: "a", type: "select_one", label: "A", choices: [{ value: "x", label: "X" }, { value: "x", label: "Y" }] }] },
      ['questions[0].choices[1].value: giá trị lựa chọn "x" bị trùng'],
    ],
    [{ questions: [{ name: "g", type: "group", label: "G" }] }, ["questions[0].questions: nhóm (group, repeat) phải có danh sách questions"]],
    [
      {
        questions: [
          { name: "a", type: "text", label: "A" },
          { name: "g", type: "group", label: "G", questions: [{ name: "a", type: "integer", label: "B" }] },
        ],
      },
      ['questions[1].questions[0].name: tên câu hỏi "a" bị trùng trong cùng phạm vi'],
    ],
    [{ questions: [{ name: "a", type: "integer", label: "A", required: "có" }] }, ["questions[0].required: phải là true hoặc false, không phải chữ"]],
    [{ questions: [{ name: "a", type: "integer", label: "A", constraint: { min: 5, max: 1 } }] }, ["questions[0].constraint.min: min không được lớn hơn max"]],
    [{ questions: [{ name: "a", type: "text", label: "A", constraint: { pattern: "([" } }] }, ["questions[0].constraint.pattern: biểu thức pattern không hợp lệ"]],
    [
      { questions: [{ name: "a", type: "integer", label: "A", constraint: { max_length: 5 } }] },
      ["questions[0].constraint: min_length, max_length và pattern chỉ dùng cho câu hỏi loại text hoặc long_text"],
    ],
  ])("refuses %j with a clear message", (input, expected) => {
    expect(problems(input)).toEqual(expected);
  });
});
