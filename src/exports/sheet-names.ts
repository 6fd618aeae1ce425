// Excel's sheet-name rules: at most 31 characters, none of : \ / ? * [ ],
// not starting or ending with an apostrophe, not "History", and unique
// without regard to case. Excel refuses to open a file that breaks them.

export const MAX_SHEET_NAME = 31;

function sanitize(name: string): string {
  const s = name
    .replace(/[:\\/?*[\]]/g, " ")
    // eslint-disable-next-line no-control-regex -- control characters are not allowed either
    .replace(/[\u0000-\u001F]/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^'+|'+$/g, "")
    .trim();
  return s === "" ? "Trang" : s;
}

/** At most `max` UTF-16 units (Excel's count), cut between code points so a surrogate pair is never split. */
function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  let out = "";
  for (const ch of s) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out.trimEnd().replace(/'+$/, "");
}

/**
 * Hands out valid, unique sheet names; a clash gets " (2)", " (3)"… within
 * the 31 characters. `keep` (e.g. a period label) is appended after cutting,
 * so it survives a long title.
 */
export function createSheetNamer(): (wanted: string, keep?: string) => string {
  const used = new Set<string>(["history"]);
  return (wanted, keep) => {
    const tail = keep === undefined ? "" : " " + sanitize(keep.normalize("NFC"));
    const base = cut(cut(sanitize(wanted.normalize("NFC")), MAX_SHEET_NAME - tail.length) + tail, MAX_SHEET_NAME);
    let name = base;
    for (let n = 2; used.has(name.toLocaleLowerCase("vi")); n++) {
      const suffix = ` (${n})`;
      name = cut(base, MAX_SHEET_NAME - suffix.length) + suffix;
    }
    used.add(name.toLocaleLowerCase("vi"));
    return name;
  };
}
