import { describe, expect, it } from "vitest";
import { parseTemplateForm } from "../../src/forms/template-schema.ts";
import { firstOpen, missingRequired, moreId, notesBefore, previousAsk, progress, steps } from "../../src/conversation/walker.ts";
import { parseReportCommand } from "../../src/conversation/commands.ts";

const form = parseTemplateForm({
  questions: [
    { name: "intro", type: "note", label: "Lời dẫn" },
    { name: "co_hop", type: "yes_no", label: "Có họp không?" },
    { name: "so_cuoc", type: "integer", label: "Số cuộc họp", relevant: "${co_hop} = true" },
    {
      name: "vb",
      type: "repeat",
      label: "Văn bản",
      entry_label: "Văn bản thứ {n}",
      constraint: { min: 1, max: 2 },
      questions: [
        { name: "so_hieu", type: "text", label: "Số hiệu" },
        { name: "loai", type: "select_one", label: "Loại", choices: [{ value: "nq", label: "Nghị quyết" }, { value: "khac", label: "Khác" }] },
        { name: "ghi_ro", type: "text", label: "Ghi rõ", relevant: "${loai} = 'khac'" },
      ],
    },
    { name: "de_xuat", type: "long_text", label: "Đề xuất", required: false },
  ],
});

const ids = (answers: Record<string, unknown>) => steps(form, answers).map((s) => s.id);

describe("the steps of a form", () => {
  it("hides questions whose condition is not met, and shows them when it is", () => {
    expect(ids({})).toEqual(["intro", "co_hop", "vb[0].so_hieu", "vb[0].loai", moreId("vb"), "de_xuat"]);
    expect(ids({ co_hop: true })).toContain("so_cuoc");
    expect(ids({ "vb[0].loai": "khac" })).toContain("vb[0].ghi_ro");
  });

  it("opens repeat entries one at a time, up to the maximum", () => {
    expect(ids({ vb: { count: 2, closed: false } })).toEqual([
      "intro", "co_hop", "vb[0].so_hieu", "vb[0].loai", "vb[1].so_hieu", "vb[1].loai", "de_xuat",
    ]);
    expect(ids({ vb: { count: 1, closed: true } })).not.toContain(moreId("vb"));
  });

  it("finds the first open question, the previous one, notes and progress", () => {
    const answers = { co_hop: false, "vb[0].so_hieu": "05-NQ/ĐU" };
    const all = steps(form, answers);
    expect(firstOpen(all, answers)?.id).toBe("vb[0].loai");
    expect(previousAsk(all, "vb[0].loai")?.id).toBe("vb[0].so_hieu");
    expect(previousAsk(all, "co_hop")).toBeUndefined();
    expect(notesBefore(all, "co_hop").map((s) => s.id)).toEqual(["intro"]);
    expect(progress(all, "vb[0].loai", answers)).toEqual({ index: 3, total: 4, answered: 2 });
  });

  it("counts a skipped optional question as answered, a required one as missing", () => {
    const answers = { co_hop: false, "vb[0].so_hieu": "x", "vb[0].loai": "nq", vb: { count: 1, closed: true }, de_xuat: null };
    const all = steps(form, answers);
    expect(firstOpen(all, answers)).toBeUndefined();
    expect(missingRequired(all, answers)).toEqual([]);
    expect(missingRequired(all, { ...answers, co_hop: null }).map((s) => s.id)).toEqual(["co_hop"]);
  });
});

describe("words typed while filling a report", () => {
  it.each([
    ["/quaylai", "back"],
    ["Quay lại", "back"],
    ["quay lai", "back"],
    ["/boqua", "skip"],
    ["Bỏ qua", "skip"],
    ["/tiendo", "progress"],
    ["/xemlai", "review"],
    ["/huy", "cancel"],
    ["Hủy", "cancel"],
    ["/baocao", "reports"],
    ["/baocao@baocao_bot", "reports"],
  ])("%s means %s", (text, command) => {
    expect(parseReportCommand(text)).toBe(command);
  });

  it.each(["báo cáo", "3", "Quay lại họp vào tuần sau để thống nhất", "/help"])("%s is not a command", (text) => {
    expect(parseReportCommand(text)).toBeUndefined();
  });
});
