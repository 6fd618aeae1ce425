import { describe, expect, it } from "vitest";
import {
  answerPath,
  flattenForm,
  formatQuestionPath,
  parseQuestionPath,
  questionByPath,
  scopedLookup,
} from "../../src/forms/paths.ts";
import { isRelevant } from "../../src/forms/relevant.ts";
import { parseTemplateForm } from "../../src/forms/template-schema.ts";

const form = parseTemplateForm({
  questions: [
    { name: "loi_dan", type: "note", label: "Lời dẫn" },
    { name: "ngay", type: "date", label: "Ngày báo cáo" },
    { name: "so_van_ban", type: "integer", label: "Số văn bản" },
    {
      name: "van_ban",
      type: "group",
      label: "Văn bản",
      relevant: "${so_van_ban} > 0",
      questions: [
        {
          name: "nghi_quyet",
          type: "repeat",
          label: "Nghị quyết",
          questions: [
            // Same name as the top-level question: inside the entry it wins.
            { name: "ngay", type: "date", label: "Ngày ban hành" },
            { name: "co_ket_qua", type: "yes_no", label: "Đã có kết quả?" },
            { name: "ket_qua", type: "long_text", label: "Kết quả", relevant: "${co_ket_qua} = true and ${ngay} >= '2026-01-01'" },
            {
              name: "tai_lieu",
              type: "repeat",
              label: "Tài liệu",
              relevant: "${co_ket_qua}",
              questions: [
                { name: "ten", type: "text", label: "Tên" },
                { name: "tom_tat", type: "text", label: "Tóm tắt", relevant: "${ten} != '' and ${so_van_ban} > 1" },
              ],
            },
          ],
        },
      ],
    },
    { name: "ghi_chu", type: "text", label: "Ghi chú", required: false },
  ],
});

describe("flattenForm", () => {
  it("lists every question in the order asked, with paths, scopes and places", () => {
    const flat = flattenForm(form);
    expect(flat.map((f) => f.path)).toEqual([
      "loi_dan",
      "ngay",
      "so_van_ban",
      "van_ban",
      "nghi_quyet",
      "nghi_quyet[].ngay",
      "nghi_quyet[].co_ket_qua",
      "nghi_quyet[].ket_qua",
      "nghi_quyet[].tai_lieu",
      "nghi_quyet[].tai_lieu[].ten",
      "nghi_quyet[].tai_lieu[].tom_tat",
      "ghi_chu",
    ]);
    expect(flat.map((f) => f.order)).toEqual(flat.map((_, i) => i));
    const ten = flat[9]!;
    expect(ten.repeats.map((r) => r.name)).toEqual(["nghi_quyet", "tai_lieu"]);
    expect(ten.containers.map((r) => r.name)).toEqual(["van_ban", "nghi_quyet", "tai_lieu"]);
    expect(ten.location).toEqual(["questions", 3, "questions", 0, "questions", 3, "questions", 0]);
    expect(answerPath(ten, [2, 0])).toBe("nghi_quyet[2].tai_lieu[0].ten");
  });
});

describe("paths", () => {
  it("parses and formats", () => {
    expect(parseQuestionPath("nghi_quyet[0].tai_lieu[12].ten")).toEqual([
      { name: "nghi_quyet", index: 0 },
      { name: "tai_lieu", index: 12 },
      { name: "ten" },
    ]);
    expect(parseQuestionPath("nghi_quyet[].ngay")).toEqual([{ name: "nghi_quyet" }, { name: "ngay" }]);
    for (const bad of ["", "a..b", "a[x].b", "1a", "a[0", "số"]) expect(parseQuestionPath(bad), bad).toBeNull();
    expect(formatQuestionPath([{ name: "a", index: 1 }, { name: "b" }])).toBe("a[1].b");
  });

  it("finds a question by path, with or without entry numbers", () => {
    expect(questionByPath(form, "so_van_ban")?.label).toBe("Số văn bản");
    expect(questionByPath(form, "ngay")?.label).toBe("Ngày báo cáo");
    expect(questionByPath(form, "nghi_quyet[0].ngay")?.label).toBe("Ngày ban hành");
    expect(questionByPath(form, "nghi_quyet[].ngay")?.label).toBe("Ngày ban hành");
    expect(questionByPath(form, "nghi_quyet[3].tai_lieu[1].tom_tat")?.label).toBe("Tóm tắt");
    expect(questionByPath(form, "nghi_quyet")?.type).toBe("repeat");
    // Groups are not part of paths.
    expect(questionByPath(form, "van_ban.nghi_quyet[0].ngay")).toBeUndefined();
    expect(questionByPath(form, "ten")).toBeUndefined();
    expect(questionByPath(form, "khong_co")).toBeUndefined();
  });
});

describe("scopedLookup and isRelevant", () => {
  const answers = {
    ngay: "2025-12-20",
    so_van_ban: 2,
    "nghi_quyet[0].ngay": "2026-02-01",
    "nghi_quyet[0].co_ket_qua": true,
    "nghi_quyet[1].ngay": "2025-11-01",
    "nghi_quyet[1].co_ket_qua": true,
    "nghi_quyet[2].co_ket_qua": false,
    "nghi_quyet[0].tai_lieu[0].ten": "Kế hoạch",
  };

  it("resolves a name to the sibling in the same entry first, then outer questions", () => {
    const inEntry = scopedLookup(form, answers, "nghi_quyet[1].ket_qua");
    expect(inEntry("ngay")).toBe("2025-11-01");
    expect(inEntry("co_ket_qua")).toBe(true);
    expect(inEntry("so_van_ban")).toBe(2);
    expect(inEntry("ten")).toBeUndefined();
    const deep = scopedLookup(form, answers, "nghi_quyet[0].tai_lieu[0].tom_tat");
    expect(deep("ten")).toBe("Kế hoạch");
    expect(deep("ngay")).toBe("2026-02-01");
    expect(scopedLookup(form, answers, "ghi_chu")("ngay")).toBe("2025-12-20");
    expect(scopedLookup(form, { ...answers, "nghi_quyet[0].ngay": "x" }, "nghi_quyet[0].ngay")(".")).toBe("x");
  });

  it("asks a question only when its own and its containers' conditions hold", () => {
    expect(isRelevant(form, answers, "so_van_ban")).toBe(true);
    expect(isRelevant(form, answers, "nghi_quyet[0].ket_qua")).toBe(true);
    // Same question, other entry: its date is before 2026.
    expect(isRelevant(form, answers, "nghi_quyet[1].ket_qua")).toBe(false);
    expect(isRelevant(form, answers, "nghi_quyet[2].ket_qua")).toBe(false);
    expect(isRelevant(form, answers, "nghi_quyet[0].tai_lieu[0].tom_tat")).toBe(true);
    expect(isRelevant(form, answers, "nghi_quyet[2].tai_lieu")).toBe(false);
    // The group around the repeat is skipped when no documents were issued.
    const none = { ...answers, so_van_ban: 0 };
    expect(isRelevant(form, none, "van_ban")).toBe(false);
    expect(isRelevant(form, none, "nghi_quyet[0].ngay")).toBe(false);
    expect(isRelevant(form, none, "nghi_quyet[0].tai_lieu[0].tom_tat")).toBe(false);
    expect(isRelevant(form, { so_van_ban: 1 }, "nghi_quyet[0].tai_lieu[0].tom_tat")).toBe(false);
    expect(isRelevant(form, answers, "khong_co")).toBe(false);
  });
});
