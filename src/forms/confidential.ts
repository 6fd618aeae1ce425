// Spotting state-secret markings ("MẬT", "TỐI MẬT", "TUYỆT MẬT") in what an
// official sends, so the bot can refuse it: secret content must never go
// through a chat app (officials have been fined for it).
//
// The word "mật" is also honey, bile, password, close, secret in everyday
// speech, and without diacritics "mat" is also mặt (face, front), mất (lost),
// mắt (eye), mát (cool). The rule refuses what looks like a marking and lets
// ordinary words through:
//
// Flagged
// - "tuyệt mật", "tối mật" with diacritics, in any case; "TUYET MAT",
//   "TOI MAT" without diacritics only in capitals ("toi mat" is "tôi mất").
// - "MẬT" in capitals as a word of its own in text that also has lower-case
//   letters (a stamp or a heading inside normal text).
// - A line that is only the marking ("MẬT", "Mật", "- TỐI MẬT -", "MAT").
// - A label with a level: "Độ mật: Mật", "ĐỘ MẬT: TỐI MẬT", "do mat: mat".
// - A document word followed by "mật": "tài liệu mật", "văn bản mật",
//   "hồ sơ mật", "công văn mật", "thông tin mật", "nội dung mật", "báo cáo
//   mật", "kế hoạch mật", "nghị quyết mật", "tin mật"...
// - Content said to be a state secret: "thuộc (danh mục) bí mật nhà nước",
//   "chứa bí mật nhà nước", "là bí mật nhà nước", "tài liệu / văn bản / hồ
//   sơ bí mật nhà nước".
// Not flagged
// - Compounds: mật khẩu, mật mã, mật ong, mật thiết, mật độ, mật ngọt,
//   mật danh, mật thư, bí mật, bảo mật, thân mật, cơ mật...
// - "bí mật" on its own ("giữ bí mật thông tin cá nhân") and the work area
//   "công tác bảo vệ bí mật nhà nước", which is a routine report heading.
// - "Độ mật" without a level ("xác định độ mật của văn bản").
// - An all-capitals text using MẬT inside a phrase not listed above ("NUÔI
//   ONG LẤY MẬT"): in capitals every word is upper case, so only the
//   listed phrases and stamp lines count there.
// Known false positive, accepted: a statistic such as "tiếp nhận 5 văn bản
// mật" is refused; the reply asks the official to phrase it differently.

export type Marking = "MẬT" | "TỐI MẬT" | "TUYỆT MẬT";

export interface ConfidentialFinding {
  marking: Marking;
  /** The words that triggered the finding, as written. */
  match: string;
}

const SEVERITY: Record<Marking, number> = { "MẬT": 1, "TỐI MẬT": 2, "TUYỆT MẬT": 3 };

const WORD = /[\p{L}\p{M}\p{N}]+/gu;

// Words that make "mật" part of an ordinary compound.
const COMPOUND_NEXT = new Set([
  "khẩu", "mã", "ong", "thiết", "độ", "ngọt", "gấu", "mía", "danh", "thám", "báo", "vụ", "lệnh", "ước", "thư", "đàm", "nghị", "tập", "ngữ", "hiệu", "sứ",
]);
const COMPOUND_PREV = new Set(["bí", "bảo", "thân", "cơ", "tiết", "mật", "túi", "lấy", "ngọt", "như"]);
// Document words; "mật" right after them qualifies the document.
const DOCUMENTS = [
  "tài liệu", "văn bản", "hồ sơ", "công văn", "thông tin", "nội dung", "báo cáo", "kế hoạch", "nghị quyết", "chỉ thị",
  "quyết định", "đề án", "phương án", "biên bản", "tin", "điện", "thư",
];
const STATE_SECRET_LEAD = ["thuộc", "chứa", "là", "tài liệu", "văn bản", "hồ sơ", "công văn"];

interface Token {
  text: string;
  lower: string;
  start: number;
  end: number;
}

function tokens(text: string): Token[] {
  return [...text.matchAll(WORD)].map((m) => ({ text: m[0], lower: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length }));
}

/** Finds a marking in a message or answer; the most severe one when there are several. */
export function detectConfidential(input: string): ConfidentialFinding | null {
  const text = input.normalize("NFC");
  const found: ConfidentialFinding[] = [];
  const add = (marking: Marking, match: string) => found.push({ marking, match });
  const hasLower = /\p{Ll}/u.test(text);
  const words = tokens(text);
  // Two words are one phrase only when nothing but spaces separates them.
  const joined = (a: Token | undefined, b: Token | undefined): boolean =>
    a !== undefined && b !== undefined && /^[^\S\n]+$/.test(text.slice(a.end, b.start));
  const phraseBefore = (i: number, phrase: string): boolean => {
    const parts = phrase.split(" ");
    for (let k = 0; k < parts.length; k++) {
      const w = words[i - parts.length + k];
      const after = words[i - parts.length + k + 1];
      if (w?.lower !== parts[k] || !joined(w, after)) return false;
    }
    return true;
  };

  words.forEach((w, i) => {
    const prev = words[i - 1];
    const next = words[i + 1];
    const prevJoined = joined(prev, w) ? prev : undefined;
    const nextJoined = joined(w, next) ? next : undefined;
    if (w.lower === "mật") {
      if (prevJoined?.lower === "tuyệt") return add("TUYỆT MẬT", text.slice(prevJoined.start, w.end));
      if (prevJoined?.lower === "tối") return add("TỐI MẬT", text.slice(prevJoined.start, w.end));
      if (nextJoined && COMPOUND_NEXT.has(nextJoined.lower)) return;
      if (prevJoined?.lower === "bí") {
        if (isStateSecret(i)) add("MẬT", text.slice(prevJoined.start, words[i + 2]?.end ?? w.end));
        return;
      }
      if (prevJoined && COMPOUND_PREV.has(prevJoined.lower)) return;
      const doc = DOCUMENTS.find((d) => phraseBefore(i, d));
      if (doc !== undefined) return add("MẬT", text.slice(words[i - doc.split(" ").length]?.start ?? w.start, w.end));
      if (w.text === "MẬT" && hasLower) return add("MẬT", w.text);
      return;
    }
    // Without diacritics only capitals count: "toi mat" is "tôi mất".
    if (w.text === "MAT") {
      if (prevJoined?.text === "TUYET") return add("TUYỆT MẬT", text.slice(prevJoined.start, w.end));
      if (prevJoined?.text === "TOI") return add("TỐI MẬT", text.slice(prevJoined.start, w.end));
    }
  });

  // "bí mật nhà nước" after "thuộc", "chứa", "là" or a document word, maybe with "danh mục" between.
  function isStateSecret(matIndex: number): boolean {
    const tail = [words[matIndex + 1], words[matIndex + 2]].map((x) => x?.lower).join(" ");
    if (tail !== "nhà nước") return false;
    let lead = matIndex - 1; // "bí"
    if (phraseBefore(lead, "danh mục")) lead -= 2;
    return STATE_SECRET_LEAD.some((p) => phraseBefore(lead, p));
  }

  for (const line of text.split("\n")) {
    const bare = line.replace(/^[\s\-–—*•[(\]).:]+|[\s\-–—*•[(\]).:]+$/gu, "").replace(/\s+/g, " ");
    const level = stampLevel(bare);
    if (level) add(level, bare);
  }

  const label = /(?<![\p{L}\p{N}])(độ|do)\s+(mật|mat)\s*[:：]\s*(tuyệt\s+mật|tối\s+mật|mật|tuyet\s+mat|toi\s+mat|mat)(?![\p{L}\p{N}])/giu;
  for (const m of text.matchAll(label)) {
    const diacritics = m[1]?.toLowerCase() === "độ" || m[2]?.toLowerCase() === "mật";
    const value = (m[3] ?? "").toLowerCase().replace(/\s+/g, " ");
    // "do mat: mat" without any diacritics must be in capitals to count.
    if (!diacritics && m[0] !== m[0].toUpperCase()) continue;
    add(value.startsWith("tuy") ? "TUYỆT MẬT" : value.startsWith("t") ? "TỐI MẬT" : "MẬT", m[0]);
  }

  return mostSevere(found);
}

function stampLevel(bare: string): Marking | null {
  const lower = bare.toLowerCase();
  if (lower === "mật" || bare === "MAT") return "MẬT";
  if (lower === "tối mật" || bare === "TOI MAT") return "TỐI MẬT";
  if (lower === "tuyệt mật" || bare === "TUYET MAT") return "TUYỆT MẬT";
  return null;
}

function mostSevere(found: ConfidentialFinding[]): ConfidentialFinding | null {
  let best: ConfidentialFinding | null = null;
  for (const f of found) if (!best || SEVERITY[f.marking] > SEVERITY[best.marking]) best = f;
  return best;
}

// File names: "MAT_baocao.pdf", "TOI-MAT ke hoach.docx", "Bao cao (MẬT).pdf".
// Words are split on _ - . and spaces. "MAT" in capitals and "mật" with
// diacritics count; "mat" in lower case does not (mặt, mất, mắt, mát), nor do
// compounds such as MAT_TRAN (Mặt trận), MAT_KHAU, BAO_MAT, BI_MAT.
const FILE_NEXT = new Set(["TRAN", "BANG", "HANG", "DUONG", "NUOC", "DAT", "TIEN", "TROI", "KHAU", "ONG", "THIET", "DO", "MA", "NA", "MAT"]);
const FILE_PREV = new Set(["BI", "BAO", "THAN", "CO", "MAT", "LAY"]);

/** Finds a marking in a file name; the most severe one when there are several. */
export function detectConfidentialFileName(fileName: string): ConfidentialFinding | null {
  const name = fileName.normalize("NFC").replace(/\.[A-Za-z0-9]{1,5}$/, "");
  const parts = name.split(/[\s_\-.()[\]{}+,]+/u).filter((p) => p !== "");
  const found: ConfidentialFinding[] = [];
  parts.forEach((p, i) => {
    const prev = parts[i - 1];
    const next = parts[i + 1];
    const isMat = p === "MAT" || p.toLowerCase() === "mật";
    if (!isMat) return;
    const prevUpper = prev === undefined ? undefined : plain(prev).toUpperCase();
    const prevIsWord = (w: string, marked: string) => prev !== undefined && (prev === w || prev.toLowerCase() === marked);
    if (prevIsWord("TUYET", "tuyệt")) return found.push({ marking: "TUYỆT MẬT", match: `${prev ?? ""} ${p}` });
    if (prevIsWord("TOI", "tối")) return found.push({ marking: "TỐI MẬT", match: `${prev ?? ""} ${p}` });
    if (next !== undefined && FILE_NEXT.has(plain(next).toUpperCase())) return;
    if (prevUpper !== undefined && FILE_PREV.has(prevUpper)) return;
    found.push({ marking: "MẬT", match: p });
  });
  const inText = detectConfidential(parts.join(" "));
  if (inText) found.push(inText);
  return mostSevere(found);
}

/** Without diacritics: "Khẩu" → "Khau". */
function plain(s: string): string {
  return s.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D");
}
