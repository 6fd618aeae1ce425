// A small, hand-made export: Vietnamese names, a repeat group, a date, a
// decimal, a boolean, and text that must not turn into a formula.
import type { ChartSpec, ExportData, StatusRow } from "../../src/exports/types.ts";

/** 17:00 on 15/09/2026 in Vietnam. */
export const DEADLINE = new Date("2026-09-15T10:00:00Z");
/** 01:30 on 17/09/2026 in Vietnam, which is still 16/09 in UTC. */
export const LATE_SUBMISSION = new Date("2026-09-16T18:30:00Z");

const base: Omit<StatusRow, "unitCode" | "unitName" | "state" | "submittedAt" | "submittedBy" | "revision" | "reference" | "daysLate"> = {
  group: "Đảng ủy xã Tân Phong",
  templateTitle: "Báo cáo cải cách hành chính trong Đảng (quý)",
  periodLabel: "Quý III/2026",
  deadline: DEADLINE,
};

export const sample: ExportData = {
  title: "Tình hình nộp báo cáo quý III/2026 – Đảng ủy xã Tân Phong",
  generatedAt: new Date("2026-09-20T03:00:00Z"),
  status: [
    {
      ...base,
      unitCode: "CB-THON-TAN-LAP",
      unitName: "Chi bộ thôn Tân Lập",
      state: "submitted_on_time",
      submittedAt: new Date("2026-09-14T02:15:00Z"),
      submittedBy: "Nguyễn Văn An",
      revision: 1,
      reference: "BC-7K2M9Q",
      daysLate: null,
    },
    {
      ...base,
      unitCode: "CB-THON-DONG-XUAN",
      unitName: 'Chi bộ thôn Đồng Xuân; "khu B"',
      state: "submitted_late",
      submittedAt: LATE_SUBMISSION,
      submittedBy: "Trần Thị Bình",
      revision: 2,
      reference: "BC-3HX8PL",
      daysLate: 1,
    },
    {
      ...base,
      unitCode: "CB-TRUONG-THCS",
      unitName: "Chi bộ Trường THCS Tân Phong",
      state: "overdue",
      submittedAt: null,
      submittedBy: null,
      revision: null,
      reference: null,
      daysLate: 3,
    },
  ],
  templates: [
    {
      templateTitle: "Báo cáo cải cách hành chính trong Đảng (quý)",
      periodLabel: "Quý III/2026",
      columns: [
        { key: "so_cuoc_hop", header: "Số cuộc họp chi bộ trong quý", type: "number" },
        { key: "ty_le_du_hop", header: "Tỷ lệ đảng viên dự họp (%)", type: "number" },
        { key: "ngay_hop", header: "Ngày họp gần nhất", type: "date" },
        { key: "co_ung_dung_cntt", header: "Có ứng dụng công nghệ thông tin", type: "boolean" },
        { key: "linh_vuc", header: "Lĩnh vực", type: "list" },
        { key: "kien_nghi", header: "Kiến nghị, đề xuất", type: "text" },
      ],
      rows: [
        {
          unitName: "Chi bộ thôn Tân Lập",
          // A @db.Date answer: 00:00 UTC of 12/09/2026.
          values: [3, 92.5, new Date("2026-09-12T00:00:00Z"), true, "Tổ chức, Kiểm tra", "Đề nghị tập huấn sử dụng phần mềm; tăng cường kiểm tra"],
        },
        {
          unitName: 'Chi bộ thôn Đồng Xuân; "khu B"',
          // Vietnam midnight of 01/09/2026 (still 31/08 in UTC).
          values: [2, 87.25, new Date("2026-08-31T17:00:00Z"), false, "Tuyên giáo", "=HYPERLINK(\"http://evil\")"],
        },
        { unitName: "Chi bộ Trường THCS Tân Phong", values: [null, null, "2026-09-10", null, null, "- Ý kiến thứ nhất\n- Ý kiến thứ hai"] },
      ],
      repeats: [
        {
          title: "Văn bản đã ban hành",
          columns: [
            { key: "van_ban[].so_hieu", header: "Số, ký hiệu", type: "text" },
            { key: "van_ban[].ngay", header: "Ngày ban hành", type: "date" },
            { key: "van_ban[].so_trang", header: "Số trang", type: "number" },
          ],
          rows: [
            { unitName: "Chi bộ thôn Tân Lập", entry: 1, values: ["01-NQ/CB", new Date("2026-07-05T00:00:00Z"), 4] },
            { unitName: "Chi bộ thôn Tân Lập", entry: 2, values: ["02-KH/CB", new Date("2026-08-20T00:00:00Z"), 2] },
            { unitName: 'Chi bộ thôn Đồng Xuân; "khu B"', entry: 1, values: ["05-BC/CB", new Date("2026-09-01T00:00:00Z"), 6] },
          ],
        },
      ],
    },
  ],
};

const unitNames = [
  "Chi bộ thôn Tân Lập",
  "Chi bộ thôn Đồng Xuân",
  "Chi bộ Trường Trung học cơ sở Nguyễn Văn Trỗi xã Tân Phong, tỉnh Sơn La",
  "Chi bộ Công an xã <Tân Phong> & \"Quân sự\"",
  "Đảng bộ Quân sự xã",
  "Mặt trận Tổ quốc Việt Nam xã",
  "Hội Liên hiệp Phụ nữ xã",
  "Đoàn Thanh niên Cộng sản Hồ Chí Minh xã",
];

/** 45 units: more than a chart shows, with every state. */
export const progressSpec: ChartSpec = {
  kind: "progress",
  title: "Tiến độ nộp báo cáo quý III/2026",
  subtitle: "Đảng ủy xã Tân Phong – số liệu lúc 17:00 15/09/2026",
  bars: Array.from({ length: 45 }, (_, i) => {
    const segments = [
      { state: "submitted_on_time" as const, count: i % 3 },
      { state: "submitted_late" as const, count: i % 2 },
      { state: "in_progress" as const, count: (i + 1) % 2 },
      { state: "not_started" as const, count: i % 4 === 0 ? 1 : 0 },
      { state: "overdue" as const, count: i % 5 === 0 ? 1 : 0 },
    ];
    const max = segments.reduce((s, x) => s + x.count, 0);
    return { label: `${i + 1}. ${unitNames[i % unitNames.length]!}`, value: segments[0]!.count + segments[1]!.count, max, segments };
  }),
};

export const onTimeSpec: ChartSpec = {
  kind: "on_time_rate",
  title: "Tỷ lệ nộp báo cáo đúng hạn năm 2026",
  subtitle: "Các tổ chức đảng trực thuộc Đảng ủy xã Tân Phong",
  bars: [
    { label: "Quý I/2026", value: 12, max: 14 },
    { label: "Quý II/2026", value: 13, max: 14 },
    { label: "Quý III/2026", value: 9, max: 14 },
    { label: "Quý IV/2026", value: 0, max: 0 },
  ],
};
