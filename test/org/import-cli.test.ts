// The import command as the office runs it: a child process.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../support/db.ts";
import { exampleData, exampleFile, tempDir, writeYaml } from "./helpers.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
let t: TestDb;

beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t.cleanup();
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      "npx",
      ["tsx", "src/org/import-cli.ts", ...args],
      { cwd: root, env: { ...process.env, DATABASE_URL: t.url }, timeout: 60_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

describe("org:import command", () => {
  it("imports a good file, prints the codes and writes the CSV", async () => {
    const out = join(tempDir(), "moi.csv");
    const r = await cli([exampleFile, "--telegram-bot", "@baocao_tanphong_bot", "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Đã nhập tệp xa-tan-phong.yaml.");
    expect(r.stdout).toContain("Đơn vị:        17 mới, 0 cập nhật, 0 ngừng hoạt động");
    const codes = await t.db.prisma.invitation.findMany({ select: { code: true } });
    expect(codes).toHaveLength(35);
    for (const { code } of codes) {
      expect(r.stdout).toContain(`https://t.me/baocao_tanphong_bot?start=${code}`);
    }
    const csv = readFileSync(out, "utf8");
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain("Hoàng Văn Thành");
  }, 60_000);

  it("refuses a bad file with one clear Vietnamese line per problem and exit code 1", async () => {
    const data = exampleData();
    data.people[3]!.roles[0]!.unit = "CB-THON-9";
    const file = writeYaml(tempDir(), "sai.yaml", data);
    const r = await cli([file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toEqual([
      "Tệp có 1 lỗi, chưa nhập gì vào cơ sở dữ liệu:",
      expect.stringMatching(/^people\[3\]\.roles\[0\]\.unit \(dòng \d+\): không có đơn vị "CB-THON-9"$/),
    ]);
    expect(r.stderr).not.toMatch(/\bat \S+:\d+/);
  }, 60_000);

  it("explains a bad option without a stack trace", async () => {
    const r = await cli([exampleFile, "--ttl-days", "abc"]);
    expect(r.code).toBe(1);
    expect(r.stderr.split("\n")[0]).toBe("--ttl-days phải là số nguyên từ 1 đến 365.");
    expect(r.stderr).not.toMatch(/\bat \S+:\d+/);
  }, 60_000);
});
