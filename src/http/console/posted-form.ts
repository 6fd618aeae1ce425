// Reading a posted console form: the fields and the chosen files, and the
// one check every uploaded file name passes before it names anything.
import type { ConsoleContext } from "./app.ts";

type FormValue = string | File;
export type Form = Record<string, FormValue | FormValue[]>;

export async function postedForm(c: ConsoleContext): Promise<Form> {
  // `all: true`, as the CSRF check parsed it: repeated fields come as arrays.
  return c.req.parseBody<{ all: true }, Form>({ all: true });
}

export const valuesOf = (form: Form, name: string): FormValue[] => {
  const v = form[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};

export const textOf = (form: Form, name: string): string => {
  const v = valuesOf(form, name)[0];
  return typeof v === "string" ? v : "";
};

/** The files chosen in a file input; a browser sends an empty part when none is. */
export const filesOf = (form: Form, name: string): File[] => valuesOf(form, name).filter((v): v is File => typeof v !== "string" && !(v.name === "" && v.size === 0));

/**
 * A plain file name: no folder part, no "." or ".." and nothing hidden,
 * no control characters. Anything else is refused, never cleaned up.
 */
export function safeName(raw: string): string | null {
  const name = raw.normalize("NFC");
  if (name.length === 0 || name.length > 200 || name.startsWith(".")) return null;
  for (const ch of name) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === "/" || ch === "\\" || code < 0x20 || code === 0x7f) return null;
  }
  return name;
}
