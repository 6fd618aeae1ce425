// /xuat (/export) and /bieudo (/chart): the committee's data as a file.
// The builders (src/exports) are passed in, so this module does not depend
// on exceljs or resvg, and tests may pass their own.
import type { CommitteeCommand } from "./registry.ts";
import { toLocalDate } from "../calendar/dates.ts";
import type { ChartSpec, ExportData } from "../exports/types.ts";
import { vi } from "../texts/vi.ts";
import { parseArgs } from "./args.ts";
import { committeeCommand, narrowRoots, Refusal, takeTemplate } from "./guard.ts";
import { chartData, exportData } from "./export.ts";
import { CSV_MIME, PNG_MIME, XLSX_MIME, ZIP_MIME } from "../exports/types.ts";
import { zip } from "../exports/zip.ts";

/** The signatures of src/exports' builders. */
export interface Exporters {
  buildWorkbook(data: ExportData): Promise<Uint8Array>;
  /** The status, each template's answers and the questions, one CSV file each. */
  buildCsvFiles(data: ExportData): { name: string; text: string }[];
  renderChart(spec: ChartSpec): Uint8Array | Promise<Uint8Array>;
}

/** Telegram bots may send documents up to 50 MB; stay well under it. */
export const MAX_FILE_BYTES = 45 * 1024 * 1024;

export function exportCommand(exporters: Exporters | undefined): CommitteeCommand {
  return committeeCommand(["xuat", "export"], async (ctx) => {
    const t = vi.committee.export;
    if (!exporters) throw new Refusal(t.unavailable, "no-exporter");
    const parsed = parseArgs(ctx.args, ["csv"]);
    const { templateId, rest } = await takeTemplate(ctx.tx, parsed.words);
    const { roots, title } = await narrowRoots(ctx, rest);
    const data = await exportData(
      ctx.tx,
      { roots, scopeTitle: title, viewerId: ctx.person.id, ...(parsed.period && { period: parsed.period }), ...(templateId !== undefined && { templateId }) },
      ctx.now,
    );
    if (data.slices.length === 0) throw new Refusal(vi.committee.nothing, "nothing");
    const slug = data.slices.length === 1 ? data.slices[0]!.periodKey : toLocalDate(ctx.now);
    const periods = [...new Set(data.slices.map((s) => s.periodLabel))].join(", ");
    const file = parsed.flags.has("csv") ? csvFile(exporters.buildCsvFiles(data), slug, ctx.now) : { fileName: t.fileName(slug, "xlsx"), mimeType: XLSX_MIME, data: await exporters.buildWorkbook(data) };
    if (file.data.byteLength > MAX_FILE_BYTES) throw new Refusal(t.tooLarge, "too-large");
    return [{ text: t.caption(data.status.length, periods), file }];
  });
}

/** One CSV as it is; several (the status, the answers, the questions) in one ZIP, since a message carries one file. */
export function csvFile(files: { name: string; text: string }[], slug: string, now: Date): { fileName: string; mimeType: string; data: Uint8Array } {
  const t = vi.committee.export;
  const encode = (text: string) => new TextEncoder().encode(text);
  if (files.length === 1) return { fileName: t.fileName(slug, "csv"), mimeType: CSV_MIME, data: encode(files[0]!.text) };
  return { fileName: t.fileName(slug, "csv.zip"), mimeType: ZIP_MIME, data: zip(files.map((f) => ({ name: f.name, data: encode(f.text) })), now) };
}

export function chartCommand(exporters: Exporters | undefined): CommitteeCommand {
  return committeeCommand(["bieudo", "chart"], async (ctx) => {
    const t = vi.committee.chart;
    if (!exporters) throw new Refusal(vi.committee.export.unavailable, "no-exporter");
    const parsed = parseArgs(ctx.args);
    const { templateId, rest } = await takeTemplate(ctx.tx, parsed.words);
    const { roots, title } = await narrowRoots(ctx, rest);
    const spec = await chartData(ctx.tx, { roots, scopeTitle: title, ...(parsed.period && { period: parsed.period }), ...(templateId !== undefined && { templateId }) }, ctx.now);
    if (spec.bars.length === 0) throw new Refusal(vi.committee.nothing, "nothing");
    const png = await exporters.renderChart(spec);
    const slug = parsed.period === undefined ? toLocalDate(ctx.now) : parsed.period.kind === "year" ? String(parsed.period.year) : parsed.period.key;
    return [{ text: t.caption(spec.subtitle === undefined ? spec.title : `${spec.title} (${spec.subtitle})`), file: { fileName: `bieudo-${slug}.png`, mimeType: PNG_MIME, data: png } }];
  });
}
