// The shipped quarterly report (examples/forms/cchc-quy.yaml), answered from
// the first question to the receipt, as an official would: typed answers,
// tapped options, a wrong date put right, the signed page as a photo. The
// sandbox tests walk it over the JSON API and in a browser.

export const QUARTERLY_TITLE = "Báo cáo công tác cải cách hành chính trong Đảng (quý)";
export const MONTHLY_TITLE = "Báo cáo tình hình thôn, bản hằng tháng";

export type Step =
  | { say: string; expect: string }
  /** A tapped button (Telegram) or its label typed (Zalo). */
  | { choose: string; expect: string }
  /** The signed page, as a photo. */
  | { photo: true; expect: string };

/** Each step's `expect` is a piece of the bot's last reply to it. */
export const quarterlyAnswers: Step[] = [
  { say: "3", expect: "Trong đó, số nghị quyết" },
  { say: "1", expect: "Số văn bản gửi, nhận qua môi trường điện tử" },
  { say: "1.000", expect: "Số, ký hiệu văn bản" },
  { say: "05-NQ/ĐU", expect: "Loại văn bản" },
  { choose: "Loại khác", expect: "Ghi rõ loại văn bản" },
  { say: "Thông tri", expect: "Tên, trích yếu nội dung văn bản" },
  { say: "Về tăng cường cải cách hành chính trong Đảng", expect: "Ngày ban hành" },
  { say: "31/02/2026", expect: "Ngày ban hành" },
  { say: "15/9/2026", expect: "Kết quả triển khai, thực hiện" },
  { say: "Đã quán triệt đến toàn thể đảng viên", expect: "Còn văn bản nào nữa không?" },
  { choose: "Không", expect: "Số quy trình, thủ tục được rà soát trong quý" },
  { say: "4", expect: "" },
  { say: "2", expect: "" },
  { say: "0", expect: "Nêu tên các quy trình, thủ tục đã sửa đổi" },
  { say: "Quy trình chuyển sinh hoạt đảng", expect: "Những nội dung đã cải tiến trong quý" },
  { say: "1, 5", expect: "Đã số hóa, lưu trữ văn bản theo cách nào?" },
  { say: "/boqua", expect: "Số cuộc họp, làm việc với Thường trực Đảng ủy" },
  { say: "0", expect: "có tổ chức đối thoại trực tiếp với nhân dân" },
  { choose: "Không", expect: "Mức độ ứng dụng công nghệ thông tin" },
  { choose: "Thường xuyên (sổ tay đảng viên điện tử, họp trực tuyến)", expect: "Khó khăn, vướng mắc và nguyên nhân" },
  { say: "Thiếu máy tính cho chi bộ thôn", expect: "" },
  { say: "/boqua", expect: "Tự đánh giá kết quả" },
  { choose: "Hoàn thành tốt", expect: "Báo cáo có chữ ký, đóng dấu" },
  { photo: true, expect: "XEM LẠI BÁO CÁO" },
];

/** The monthly report of a village party cell (examples/xa-tan-phong.yaml, inline form): dates, numbers, a yes/no, a long text. */
export const monthlyAnswers: Step[] = [
  { say: "5/12/2026", expect: "Tổng số đảng viên của chi bộ" },
  { say: "32", expect: "Số đảng viên dự sinh hoạt" },
  { say: "29", expect: "có vụ việc phức tạp" },
  { choose: "Không", expect: "Tình hình chung" },
  { say: "Bà con thu hoạch lúa mùa xong, chuẩn bị vụ đông; phong trào văn nghệ đón Tết sôi nổi.", expect: "XEM LẠI BÁO CÁO" },
];

/** A small but real JPEG (a few header bytes and an end marker): enough for the type check. */
export const SIGNED_PAGE_JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);
