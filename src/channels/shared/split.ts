// Splits a long text into parts of at most `max` UTF-16 units (the unit both
// platforms count in). Cuts prefer a line break, then a space, and never fall
// inside a surrogate pair. The separator stays at the end of the earlier part,
// so parts.join("") === text: nothing is lost.
export function splitText(text: string, max: number): string[] {
  if (max < 2) throw new Error("splitText: max must be at least 2");
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf("\n", max - 1) + 1;
    if (cut === 0) cut = lastSpace(rest, max) + 1;
    if (cut === 0) {
      cut = max;
      if (isHighSurrogate(rest.charCodeAt(cut - 1))) cut -= 1;
    }
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

function lastSpace(s: string, max: number): number {
  for (let i = max - 1; i > 0; i--) {
    const c = s.charCodeAt(i);
    if (c === 0x20 || c === 0x09) return i;
  }
  return -1;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
