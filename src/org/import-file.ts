// Reads an organisation import file from disk: YAML syntax, form_file
// includes, then the import schema. Every problem comes back as one
// Vietnamese line naming the place and, where known, the line in the file.
import { readFileSync } from "node:fs";
import { basename, dirname, resolve as resolvePath } from "node:path";
import { isNode, LineCounter, parseDocument, type Document } from "yaml";
import { flattenIssues, formatPath, vietnameseIssue } from "../forms/template-schema.ts";
import { vi } from "../texts/vi.ts";
import { importFileSchema, referenceProblems, type FormFileResult, type OrgImport } from "./import-schema.ts";

export type LoadResult = { ok: true; data: OrgImport } | { ok: false; problems: string[] };

interface ParsedYaml {
  doc: Document;
  lines: LineCounter;
  label: string;
}

/** Stands in the schema's issues for a form file whose own lines tell what is wrong with it. */
const BROKEN_FORM = "form file broken";

type YamlResult = { ok: true; yaml: ParsedYaml; value: unknown } | { ok: false; problems: string[]; missing?: true };

/** Loads and checks an import file; nothing touches the database. */
export function loadImportFile(path: string): LoadResult {
  const main = readYaml(path, basename(path));
  if (!main.ok) return { ok: false, problems: main.problems };
  const baseDir = dirname(resolvePath(path));
  const forms = new Map<string, ParsedYaml>();
  // Problems inside a form file keep their own file and line, one per line.
  const formProblems: string[] = [];

  const readForm = (rel: string): FormFileResult => {
    const file = resolvePath(baseDir, rel);
    const r = readYaml(file, rel);
    // A missing file is told where the import file names it; a broken one by its own lines.
    if (!r.ok && r.missing) return { ok: false, message: vi.importCli.fileNotFound(rel) };
    if (!r.ok) {
      formProblems.push(...r.problems);
      return { ok: false, message: BROKEN_FORM };
    }
    forms.set(rel, r.yaml);
    return { ok: true, value: r.value };
  };

  const parsed = importFileSchema({ readForm }).safeParse(main.value, { error: vietnameseIssue });
  if (parsed.success) return { ok: true, data: parsed.data };

  // A broken form file is told once, by its own YAML lines; and the cross
  // references (a role in an unknown unit) are checked even when the shape
  // has problems, so one run lists everything to fix.
  const issues = [
    ...flattenIssues(parsed.error.issues).filter((i) => i.message !== BROKEN_FORM),
    ...referenceProblems(main.value),
  ];
  const seen = new Set<string>();
  const problems = issues.flatMap((issue) => {
    const where = locate(issue.path, main.yaml, main.value, forms);
    const place = formatPath(issue.path);
    const at = where ? vi.importCli.at(place, where.file, where.line) : place;
    const line = at === "" ? issue.message : `${at}: ${issue.message}`;
    if (seen.has(line)) return [];
    seen.add(line);
    return [line];
  });
  return { ok: false, problems: [...problems, ...formProblems] };
}

function readYaml(file: string, label: string): YamlResult {
  let source: string;
  try {
    source = readFileSync(file, "utf8");
  } catch {
    return { ok: false, problems: [vi.importCli.fileNotFound(label)], missing: true };
  }
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return vi.importCli.yamlError(label, pos.line, pos.col, e.code);
      }),
    };
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return { ok: false, problems: [vi.importCli.emptyFile(label)] };
  return { ok: true, yaml: { doc, lines, label }, value };
}

/** The line of the deepest YAML node on the issue's path. */
function locate(
  path: readonly PropertyKey[],
  main: ParsedYaml,
  mainValue: unknown,
  forms: Map<string, ParsedYaml>,
): { file: string | null; line: number } | null {
  let target = main;
  let rest = path;
  const formAt = path.indexOf("form_file");
  if (formAt >= 0) {
    const rel = valueAt(mainValue, path.slice(0, formAt + 1));
    const form = typeof rel === "string" ? forms.get(rel) : undefined;
    if (form && path.length > formAt + 1) {
      target = form;
      rest = path.slice(formAt + 1);
    }
  }
  for (let n = rest.length; n >= 0; n--) {
    const node = target.doc.getIn(rest.slice(0, n), true);
    if (isNode(node) && node.range) {
      return { file: target === main ? null : target.label, line: target.lines.linePos(node.range[0]).line };
    }
  }
  return null;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let cur = value;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}
