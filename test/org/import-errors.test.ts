// Invalid import files: one clear Vietnamese line per problem, naming the
// place (and line), and nothing written to the database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../support/db.ts";
import { run } from "../../src/org/import-cli.ts";
import { loadImportFile } from "../../src/org/import-file.ts";
import { exampleData, exampleFile, findUnit, snapshot, tempDir, writeYaml, type ExampleFile } from "./helpers.ts";

let t: TestDb;
let dir: string;

beforeAll(async () => {
  t = await createTestDb();
  dir = tempDir();
  expect(await cli([exampleFile])).toMatchObject({ code: 0 });
});
afterAll(async () => {
  await t.cleanup();
});

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { DATABASE_URL: t.url }, (s) => out.push(s), (s) => err.push(s));
  return { code, out, err };
}

function problemsOf(file: string): string[] {
  const r = loadImportFile(file);
  if (r.ok) throw new Error("expected the file to be refused");
  return r.problems;
}

function variant(change: (d: ExampleFile) => void): string {
  const d = exampleData();
  change(d);
  return writeYaml(dir, `v${String(Math.random()).slice(2)}.yaml`, d);
}

describe("invalid import files", () => {
  it("names an unknown unit in a role, with its line, and changes nothing", async () => {
    const file = variant((d) => {
      d.people[3]!.roles[0]!.unit = "CB-THON-9";
    });
    const before = await snapshot(t.db.prisma);
    const r = await cli([file]);
    expect(r.code).toBe(1);
    expect(r.err[0]).toBe("Tệp có 1 lỗi, chưa nhập gì vào cơ sở dữ liệu:");
    expect(r.err[1]).toMatch(/^people\[3\]\.roles\[0\]\.unit \(dòng \d+\): không có đơn vị "CB-THON-9"$/);
    expect(r.err).toHaveLength(2);
    expect(await snapshot(t.db.prisma)).toEqual(before);
  });

  it.each<[string, (d: ExampleFile) => void, (string | RegExp)[]]>([
    [
      "duplicate unit code",
      (d) => {
        findUnit(d.units, "CB-CONG-AN")!.code = "CB-QUAN-SU";
      },
      [
        /^units\[0\]\.children\[8\]\.code \(dòng \d+\): mã đơn vị "CB-QUAN-SU" bị trùng \(đã dùng ở units\[0\]\.children\[7\]\)$/,
        // The people of the renamed unit now point at a unit that is gone.
        /^people\[18\]\.roles\[0\]\.unit \(dòng \d+\): không có đơn vị "CB-CONG-AN"$/,
        /^people\[19\]\.roles\[0\]\.unit \(dòng \d+\): không có đơn vị "CB-CONG-AN"$/,
      ],
    ],
    [
      "duplicate person code",
      (d) => {
        d.people[1]!.code = d.people[0]!.code;
      },
      [
        /^people\[1\]\.code \(dòng \d+\): mã cán bộ "hoangvanthanh" bị trùng \(đã dùng ở people\[0\]\)$/,
        // The renamed person's place on the standing board now names nobody.
        /^bodies\[0\]\.members\[1\]\.person \(dòng \d+\): không có cán bộ "nguyenthihuong"$/,
      ],
    ],
    [
      "cycle through parent",
      (d) => {
        d.units.push({ code: "A", name: "Đơn vị A", kind: "OTHER", parent: "B" }, { code: "B", name: "Đơn vị B", kind: "OTHER", parent: "A" });
      },
      [/^units\[1\]\.parent \(dòng \d+\): cây đơn vị bị vòng lặp: A → B → A$/],
    ],
    [
      "unknown parent",
      (d) => {
        d.units.push({ code: "A", name: "Đơn vị A", kind: "OTHER", parent: "KHONG-CO" });
      },
      [/^units\[1\]\.parent \(dòng \d+\): không có đơn vị "KHONG-CO"$/],
    ],
    [
      "bad enum value",
      (d) => {
        d.units[0]!.kind = "CHI_BO";
      },
      [/^units\[0\]\.kind \(dòng \d+\): giá trị "CHI_BO" không hợp lệ; chỉ được là: COMMITTEE, PARTY_ORG, AGENCY, FRONT, MASS_ORG, OTHER$/],
    ],
    [
      "bad role",
      (d) => {
        d.people[0]!.roles[0]!.role = "BI_THU";
      },
      [/^people\[0\]\.roles\[0\]\.role \(dòng \d+\): giá trị "BI_THU" không hợp lệ; chỉ được là: REPORTER, HEAD, COMMITTEE_MEMBER, OFFICE$/],
    ],
    [
      "missing field",
      (d) => {
        delete (d.people[2] as { name?: string }).name;
      },
      [/^people\[2\]\.name \(dòng \d+\): thiếu trường bắt buộc$/],
    ],
    [
      "misspelt key",
      (d) => {
        (d.units[0] as unknown as Record<string, unknown>).chilren = [];
      },
      [/^units\[0\] \(dòng \d+\): trường không được hỗ trợ: "chilren" \(kiểm tra lỗi chính tả\)$/],
    ],
    [
      "template targets an unknown unit",
      (d) => {
        (d.templates[1] as unknown as { units: string[] }).units = ["CB-THON-TAN-LAP", "CB-THON-99"];
      },
      [/^templates\[1\]\.units\[1\] \(dòng \d+\): không có đơn vị "CB-THON-99"$/],
    ],
    [
      "template subtree with no matching unit",
      (d) => {
        (d.templates[0] as unknown as { units: unknown }).units = { under: "CB-THON-TAN-LAP", kinds: ["PARTY_ORG"] };
      },
      [/^templates\[0\]\.units \(dòng \d+\): không có đơn vị nào dưới "CB-THON-TAN-LAP" khớp điều kiện/],
    ],
    [
      "template subtree with a bad key",
      (d) => {
        (d.templates[0] as unknown as { units: unknown }).units = { under: "DU-XA-TAN-PHONG", kind: ["PARTY_ORG"] };
      },
      [/^templates\[0\]\.units \(dòng \d+\): trường không được hỗ trợ: "kind"/],
    ],
    [
      "form without choices",
      (d) => {
        d.templates[1]!.form!.questions.push({ name: "muc_do", type: "select_one", label: "Mức độ" });
      },
      [/^templates\[1\]\.form\.questions\[6\]\.choices \(dòng \d+\): câu hỏi chọn \(select_one, select_multiple\) phải có danh sách choices$/],
    ],
    [
      "missing form file",
      (d) => {
        d.templates[0]!.form_file = "forms/khong-co.yaml";
      },
      [/^templates\[0\]\.form_file \(dòng \d+\): không đọc được tệp "forms\/khong-co.yaml"/],
    ],
    [
      "no form at all",
      (d) => {
        delete d.templates[0]!.form_file;
      },
      [/^templates\[0\]\.form \(dòng \d+\): thiếu biểu mẫu: cần form \(viết trực tiếp\) hoặc form_file/],
    ],
  ])("%s", (_name, change, expected) => {
    const problems = problemsOf(variant(change));
    expect(problems).toHaveLength(expected.length);
    expected.forEach((e, i) => {
      if (typeof e === "string") expect(problems[i]).toBe(e);
      else expect(problems[i]).toMatch(e);
    });
  });

  it("asks for quotes around an unquoted phone number", () => {
    const file = writeYaml(
      dir,
      "phone.yaml",
      ["units:", "  - { code: A, name: Đơn vị A, kind: OTHER }", "people:", "  - code: x", "    name: Nguyễn Văn X", "    phone: 0912345678", ""].join("\n"),
    );
    expect(problemsOf(file)).toEqual([
      'people[0].phone (dòng 6): số điện thoại phải đặt trong ngoặc kép, ví dụ phone: "0912345678" (nếu không, số 0 đầu bị mất)',
    ]);
  });

  it("points at YAML syntax errors by line", () => {
    const file = writeYaml(dir, "syntax.yaml", ["units:", "  - code: A", "    name: Đơn vị A", "    name: Đơn vị B", "    kind: OTHER", ""].join("\n"));
    expect(problemsOf(file)).toEqual(["syntax.yaml, dòng 4, cột 5: sai cú pháp YAML (khóa bị lặp)"]);
  });

  it("points into the form file for a problem inside it", () => {
    const formFile = writeYaml(dir, "forms/bad.yaml", ["questions:", "  - name: a", "    type: number", "    label: Số", ""].join("\n"));
    expect(formFile).toContain("bad.yaml");
    const file = variant((d) => {
      d.templates[0]!.form_file = "forms/bad.yaml";
    });
    const problems = problemsOf(file);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^templates\[0\]\.form_file\.questions\[0\]\.type \(forms\/bad\.yaml, dòng 3\): giá trị "number" không hợp lệ/);
  });

  it("refuses an empty or missing file", () => {
    expect(problemsOf(writeYaml(dir, "empty.yaml", "# nothing\n"))).toEqual(['tệp "empty.yaml" trống']);
    expect(problemsOf(`${dir}/nope.yaml`)).toEqual(['không đọc được tệp "nope.yaml"']);
  });

  it("tells a YAML error in a form file once, with everything else wrong in the same run", () => {
    writeYaml(dir, "forms/syntax.yaml", ["questions:", "  - name: a", "    type: text", '    label: "Số', ""].join("\n"));
    const file = variant((d) => {
      d.templates[0]!.form_file = "forms/syntax.yaml";
      d.people[0]!.roles[0]!.unit = "KHONG-CO";
      (d.units[0] as unknown as Record<string, unknown>).kind = "PARTY";
    });
    const problems = problemsOf(file);
    expect(problems).toHaveLength(3);
    expect(problems.filter((p) => p.includes("forms/syntax.yaml"))).toEqual([expect.stringMatching(/^forms\/syntax\.yaml, dòng \d+, cột \d+: sai cú pháp YAML/)]);
    expect(problems).toContainEqual(expect.stringMatching(/^people\[0\]\.roles\[0\]\.unit \(dòng \d+\): không có đơn vị "KHONG-CO"/));
    expect(problems).toContainEqual(expect.stringMatching(/^units\[0\]\.kind \(dòng \d+\): /));
  });

  it("checks the settings and a template's reminder policy, with their lines", () => {
    const file = variant((d) => {
      (d as unknown as Record<string, unknown>).settings = { office_hours: { start: "7h30", end: "17:00" }, reminder_policy: { before_working_day: [3] } };
      (d.templates[0] as unknown as Record<string, unknown>).reminder_policy = { max_overdue_reminders: 100 };
    });
    const problems = problemsOf(file);
    expect(problems, problems.join("\n")).toHaveLength(3);
    expect(problems).toContainEqual(expect.stringMatching(/^settings\.office_hours\.start \(dòng \d+\): /));
    expect(problems).toContainEqual(expect.stringMatching(/^settings\.reminder_policy \(dòng \d+\): .*before_working_day/));
    expect(problems).toContainEqual(expect.stringMatching(/^templates\[0\]\.reminder_policy\.max_overdue_reminders \(dòng \d+\): /));
  });
});
