// Reads an organisation import file from disk: YAML syntax, form_file
// includes, then the import schema. Every problem comes back as one
// Vietnamese line naming the place and, where known, the line in the file.
import { readFileSync } from "node:fs";
import { basename, dirname, resolve as resolvePath } from "node:path";
import { isNode, LineCounter, parseDocument, type Document } from "yaml";
import { flattenIssues, formatPath, vietnameseIssue } from "../forms/template-schema.ts";
import { vi } from "../texts/vi.ts";
import { importFileSchema, type FormFileResult, type OrgImport } from "./import-schema.ts";

export type LoadResult = { ok: true; data: OrgImport } | { ok: false; problems: string[] };

interface ParsedYaml {
  doc: Document;
  lines: LineCounter;
  label: string;
}

type YamlResult = { ok: true; yaml: ParsedYaml; value: unknown } | { ok: false; problems: string[] };

/** Loads and checks an import file; nothing touches the database. */
export function loadImportFile(path: string): LoadResult {
  const main = readYaml(path, basename(path));
  if (!main.ok) return main;
  const baseDir = dirname(resolvePath(path));
  const forms = new Map<string, ParsedYaml>();
  // Problems inside a form file keep their own file and line, one per line.
  const formProblems: string[] = [];

  const readForm = (rel: string): FormFileResult => {
    const file = resolvePath(baseDir, rel);
    const r = readYaml(file, rel);
    if (!r.ok) {
      formProblems.push(...r.problems);
      return { ok: false, message: vi.importCli.formFileBroken(rel) };
    }
    forms.set(rel, r.yaml);
    return { ok: true, value: r.value };
  };

  const parsed = importFileSchema({ readForm }).safeParse(main.value, { error: vietnameseIssue });
  if (parsed.success) return { ok: true, data: parsed.data };

  const problems = flattenIssues(parsed.error.issues).map((issue) => {
    const where = locate(issue.path, main.yaml, main.value, forms);
    const place = formatPath(issue.path);
    const at = where ? vi.importCli.at(place, where.file, where.line) : place;
    return at === "" ? issue.message : `${at}: ${issue.message}`;
  });
  return { ok: false, problems: [...problems, ...formProblems] };
}

function readYaml(file: string, label: string): YamlResult {
  let source: string;
  try {
    source = readFileSync(file, "utf8");
  } catch {
    return { ok: false, problems: [vi.importCli.fileNotFound(label)] };
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
