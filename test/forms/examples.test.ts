// The templates shipped in examples/ parse, use every kind of question, and
// their skip logic does what the office expects.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, onTestFinished } from "vitest";
import { parse } from "yaml";
import { parseAnswer } from "../../src/forms/answers.ts";
import { flattenForm, questionByPath } from "../../src/forms/paths.ts";
import { isRelevant } from "../../src/forms/relevant.ts";
import { loadImportFile } from "../../src/org/import-file.ts";
import { entryLabelOf, parseTemplateForm, questionTypes, type TemplateForm } from "../../src/forms/template-schema.ts";

const examples = fileURLToPath(new URL("../../examples/", import.meta.url));

function loadForm(file: string): TemplateForm {
  return parseTemplateForm(parse(readFileSync(`${examples}${file}`, "utf8")));
}

describe("examples/forms/cchc-quy.yaml", () => {
  const form = loadForm("forms/cchc-quy.yaml");
  const flat = flattenForm(form);

  it("uses every question type, with skip logic", () => {
    expect(new Set(flat.map((f) => f.question.type))).toEqual(new Set(questionTypes));
    expect(flat.filter((f) => f.question.relevant !== undefined).length).toBeGreaterThanOrEqual(8);
    expect(flat.map((f) => f.path)).toContain("nghi_quyet[].so_hieu");
  });

  it("asks about dialogues only when there were some", () => {
    expect(isRelevant(form, { co_doi_thoai: true }, "so_cuoc_doi_thoai")).toBe(true);
    expect(isRelevant(form, { co_doi_thoai: false }, "so_cuoc_doi_thoai")).toBe(false);
    expect(isRelevant(form, { co_doi_thoai: false }, "van_de_chinh")).toBe(false);
    expect(isRelevant(form, { tu_danh_gia: "chua_hoan_thanh" }, "ly_do_chua_hoan_thanh")).toBe(true);
    expect(isRelevant(form, { tu_danh_gia: "hoan_thanh_tot" }, "ly_do_chua_hoan_thanh")).toBe(false);
    expect(isRelevant(form, { so_thu_tuc_don_gian: 0, so_thu_tuc_moi: 2 }, "noi_dung_thu_tuc")).toBe(true);
    expect(isRelevant(form, { noi_dung_cai_tien: ["van_ban"] }, "so_hoa_van_ban")).toBe(true);
    expect(isRelevant(form, {}, "so_hoa_van_ban")).toBe(false);
  });

  it("lists documents one entry at a time, with a sibling condition inside the entry", () => {
    const repeat = questionByPath(form, "nghi_quyet")!;
    expect(entryLabelOf(repeat, 2)).toBe("Văn bản thứ 2");
    expect(isRelevant(form, { so_van_ban: 0 }, "nghi_quyet")).toBe(false);
    const answers = { so_van_ban: 3, "nghi_quyet[0].loai": "khac", "nghi_quyet[1].loai": "nghi_quyet" };
    expect(isRelevant(form, answers, "nghi_quyet[0].loai_khac")).toBe(true);
    expect(isRelevant(form, answers, "nghi_quyet[1].loai_khac")).toBe(false);
  });

  it("checks real answers", () => {
    const q = (path: string) => questionByPath(form, path)!;
    expect(parseAnswer(q("nghi_quyet[0].so_hieu"), "05-NQ/ĐU")).toEqual({ ok: true, value: "05-NQ/ĐU" });
    expect(parseAnswer(q("nghi_quyet[0].so_hieu"), "nghị quyết năm")).toEqual({
      ok: false,
      error: "Số, ký hiệu viết theo mẫu số-loại/cơ quan, ví dụ 05-NQ/ĐU.",
    });
    expect(parseAnswer(q("so_van_ban"), "501")).toEqual({ ok: false, error: "Số văn bản phải từ 0 đến 500." });
    expect(parseAnswer(q("ty_le_giai_quyet"), "85,5%")).toEqual({ ok: true, value: 85.5 });
    expect(parseAnswer(q("tu_danh_gia"), "2")).toEqual({ ok: true, value: "hoan_thanh_tot" });
    expect(parseAnswer(q("ban_ky"), { kind: "document", fileName: "bao_cao_cchc_q3.pdf" })).toMatchObject({ ok: true });
    expect(parseAnswer(q("ngay_hop_gan_nhat"), "14/9/2026")).toEqual({ ok: true, value: "2026-09-14" });
  });
});

describe("examples/forms/thang.yaml", () => {
  it("is a short monthly form", () => {
    const form = loadForm("forms/thang.yaml");
    expect(form.questions.length).toBeGreaterThanOrEqual(5);
    expect(form.questions.length).toBeLessThanOrEqual(7);
    expect(isRelevant(form, { co_hoat_dong_noi_bat: false }, "hoat_dong_noi_bat")).toBe(false);
  });
});

describe("examples/xa-tan-phong.yaml", () => {
  const file = parse(readFileSync(`${examples}xa-tan-phong.yaml`, "utf8")) as {
    templates: { code: string; form?: unknown; form_file?: string }[];
  };

  it("has an inline form and refers to the shipped form files", () => {
    const inline = file.templates.find((t) => t.form !== undefined);
    const form = parseTemplateForm(inline?.form);
    expect(isRelevant(form, { co_vu_viec: true }, "vu_viec")).toBe(true);
    expect(isRelevant(form, { co_vu_viec: false }, "vu_viec")).toBe(false);
    expect(file.templates.map((t) => t.form_file).filter((f) => f !== undefined)).toEqual(["forms/cchc-quy.yaml", "forms/thang.yaml"]);
  });
});

describe("the organisation import", () => {
  it("names the file, line and character of a bad relevant", () => {
    const dir = mkdtempSync(join(tmpdir(), "baocao-forms-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    cpSync(examples, dir, { recursive: true });
    const formFile = join(dir, "forms/cchc-quy.yaml");
    writeFileSync(formFile, readFileSync(formFile, "utf8").replace("relevant: ${tu_danh_gia} = 'chua_hoan_thanh'", "relevant: ${tu_danh_gia} = 'chua_hoan_thanh"));
    const main = join(dir, "xa-tan-phong.yaml");
    writeFileSync(main, readFileSync(main, "utf8").replace("relevant: ${co_vu_viec} = true", "relevant: ${co_vu_viec} = ${tinh_hinh_chung}"));
    const r = loadImportFile(main);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      expect.stringMatching(
        /^templates\[0\]\.form_file\.questions\[5\]\.questions\[4\]\.relevant \(forms\/cchc-quy\.yaml, dòng \d+\): biểu thức không hợp lệ ở ký tự thứ 18: thiếu dấu nháy đóng chuỗi$/,
      ),
      expect.stringMatching(
        /^templates\[1\]\.form\.questions\[4\]\.relevant \(dòng \d+\): biểu thức không hợp lệ ở ký tự thứ 17: câu hỏi "tinh_hinh_chung" nằm sau; relevant chỉ được dùng câu hỏi đứng trước$/,
      ),
    ]);
  });
});
