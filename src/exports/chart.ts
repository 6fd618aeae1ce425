// Charts for the quarterly briefing, as PNG: an SVG drawn here, rendered by
// resvg with the DejaVu Sans files shipped in node_modules and no system
// fonts, so Vietnamese diacritics look the same on every server.
//
// A progress chart shows one horizontal bar per unit (stacked by state) and
// grows in height; past MAX_BARS the rest is summed up in one line ("… và N
// đơn vị khác") rather than paginated, because a chat message carries one
// picture and a briefing slide cannot hold more. Callers that want every unit
// chart per group, or sort the worst first.
import { createRequire } from "node:module";
import { Resvg } from "@resvg/resvg-js";
import { vi } from "../texts/vi.ts";
import { cleanText, stateLabel } from "./cells.ts";
import type { ChartSpec, StatusRow } from "./types.ts";

export { PNG_MIME } from "./types.ts";
export const CHART_WIDTH = 1200;
export const MAX_BARS = 40;

type State = StatusRow["state"];

/** Legend order: done first, then what is still open, then what is late. */
export const STATE_ORDER: readonly State[] = ["submitted_on_time", "submitted_late", "in_progress", "not_started", "overdue"];

const COLORS: Record<State, string> = {
  submitted_on_time: "#2e7d32",
  submitted_late: "#f9a825",
  in_progress: "#1e88e5",
  not_started: "#bdbdbd",
  overdue: "#c62828",
};

const FONT_FAMILY = "DejaVu Sans";
const require = createRequire(import.meta.url);
const FONT_FILES = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((f) => require.resolve(`dejavu-fonts-ttf/ttf/${f}`));

const t = vi.exports.chart;
// Cutting by grapheme keeps a letter and its diacritics together.
const graphemes = new Intl.Segmenter("vi", { granularity: "grapheme" });

export function escapeXml(text: string): string {
  return cleanText(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Long unit names are cut to fit the label column. There is no text
 * measurement here: the limit is for DejaVu Sans at 14 px, whose average
 * Vietnamese letter is under 8 px wide.
 */
function fit(text: string, maxChars: number): string {
  const s = text.normalize("NFC");
  const chars = Array.from(graphemes.segment(s), (g) => g.segment);
  return chars.length <= maxChars ? s : chars.slice(0, maxChars - 1).join("").trimEnd() + "…";
}

/** "85,7%": the Vietnamese decimal comma. */
export function percent(value: number, max: number): string {
  if (max <= 0) return "–";
  const p = Math.round((value / max) * 1000) / 10;
  return `${String(p).replace(".", ",")}%`;
}

function text(x: number, y: number, content: string, attrs = ""): string {
  return `<text x="${x}" y="${y}" ${attrs}>${escapeXml(content)}</text>`;
}

function header(spec: ChartSpec, legend: boolean): { svg: string; bottom: number } {
  const parts: string[] = [text(40, 44, fit(spec.title, 80), `font-size="24" font-weight="bold" fill="#212121"`)];
  let y = 44;
  if (spec.subtitle !== undefined && spec.subtitle !== "") {
    y += 30;
    parts.push(text(40, y, fit(spec.subtitle, 110), `font-size="16" fill="#616161"`));
  }
  if (legend) {
    y += 36;
    let x = 40;
    for (const state of STATE_ORDER) {
      parts.push(`<rect x="${x}" y="${y - 13}" width="16" height="16" rx="2" fill="${COLORS[state]}"/>`);
      const label = stateLabel(state);
      parts.push(text(x + 24, y, label, `font-size="15" fill="#212121"`));
      x += 24 + label.length * 9 + 36;
    }
  }
  return { svg: parts.join(""), bottom: y + 20 };
}

function svgDocument(height: number, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${height}" viewBox="0 0 ${CHART_WIDTH} ${height}" font-family="${FONT_FAMILY}">` +
    `<rect width="100%" height="100%" fill="#ffffff"/>${body}</svg>`
  );
}

const ROW = 28;
const BAR = 18;
const LABEL_RIGHT = 420;
const BAR_LEFT = 432;
const BAR_RIGHT = 1080;

function progressSvg(spec: ChartSpec): string {
  const head = header(spec, true);
  const shown = spec.bars.slice(0, MAX_BARS);
  const hidden = spec.bars.length - shown.length;
  const scale = Math.max(1, ...shown.map((b) => Math.max(b.max, b.value, (b.segments ?? []).reduce((s, x) => s + Math.max(0, x.count), 0))));
  const span = BAR_RIGHT - BAR_LEFT;
  const parts: string[] = [head.svg];
  let y = head.bottom + 10;

  if (shown.length === 0) {
    parts.push(text(40, y + 20, t.empty, `font-size="16" fill="#616161"`));
    y += 40;
  }
  for (const bar of shown) {
    const mid = y + ROW / 2;
    parts.push(text(LABEL_RIGHT, mid + 5, fit(bar.label, 50), `font-size="14" fill="#212121" text-anchor="end"`));
    // The unit's own total as a pale track, so a unit with fewer reports reads as such.
    parts.push(`<rect x="${BAR_LEFT}" y="${mid - BAR / 2}" width="${((Math.max(0, bar.max) / scale) * span).toFixed(2)}" height="${BAR}" fill="#eeeeee"/>`);
    let x = BAR_LEFT;
    const segments = bar.segments ?? [{ state: "submitted_on_time" as const, count: bar.value }];
    for (const state of STATE_ORDER) {
      const count = segments.filter((s) => s.state === state).reduce((s, x) => s + Math.max(0, x.count), 0);
      if (count === 0) continue;
      const w = (count / scale) * span;
      parts.push(`<rect x="${x.toFixed(2)}" y="${mid - BAR / 2}" width="${w.toFixed(2)}" height="${BAR}" fill="${COLORS[state]}"/>`);
      x += w;
    }
    const trackEnd = BAR_LEFT + (Math.max(0, bar.max) / scale) * span;
    parts.push(text(Math.max(x, trackEnd) + 8, mid + 5, `${bar.value}/${bar.max}`, `font-size="13" fill="#424242"`));
    y += ROW;
  }
  if (hidden > 0) {
    parts.push(text(LABEL_RIGHT, y + 22, t.more(hidden), `font-size="14" fill="#616161" text-anchor="end"`));
    y += 30;
  }
  return svgDocument(y + 24, parts.join(""));
}

const PLOT_TOP_GAP = 30;
const PLOT_HEIGHT = 380;
const PLOT_LEFT = 110;
const PLOT_RIGHT = 1160;

function onTimeSvg(spec: ChartSpec): string {
  const head = header(spec, false);
  const shown = spec.bars.slice(0, MAX_BARS);
  const hidden = spec.bars.length - shown.length;
  const top = head.bottom + PLOT_TOP_GAP;
  const bottom = top + PLOT_HEIGHT;
  const parts: string[] = [head.svg];

  parts.push(
    `<text transform="translate(32 ${(top + bottom) / 2}) rotate(-90)" font-size="14" fill="#616161" text-anchor="middle">${escapeXml(vi.exports.chart.onTimeAxis)}</text>`,
  );
  for (let p = 0; p <= 100; p += 20) {
    const y = bottom - (p / 100) * PLOT_HEIGHT;
    parts.push(`<line x1="${PLOT_LEFT}" y1="${y}" x2="${PLOT_RIGHT}" y2="${y}" stroke="${p === 0 ? "#9e9e9e" : "#e0e0e0"}" stroke-width="1"/>`);
    parts.push(text(PLOT_LEFT - 10, y + 5, `${p}%`, `font-size="13" fill="#616161" text-anchor="end"`));
  }
  if (shown.length === 0) parts.push(text((PLOT_LEFT + PLOT_RIGHT) / 2, (top + bottom) / 2, t.empty, `font-size="16" fill="#616161" text-anchor="middle"`));

  const slot = (PLOT_RIGHT - PLOT_LEFT) / Math.max(1, shown.length);
  const width = Math.min(90, slot * 0.6);
  // Narrow slots get smaller labels, cut shorter.
  const small = slot < 70;
  shown.forEach((bar, i) => {
    const cx = PLOT_LEFT + slot * (i + 0.5);
    const rate = bar.max > 0 ? Math.min(1, Math.max(0, bar.value / bar.max)) : 0;
    const h = rate * PLOT_HEIGHT;
    parts.push(`<rect x="${(cx - width / 2).toFixed(2)}" y="${(bottom - h).toFixed(2)}" width="${width.toFixed(2)}" height="${h.toFixed(2)}" fill="${COLORS.submitted_on_time}"/>`);
    parts.push(text(cx, bottom - h - 8, percent(bar.value, bar.max), `font-size="${small ? 11 : 15}" font-weight="bold" fill="#212121" text-anchor="middle"`));
    const labelChars = Math.max(4, Math.floor(slot / (small ? 6.5 : 8)));
    parts.push(text(cx, bottom + 22, fit(bar.label, labelChars), `font-size="${small ? 11 : 14}" fill="#212121" text-anchor="middle"`));
    parts.push(text(cx, bottom + 40, `${bar.value}/${bar.max}`, `font-size="${small ? 10 : 12}" fill="#757575" text-anchor="middle"`));
  });
  let end = bottom + 56;
  if (hidden > 0) {
    parts.push(text(PLOT_RIGHT, end + 8, t.morePeriods(hidden), `font-size="14" fill="#616161" text-anchor="end"`));
    end += 24;
  }
  return svgDocument(end + 12, parts.join(""));
}

/** The chart as SVG text (what renderChart rasterises). */
export function chartSvg(spec: ChartSpec): string {
  return spec.kind === "progress" ? progressSvg(spec) : onTimeSvg(spec);
}

/** The chart as a PNG, CHART_WIDTH pixels wide. */
export function renderChart(spec: ChartSpec): Buffer {
  const resvg = new Resvg(chartSvg(spec), {
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
    fitTo: { mode: "original" },
    background: "#ffffff",
  });
  return resvg.render().asPng();
}
