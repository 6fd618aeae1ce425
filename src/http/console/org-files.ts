// The organisation upload's files, apart from HTTP: checked in a fresh
// temporary folder as `npm run org:import` checks them, and carried from the
// preview to the confirm step inside the form itself, so no state is kept
// on the server between the two.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, isAbsolute, join, resolve as resolvePath, sep } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { isNode, LineCounter, parseDocument } from "yaml";
import { formatPath } from "../../forms/template-schema.ts";
import { loadImportFile } from "../../org/import-file.ts";
import type { OrgImport } from "../../org/import-schema.ts";
import { vi } from "../../texts/vi.ts";
import { safeName, textOf, valuesOf, type Form } from "./posted-form.ts";

export interface Upload {
  /** As the browser sent it; checked by safeName before it names anything on disk. */
  name: string;
  bytes: Uint8Array;
}

export const uploadOf = async (f: File): Promise<Upload> => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) });

/** Fields of the confirm form: the main file and each form file it uses, gzip + base64. */
const CONFIRM = { mainName: "ten", main: "noidung", formName: "bm_ten", form: "bm_noidung" } as const;
/** More form files than any organisation has; bounds the work one request can ask for. */
const MAX_FORM_FILES = 100;

export type Checked =
  | { ok: true; data: OrgImport; main: Upload; used: Upload[]; unused: string[] }
  | { ok: false; problems: string[]; mainError?: string; formsError?: string };

/** The confirm form's hidden fields (name, value) for the files a preview checked. */
export function confirmFields(files: readonly Upload[]): [string, string][] {
  return files.flatMap((u, i): [string, string][] => {
    const [nameField, dataField] = i === 0 ? [CONFIRM.mainName, CONFIRM.main] : [CONFIRM.formName, CONFIRM.form];
    return [
      [nameField, u.name],
      [dataField, gzipSync(u.bytes).toString("base64")],
    ];
  });
}

/** The confirm form's files, or null when they are not what our own preview page wrote. */
export function decodeConfirm(form: Form, maxBytes: number): { main: Upload; forms: Upload[] } | null {
  const names = [textOf(form, CONFIRM.mainName), ...valuesOf(form, CONFIRM.formName)];
  const datas = [textOf(form, CONFIRM.main), ...valuesOf(form, CONFIRM.form)];
  if (names.length !== datas.length || names.length > MAX_FORM_FILES + 1) return null;
  const files: Upload[] = [];
  let total = 0;
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    const data = datas[i];
    if (typeof name !== "string" || typeof data !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(data)) return null;
    try {
      // Bounded: a crafted payload cannot unpack into more than an upload may hold.
      const bytes = new Uint8Array(gunzipSync(Buffer.from(data, "base64"), { maxOutputLength: Math.max(1, maxBytes - total) }));
      total += bytes.length;
      files.push({ name, bytes });
    } catch {
      return null;
    }
  }
  const [main, ...forms] = files;
  return main && main.name !== "" ? { main, forms } : null;
}

/**
 * Checks the files as `npm run org:import` would, in a fresh folder removed
 * afterwards: the organisation file at the top, and each form file where
 * the organisation file's form_file names it (by its last part, so
 * `form_file: forms/thang.yaml` takes the uploaded thang.yaml). A form_file
 * that would leave the folder is refused before anything reads it.
 */
export async function checkUpload(main: Upload | null, extras: Upload[]): Promise<Checked> {
  const t = vi.console.admin.import;
  if (!main) return { ok: false, problems: [t.noMainFile], mainError: t.noMainFile };
  const mainName = safeName(main.name);
  if (mainName === null) return { ok: false, problems: [t.badName(main.name)], mainError: t.badName(main.name) };
  if (extras.length > MAX_FORM_FILES) return { ok: false, problems: [t.tooManyFiles(MAX_FORM_FILES)], formsError: t.tooManyFiles(MAX_FORM_FILES) };
  const formErrors: string[] = [];
  const byName = new Map<string, Upload>();
  for (const e of extras) {
    const name = safeName(e.name);
    if (name === null) formErrors.push(t.badName(e.name));
    else if (name === mainName || byName.has(name)) formErrors.push(t.duplicateName(name));
    else byName.set(name, { name, bytes: e.bytes });
  }
  if (formErrors.length > 0) return { ok: false, problems: formErrors, formsError: formErrors.join(" ") };

  const dir = await mkdtemp(join(tmpdir(), "baocao-nhap-"));
  try {
    const mainPath = join(dir, mainName);
    await writeFile(mainPath, main.bytes);
    const problems: string[] = [];
    const used = new Map<string, Upload>();
    for (const ref of formFileRefs(Buffer.from(main.bytes).toString("utf8"))) {
      const place = formatPath(["templates", ref.index, "form_file"]);
      const where = ref.line === null ? place : vi.importCli.at(place, null, ref.line);
      const target = resolvePath(dir, ref.path);
      if (ref.path.includes("\0") || isAbsolute(ref.path) || !target.startsWith(dir + sep)) {
        problems.push(`${where}: ${t.unsafeFormFile(ref.path)}`);
        continue;
      }
      const upload = byName.get(basename(target).normalize("NFC"));
      if (!upload || target === mainPath) continue;
      try {
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, upload.bytes);
        used.set(upload.name, upload);
      } catch {
        problems.push(`${where}: ${t.cannotPlace(upload.name, ref.path)}`);
      }
    }
    // Nothing outside the folder is ever read: with a bad form_file the file is not loaded at all.
    if (problems.length > 0) return { ok: false, problems };
    const loaded = loadImportFile(mainPath);
    if (!loaded.ok) return { ok: false, problems: loaded.problems };
    return {
      ok: true,
      data: loaded.data,
      main: { name: mainName, bytes: main.bytes },
      used: [...byName.values()].filter((u) => used.has(u.name)),
      unused: [...byName.keys()].filter((n) => !used.has(n)),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Every templates[i].form_file of the file, as the import schema will see it, with its line. */
function formFileRefs(text: string): { index: number; path: string; line: number | null }[] {
  // The same options as loadImportFile: the same values come out.
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  // A file with YAML errors is refused before any form file is read.
  if (doc.errors.length > 0) return [];
  let value: unknown;
  try {
    value = doc.toJS();
  } catch {
    return [];
  }
  const templates = value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>).templates : undefined;
  if (!Array.isArray(templates)) return [];
  return templates.flatMap((tpl: unknown, index) => {
    const path = tpl !== null && typeof tpl === "object" ? (tpl as Record<string, unknown>).form_file : undefined;
    if (typeof path !== "string") return [];
    const node = doc.getIn(["templates", index, "form_file"], true);
    return [{ index, path, line: isNode(node) && node.range ? lines.linePos(node.range[0]).line : null }];
  });
}
