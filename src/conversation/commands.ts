// Words an official types while filling a report. Each works with or
// without the slash and with or without diacritics, because phone keyboards
// and Zalo (no native commands) make both common.

export type ReportCommand = "back" | "skip" | "progress" | "review" | "cancel" | "reports";

const words: Record<string, ReportCommand> = {
  quaylai: "back",
  back: "back",
  boqua: "skip",
  skip: "skip",
  tiendo: "progress",
  progress: "progress",
  xemlai: "review",
  review: "review",
  huy: "cancel",
  cancel: "cancel",
  baocao: "reports",
  report: "reports",
  reports: "reports",
  tieptuc: "reports",
};

/** Lower case, no diacritics, no spaces: "Quay lại" → "quaylai", "đ" → "d". */
export function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase()
    .replace(/\s+/g, "");
}

export function parseReportCommand(text: string): ReportCommand | undefined {
  const t = text.trim();
  if (t.length > 20) return undefined;
  const slash = t.startsWith("/");
  const body = fold(slash ? t.slice(1).replace(/@\w+$/, "") : t);
  const command = words[body];
  // Bare words count only for the navigation words, never for "report":
  // an answer such as "báo cáo" must stay an answer.
  if (!command) return undefined;
  if (!slash && command === "reports") return undefined;
  return command;
}
