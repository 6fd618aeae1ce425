// Charts are compared with golden PNGs committed under golden/. Rendering
// uses only the DejaVu files in node_modules, so the pixels should match on
// any machine; a small tolerance absorbs anti-aliasing differences between
// resvg builds. Regenerate with UPDATE_GOLDEN=1 after an intended change,
// look at the files, and commit them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pixelmatch from "pixelmatch";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { CHART_WIDTH, chartSvg, escapeXml, MAX_BARS, percent, renderChart } from "../../src/exports/chart.ts";
import type { ChartSpec } from "../../src/exports/types.ts";
import { onTimeSpec, progressSpec } from "./fixtures.ts";

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), "golden");
/** Share of pixels allowed to differ beyond pixelmatch's colour threshold. */
const TOLERANCE = 0.005;

function compareWithGolden(name: string, png: Buffer): void {
  const path = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(path, png);
  }
  if (!existsSync(path)) throw new Error(`golden ${path} is missing: run UPDATE_GOLDEN=1 npx vitest run test/exports/chart.test.ts, check the image, commit it`);
  const got = PNG.sync.read(png);
  const want = PNG.sync.read(readFileSync(path));
  expect({ width: got.width, height: got.height }).toEqual({ width: want.width, height: want.height });
  const diff = pixelmatch(got.data, want.data, undefined, got.width, got.height, { threshold: 0.1 });
  expect(diff / (got.width * got.height), `${diff} pixels differ from ${name}`).toBeLessThanOrEqual(TOLERANCE);
}

describe("renderChart", () => {
  it("draws the progress of each unit, stacked by state, capped with a closing line", () => {
    const png = renderChart(progressSpec);
    const img = PNG.sync.read(png);
    expect(img.width).toBe(CHART_WIDTH);
    // 40 rows of 28 px plus the title, legend and the "… và 5 đơn vị khác" line.
    expect(img.height).toBeGreaterThan(MAX_BARS * 28);
    expect(img.height).toBeLessThan(MAX_BARS * 28 + 300);
    compareWithGolden("progress.png", png);
  });

  it("draws the on-time rate per quarter with percentage labels", () => {
    const png = renderChart(onTimeSpec);
    const img = PNG.sync.read(png);
    expect(img.width).toBe(CHART_WIDTH);
    expect(img.height).toBeGreaterThan(400);
    expect(img.height).toBeLessThan(800);
    compareWithGolden("on-time-rate.png", png);
  });

  it("grows with the number of bars", () => {
    const height = (n: number) => PNG.sync.read(renderChart({ ...progressSpec, bars: progressSpec.bars.slice(0, n) })).height;
    expect(height(20) - height(10)).toBe(10 * 28);
    expect(height(MAX_BARS + 5)).toBe(height(MAX_BARS) + 30);
  });

  it("renders an empty chart", () => {
    for (const kind of ["progress", "on_time_rate"] as const) {
      const spec: ChartSpec = { kind, title: "Chưa có dữ liệu", bars: [] };
      expect(chartSvg(spec)).toContain("Chưa có số liệu.");
      expect(PNG.sync.read(renderChart(spec)).width).toBe(CHART_WIDTH);
    }
  });
});

describe("chart SVG", () => {
  it("escapes text for XML and says how many units are left out", () => {
    const svg = chartSvg(progressSpec);
    expect(svg).toContain("Chi bộ Công an xã &#60;Tân Phong&#62; &#38; &#34;Quân sự&#34;");
    expect(svg).not.toContain("<Tân Phong>");
    expect(svg).toContain("… và 5 đơn vị khác");
    expect(svg).toContain("40. ");
    expect(svg).not.toContain("41. ");
    for (const label of ["Đúng hạn", "Nộp muộn", "Đang làm", "Chưa bắt đầu", "Quá hạn"]) expect(svg).toContain(`>${label}</text>`);
  });

  it("labels the on-time rate with Vietnamese percentages", () => {
    const svg = chartSvg(onTimeSpec);
    expect(svg).toContain(">85,7%</text>");
    expect(svg).toContain(">92,9%</text>");
    expect(svg).toContain(">–</text>");
    expect(percent(1, 2)).toBe("50%");
    expect(percent(1, 0)).toBe("–");
  });

  it("drops characters XML cannot carry", () => {
    expect(escapeXml("a\u0001b & 'c'")).toBe("ab &#38; &#39;c&#39;");
  });
});
