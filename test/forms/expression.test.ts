import { describe, expect, it } from "vitest";
import { evaluate, evaluateBoolean, ExpressionError, parseExpression, referencedNames, type Lookup } from "../../src/forms/expression.ts";

function lookupOf(answers: Record<string, unknown>): Lookup {
  return (name) => answers[name];
}

function run(src: string, answers: Record<string, unknown> = {}) {
  return evaluate(parseExpression(src), lookupOf(answers));
}

function holds(src: string, answers: Record<string, unknown> = {}) {
  return evaluateBoolean(parseExpression(src), lookupOf(answers));
}

function errorOf(src: string): ExpressionError {
  try {
    parseExpression(src);
  } catch (err) {
    if (err instanceof ExpressionError) return err;
    throw err;
  }
  throw new Error(`expected "${src}" to be refused`);
}

describe("parseExpression", () => {
  it("builds a tree with positions", () => {
    expect(parseExpression("${a} = 'x' and not(${b})")).toEqual({
      kind: "binary",
      op: "and",
      pos: 0,
      left: {
        kind: "binary",
        op: "=",
        pos: 0,
        left: { kind: "ref", name: "a", pos: 0 },
        right: { kind: "literal", value: "x", pos: 7 },
      },
      right: { kind: "call", fn: "not", pos: 15, args: [{ kind: "ref", name: "b", pos: 19 }] },
    });
  });

  it("binds and tighter than or, comparison tighter than and, as in XPath", () => {
    // a or (b and c): true or (false and false)
    expect(holds("${a} = 1 or ${b} = 1 and ${c} = 1", { a: 1, b: 0, c: 0 })).toBe(true);
    expect(holds("(${a} = 1 or ${b} = 1) and ${c} = 1", { a: 1, b: 0, c: 0 })).toBe(false);
    expect(run("1 + 2 * 3")).toBe(7);
    expect(run("(1 + 2) * 3")).toBe(9);
    expect(run("7 mod 4 + 10 div 4")).toBe(5.5);
    expect(run("-${a} + 1", { a: 3 })).toBe(-2);
  });

  it("lists referenced names once, in order", () => {
    expect(referencedNames(parseExpression("${b} > ${a} and selected(${c}, 'x') or ${b} = 2"))).toEqual(["b", "a", "c"]);
    expect(referencedNames(parseExpression(". > 3"))).toEqual([]);
  });

  it("accepts spacing inside references, double quotes, == and bare true/false", () => {
    expect(holds('${ a } == "x"', { a: "x" })).toBe(true);
    expect(holds("${a} = true", { a: true })).toBe(true);
    expect(holds("${a} = true()", { a: false })).toBe(false);
  });

  it.each([
    ["", 0, "biểu thức trống"],
    ["   ", 0, "biểu thức trống"],
    ["${a} =", 6, "biểu thức chưa kết thúc"],
    ["${a} = 'x", 7, "thiếu dấu nháy đóng chuỗi"],
    ["$a = 1", 0, "tham chiếu phải viết dạng ${ten_cau_hoi}"],
    ["${a = 1", 0, "tham chiếu phải viết dạng"],
    ["${số} = 1", 0, "tham chiếu phải viết dạng"],
    ["(${a} = 1", 9, 'thiếu ")"'],
    ["${a} = 1)", 8, 'không hiểu ")"'],
    ["${a} & ${b}", 5, 'ký tự "&" không dùng được'],
    ["${a} = yes", 7, "\"yes\" không phải từ khóa; câu hỏi phải viết dạng ${yes}, chuỗi đặt trong nháy đơn 'yes'"],
    ["count(${a}) > 1", 0, "không có hàm count(); chỉ dùng được: not, selected, count-selected, string-length, if, true, false"],
    ["selected(${a})", 0, "hàm selected() cần 2 tham số"],
    ["not(${a}, ${b})", 0, "hàm not() cần 1 tham số"],
    ["${a} = 1 ${b} = 2", 9, 'không hiểu "${b}"'],
    ["and ${a}", 0, 'không hiểu "and"'],
  ])("refuses %j at position %i", (src, position, detail) => {
    const err = errorOf(src);
    expect(err.position).toBe(position);
    expect(err.detail).toContain(detail);
    // The message counts characters from 1, as people do.
    expect(err.message).toContain(`ký tự thứ ${position + 1}:`);
  });
});

describe("evaluate", () => {
  it("treats unanswered as empty text, like XLSForm", () => {
    expect(holds("${a} != ''")).toBe(false);
    expect(holds("${a} = ''")).toBe(true);
    expect(holds("${a} != ''", { a: null })).toBe(false);
    expect(holds("${a} != ''", { a: "x" })).toBe(true);
    expect(holds("${a} != ''", { a: 0 })).toBe(true);
    // Comparisons with an empty number are false both ways.
    expect(holds("${a} > 3")).toBe(false);
    expect(holds("${a} <= 3")).toBe(false);
    expect(run("${a} + 1")).toBeNaN();
  });

  it("compares numbers as numbers and text as text", () => {
    expect(holds("${n} > 3", { n: 12 })).toBe(true);
    expect(holds("${n} > '3'", { n: 12 })).toBe(true);
    expect(holds("${n} = 12", { n: "12" })).toBe(true);
    expect(holds("${s} = 'Hà Nội'", { s: "Hà Nội" })).toBe(true);
    expect(holds("${s} = 'ha noi'", { s: "Hà Nội" })).toBe(false);
    expect(holds("${x} >= ${y}", { x: 5, y: 5 })).toBe(true);
    expect(holds("${x} < ${y}", { x: 10, y: 9 })).toBe(false);
  });

  it("compares ISO dates in calendar order", () => {
    expect(holds("${d} < '2026-10-01'", { d: "2026-09-15" })).toBe(true);
    expect(holds("${d} >= ${e}", { d: "2026-09-15", e: "2026-09-16" })).toBe(false);
  });

  it("reads yes/no answers against booleans and yes/no words", () => {
    for (const src of ["${c}", "${c} = true", "${c} = true()", "${c} = 'yes'", "${c} = 'true'", "${c} = 1", "${c} != 'no'"]) {
      expect(holds(src, { c: true }), src).toBe(true);
      expect(holds(src, { c: false }), src).toBe(false);
    }
    // Unanswered is neither yes nor no: "= false" holds as in XPath, but "= true" does not.
    expect(holds("${c} = true")).toBe(false);
    expect(holds("not(${c})", { c: false })).toBe(true);
  });

  it("handles select_multiple answers with selected, count-selected and equality", () => {
    const a = { m: ["le_loi", "van_ban"] };
    expect(holds("selected(${m}, 'van_ban')", a)).toBe(true);
    expect(holds("selected(${m}, 'ket_nap')", a)).toBe(false);
    expect(holds("selected(${m}, 'van_ban')", {})).toBe(false);
    expect(run("count-selected(${m})", a)).toBe(2);
    expect(run("count-selected(${m})", {})).toBe(0);
    // XLSForm's space-separated form is understood too.
    expect(holds("selected(${m}, 'b')", { m: "a b c" })).toBe(true);
    expect(run("count-selected(${m})", { m: "a b c" })).toBe(3);
    expect(holds("${m} = 'le_loi van_ban'", a)).toBe(true);
    // select_one: selected is equality.
    expect(holds("selected(${o}, 'tot')", { o: "tot" })).toBe(true);
  });

  it("measures text in characters, Vietnamese included", () => {
    expect(run("string-length(${t})", { t: "Đảng ủy" })).toBe(7);
    expect(run("string-length(${t})", { t: "Đảng ủy".normalize("NFC") })).toBe(7);
    expect(run("string-length(${t})")).toBe(0);
    expect(holds("string-length(${t}) >= 10", { t: "ngắn" })).toBe(false);
  });

  it("evaluates if(), and/or with short circuit, and the current answer", () => {
    expect(run("if(${a} > 1, 'nhiều', 'ít')", { a: 2 })).toBe("nhiều");
    expect(run("if(${a} > 1, 'nhiều', 'ít')", { a: 1 })).toBe("ít");
    const seen: string[] = [];
    const lookup: Lookup = (name) => {
      seen.push(name);
      return name === "a" ? "" : 5;
    };
    expect(evaluateBoolean(parseExpression("${a} != '' and ${b} > 3"), lookup)).toBe(false);
    expect(seen).toEqual(["a"]);
    expect(holds(". >= 0 and . <= ${max}", { ".": 7, max: 10 })).toBe(true);
  });

  it("sees a file answer as present", () => {
    expect(holds("${f} != ''", { f: { kind: "document", format: "pdf", fileName: "bc.pdf" } })).toBe(true);
    expect(holds("${f} != ''", { f: { kind: "photo", format: "jpg" } })).toBe(true);
  });

  it("returns the plain value of a lone reference", () => {
    expect(run("${m}", { m: ["a", "b"] })).toBe("a b");
    expect(run("${n}", { n: 4 })).toBe(4);
    expect(run("${n}")).toBe("");
  });
});
