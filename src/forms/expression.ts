// XLSForm-style expressions (`relevant`, later constraints): a small
// recursive-descent parser and a tree-walking evaluator. Template files are
// written by office staff, so nothing here ever reaches eval or Function.
//
// Grammar, loosest binding first (as in XPath 1.0):
//   or → and → (= | != | ==) → (< | <= | > | >=) → (+ | -) → (* | div | mod) → unary - → primary
//   primary: ${name} | . | 'text' | "text" | number | true | false | name(args) | ( expr )
import { vi } from "../texts/vi.ts";

export type BinaryOp = "or" | "and" | "=" | "!=" | "<" | "<=" | ">" | ">=" | "+" | "-" | "*" | "div" | "mod";

export const functionArity = {
  not: 1,
  selected: 2,
  "count-selected": 1,
  "string-length": 1,
  if: 3,
  true: 0,
  false: 0,
} as const;
export type FunctionName = keyof typeof functionArity;

/** `pos` is the 0-based offset of the node's first character in the source. */
export type Expr =
  | { kind: "literal"; value: string | number | boolean; pos: number }
  | { kind: "ref"; name: string; pos: number }
  /** `.`: the answer being checked (constraints). */
  | { kind: "current"; pos: number }
  | { kind: "negate"; operand: Expr; pos: number }
  | { kind: "binary"; op: BinaryOp; left: Expr; right: Expr; pos: number }
  | { kind: "call"; fn: FunctionName; args: Expr[]; pos: number };

export type Value = boolean | number | string;

/**
 * Answers by question name, already resolved to the right repeat entry by the
 * caller (see `scopedLookup` in paths.ts). `"."` asks for the current answer.
 * undefined and null mean unanswered; arrays are select_multiple answers.
 */
export type Lookup = (name: string) => unknown;

export class ExpressionError extends Error {
  override name = "ExpressionError";
  /**
   * @param position 0-based offset into the source where the problem is.
   * @param detail Vietnamese explanation, without the position.
   */
  constructor(
    readonly position: number,
    readonly detail: string,
  ) {
    super(vi.forms.template.badExpression(position + 1, detail));
  }
}

// ───────── tokens ─────────

type Token =
  | { t: "ref"; name: string; pos: number }
  | { t: "dot"; pos: number }
  | { t: "str"; value: string; pos: number }
  | { t: "num"; value: number; pos: number }
  | { t: "word"; value: string; pos: number }
  | { t: "op"; value: string; pos: number }
  | { t: "end"; pos: number };

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const WORD = /[A-Za-z][A-Za-z0-9_-]*/y;
const NUMBER = /\d+(\.\d+)?|\.\d+/y;
const OPERATORS = ["!=", "<=", ">=", "==", "=", "<", ">", "+", "-", "*", "(", ")", ","];

function tokenize(src: string): Token[] {
  const e = vi.forms.expression;
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src.charAt(i);
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "$") {
      const close = src.indexOf("}", i);
      const name = close === -1 ? "" : src.slice(i + 2, close).trim();
      if (src.charAt(i + 1) !== "{" || close === -1 || !NAME.test(name)) throw new ExpressionError(i, e.badRef);
      tokens.push({ t: "ref", name, pos: i });
      i = close + 1;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const close = src.indexOf(ch, i + 1);
      if (close === -1) throw new ExpressionError(i, e.unterminatedString);
      tokens.push({ t: "str", value: src.slice(i + 1, close), pos: i });
      i = close + 1;
      continue;
    }
    NUMBER.lastIndex = i;
    const num = NUMBER.exec(src);
    if (num) {
      tokens.push({ t: "num", value: Number(num[0]), pos: i });
      i += num[0].length;
      continue;
    }
    if (ch === ".") {
      tokens.push({ t: "dot", pos: i });
      i++;
      continue;
    }
    WORD.lastIndex = i;
    const word = WORD.exec(src);
    if (word) {
      // "a-b" reads as one word (count-selected); keywords never end in "-".
      tokens.push({ t: "word", value: word[0], pos: i });
      i += word[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (op === undefined) throw new ExpressionError(i, e.unexpectedChar(ch));
    tokens.push({ t: "op", value: op, pos: i });
    i += op.length;
  }
  tokens.push({ t: "end", pos: src.length });
  return tokens;
}

// ───────── parser ─────────

const LEVELS: readonly (readonly string[])[] = [["or"], ["and"], ["=", "!=", "=="], ["<", "<=", ">", ">="], ["+", "-"], ["*", "div", "mod"]];

/** Parses an expression; throws ExpressionError with the position of the problem. */
export function parseExpression(src: string): Expr {
  const e = vi.forms.expression;
  const tokens = tokenize(src);
  let at = 0;
  const peek = (): Token => tokens[at] ?? { t: "end", pos: src.length };
  const next = (): Token => {
    const tok = peek();
    at++;
    return tok;
  };
  const opOf = (tok: Token): string | undefined => (tok.t === "op" || tok.t === "word" ? tok.value : undefined);
  const unexpected = (tok: Token): ExpressionError =>
    tok.t === "end" ? new ExpressionError(tok.pos, e.unexpectedEnd) : new ExpressionError(tok.pos, e.unexpectedToken(src.slice(tok.pos, tokenEnd(tok)).trimEnd()));
  const tokenEnd = (tok: Token): number => (tokens[tokens.indexOf(tok) + 1]?.pos ?? src.length);
  const expect = (value: string): void => {
    const tok = next();
    if (opOf(tok) !== value) throw tok.t === "end" ? new ExpressionError(tok.pos, e.expected(value)) : unexpected(tok);
  };

  const binary = (level: number): Expr => {
    const ops = LEVELS[level];
    if (ops === undefined) return unary();
    let left = binary(level + 1);
    for (;;) {
      const op = opOf(peek());
      if (op === undefined || !ops.includes(op)) return left;
      next();
      const right = binary(level + 1);
      left = { kind: "binary", op: op === "==" ? "=" : (op as BinaryOp), left, right, pos: left.pos };
    }
  };

  const unary = (): Expr => {
    const tok = peek();
    if (tok.t === "op" && tok.value === "-") {
      next();
      return { kind: "negate", operand: unary(), pos: tok.pos };
    }
    return primary();
  };

  const primary = (): Expr => {
    const tok = next();
    switch (tok.t) {
      case "ref":
        return { kind: "ref", name: tok.name, pos: tok.pos };
      case "dot":
        return { kind: "current", pos: tok.pos };
      case "str":
        return { kind: "literal", value: tok.value, pos: tok.pos };
      case "num":
        return { kind: "literal", value: tok.value, pos: tok.pos };
      case "op":
        if (tok.value !== "(") throw unexpected(tok);
        {
          const inner = binary(0);
          expect(")");
          return inner;
        }
      case "word":
        return word(tok.value, tok.pos);
      case "end":
        throw unexpected(tok);
    }
  };

  const word = (name: string, pos: number): Expr => {
    const isCall = opOf(peek()) === "(";
    // XLSForm writes true() and false(); people also write bare true/false.
    if (!isCall && (name === "true" || name === "false")) return { kind: "literal", value: name === "true", pos };
    if (!isCall) throw new ExpressionError(pos, LEVELS.flat().includes(name) ? e.unexpectedToken(name) : e.bareName(name));
    if (!Object.hasOwn(functionArity, name)) throw new ExpressionError(pos, e.unknownFunction(name, Object.keys(functionArity)));
    const fn = name as FunctionName;
    next();
    const args: Expr[] = [];
    if (opOf(peek()) !== ")") {
      args.push(binary(0));
      while (opOf(peek()) === ",") {
        next();
        args.push(binary(0));
      }
    }
    expect(")");
    if (args.length !== functionArity[fn]) throw new ExpressionError(pos, e.wrongArgCount(fn, functionArity[fn]));
    return { kind: "call", fn, args, pos };
  };

  if (tokens.length === 1) throw new ExpressionError(0, e.empty);
  const expr = binary(0);
  const rest = peek();
  if (rest.t !== "end") throw unexpected(rest);
  return expr;
}

/** Every `${name}` the expression uses, in order of first use. */
export function referencedNames(expr: Expr): string[] {
  const names: string[] = [];
  walk(expr, (node) => {
    if (node.kind === "ref" && !names.includes(node.name)) names.push(node.name);
  });
  return names;
}

/** Visits every node, parents first. */
export function walk(expr: Expr, visit: (node: Expr) => void): void {
  visit(expr);
  switch (expr.kind) {
    case "negate":
      walk(expr.operand, visit);
      break;
    case "binary":
      walk(expr.left, visit);
      walk(expr.right, visit);
      break;
    case "call":
      for (const arg of expr.args) walk(arg, visit);
      break;
    default:
      break;
  }
}

// ───────── evaluator ─────────

// What a looked-up answer becomes inside an expression. Unanswered is "",
// as in XLSForm; a select_multiple answer stays a list for selected().
export type Operand = Value | readonly string[];

function fromAnswer(raw: unknown): Operand {
  if (raw === undefined || raw === null) return "";
  if (typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean") return raw;
  if (Array.isArray(raw)) return raw.map((x) => String(x));
  // A file answer: only whether it is there matters.
  if (typeof raw === "object") {
    const name = (raw as { fileName?: unknown }).fileName;
    return typeof name === "string" && name !== "" ? name : "file";
  }
  return "";
}

const YES_WORDS = new Set(["true", "yes", "1", "có"]);
const NO_WORDS = new Set(["false", "no", "0", "không", ""]);

/**
 * XPath turns any non-empty string into true, so `${co} = 'no'` would hold for
 * a "yes" answer. Template writers mean the words, so yes/no words count as
 * their meaning; other text is true when not empty.
 */
export function toBoolean(v: Operand): boolean {
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0 && !Number.isNaN(v);
  if (typeof v === "string") {
    const s = v.trim().toLowerCase();
    if (YES_WORDS.has(s)) return true;
    if (NO_WORDS.has(s)) return false;
    return true;
  }
  return v.length > 0;
}

/** Empty or non-numeric text is NaN, so comparisons with it are false (XPath). */
export function toNumber(v: Operand): number {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  const s = (typeof v === "string" ? v : v.join(" ")).trim();
  return /^-?(\d+(\.\d*)?|\.\d+)$/.test(s) ? Number(s) : Number.NaN;
}

export function toText(v: Operand): string {
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  return v.join(" ");
}

function items(v: Operand): string[] {
  if (Array.isArray(v)) return [...(v as readonly string[])];
  const s = toText(v).trim();
  return s === "" ? [] : s.split(/\s+/);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function equals(a: Operand, b: Operand): boolean {
  if (typeof a === "boolean" || typeof b === "boolean") return toBoolean(a) === toBoolean(b);
  if (typeof a === "number" || typeof b === "number") return toNumber(a) === toNumber(b);
  return toText(a) === toText(b);
}

function compare(op: "<" | "<=" | ">" | ">=", a: Operand, b: Operand): boolean {
  let x: number | string = toNumber(a);
  let y: number | string = toNumber(b);
  // Dates are ISO strings, which order correctly as text.
  if (typeof a === "string" && typeof b === "string" && ISO_DATE.test(a) && ISO_DATE.test(b)) {
    x = a;
    y = b;
  } else if (Number.isNaN(x) || Number.isNaN(y)) {
    return false;
  }
  switch (op) {
    case "<":
      return x < y;
    case "<=":
      return x <= y;
    case ">":
      return x > y;
    case ">=":
      return x >= y;
  }
}

function arithmetic(op: "+" | "-" | "*" | "div" | "mod", a: number, b: number): number {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "div":
      return a / b;
    case "mod":
      return a % b;
  }
}

function operand(expr: Expr, lookup: Lookup): Operand {
  switch (expr.kind) {
    case "literal":
      return expr.value;
    case "ref":
      return fromAnswer(lookup(expr.name));
    case "current":
      return fromAnswer(lookup("."));
    case "negate":
      return -toNumber(operand(expr.operand, lookup));
    case "binary": {
      const { op } = expr;
      // and/or short-circuit, so a guard like `${n} != '' and ${n} > 3` is cheap and safe.
      if (op === "and") return toBoolean(operand(expr.left, lookup)) && toBoolean(operand(expr.right, lookup));
      if (op === "or") return toBoolean(operand(expr.left, lookup)) || toBoolean(operand(expr.right, lookup));
      const a = operand(expr.left, lookup);
      const b = operand(expr.right, lookup);
      if (op === "=") return equals(a, b);
      if (op === "!=") return !equals(a, b);
      if (op === "<" || op === "<=" || op === ">" || op === ">=") return compare(op, a, b);
      return arithmetic(op, toNumber(a), toNumber(b));
    }
    case "call":
      return call(expr.fn, expr.args, lookup);
  }
}

function call(fn: FunctionName, args: Expr[], lookup: Lookup): Operand {
  const arg = (i: number): Operand => {
    const a = args[i];
    return a === undefined ? "" : operand(a, lookup);
  };
  switch (fn) {
    case "not":
      return !toBoolean(arg(0));
    case "true":
      return true;
    case "false":
      return false;
    case "selected":
      return items(arg(0)).includes(toText(scalar(arg(1))));
    case "count-selected":
      return items(arg(0)).length;
    case "string-length":
      return Array.from(toText(scalar(arg(0)))).length;
    case "if":
      return toBoolean(arg(0)) ? arg(1) : arg(2);
  }
}

function scalar(v: Operand): Value {
  return Array.isArray(v) ? (v as readonly string[]).join(" ") : (v as Value);
}

/** Evaluates a parsed expression against the answers. Never throws. */
export function evaluate(expr: Expr, lookup: Lookup): Value {
  return scalar(operand(expr, lookup));
}

/** For `relevant`: whether the question is asked. */
export function evaluateBoolean(expr: Expr, lookup: Lookup): boolean {
  return toBoolean(operand(expr, lookup));
}
