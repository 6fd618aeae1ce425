import { describe, expect, it } from "vitest";
import { detectConfidential, detectConfidentialFileName } from "../../src/forms/confidential.ts";

describe("detectConfidential: markings are refused", () => {
  it.each([
    ["MẬT", "MẬT"],
    ["TỐI MẬT", "TỐI MẬT"],
    ["TUYỆT MẬT", "TUYỆT MẬT"],
    ["Mật", "MẬT"],
    ["- MẬT -", "MẬT"],
    ["[TỐI MẬT]", "TỐI MẬT"],
    ["ĐẢNG ỦY XÃ TÂN PHONG\nMẬT\nBÁO CÁO\nTình hình an ninh quý III", "MẬT"],
    ["Báo cáo MẬT về tình hình an ninh trật tự", "MẬT"],
    ["Gửi đồng chí bản báo cáo (MẬT) của Đảng ủy", "MẬT"],
    ["Tài liệu này thuộc độ Tối mật, đề nghị không phổ biến", "TỐI MẬT"],
    ["tài liệu tuyệt mật", "TUYỆT MẬT"],
    ["Kế hoạch này là TUYỆT MẬT", "TUYỆT MẬT"],
    ["Độ mật: Mật", "MẬT"],
    ["Độ mật: TỐI MẬT", "TỐI MẬT"],
    ["ĐỘ MẬT: TUYỆT MẬT", "TUYỆT MẬT"],
    ["Số: 12-BC/ĐU  Độ mật : mật", "MẬT"],
    ["DO MAT: TOI MAT", "TỐI MẬT"],
    ["Gui anh TOI MAT nhe", "TỐI MẬT"],
    ["TUYET MAT", "TUYỆT MẬT"],
    ["MAT", "MẬT"],
    ["Đây là tài liệu mật, đồng chí xem rồi xóa", "MẬT"],
    ["Chuyển văn bản mật của Ban Thường vụ", "MẬT"],
    ["Hồ sơ mật đảng viên", "MẬT"],
    ["Nội dung mật của cuộc họp Thường trực", "MẬT"],
    ["Thông tin mật về nhân sự đại hội", "MẬT"],
    ["Nghị quyết mật của chi bộ", "MẬT"],
    ["TÀI LIỆU MẬT", "MẬT"],
    ["VĂN BẢN MẬT SỐ 05", "MẬT"],
    ["Nội dung này thuộc bí mật nhà nước", "MẬT"],
    ["Văn bản thuộc danh mục bí mật nhà nước độ Mật", "MẬT"],
    ["Tài liệu bí mật nhà nước, không sao chụp", "MẬT"],
    ["Báo cáo có chứa bí mật nhà nước", "MẬT"],
    ["Báo cáo mật và tối mật gửi kèm", "TỐI MẬT"],
  ])("%j → %s", (text, marking) => {
    expect(detectConfidential(text)?.marking).toBe(marking);
  });

  it("works on decomposed (NFD) text from some phones", () => {
    expect(detectConfidential("TỐI MẬT".normalize("NFD"))?.marking).toBe("TỐI MẬT");
    expect(detectConfidential("tài liệu mật".normalize("NFD"))?.marking).toBe("MẬT");
  });

  it("says which words triggered it", () => {
    expect(detectConfidential("Gửi kèm tài liệu mật của chi bộ")).toEqual({ marking: "MẬT", match: "tài liệu mật" });
    expect(detectConfidential("Xem bản Tối mật")).toEqual({ marking: "TỐI MẬT", match: "Tối mật" });
  });
});

describe("detectConfidential: ordinary words pass", () => {
  it.each([
    "Đồng chí cho xin mật khẩu đăng nhập phần mềm",
    "Đã đổi MẬT KHẨU hộp thư công vụ",
    "Thôn có 12 hộ nuôi ong lấy mật",
    "Mật ong rừng là sản phẩm OCOP của xã",
    "Quan hệ mật thiết giữa Đảng và nhân dân",
    "Mối quan hệ gắn bó mật thiết với quần chúng",
    "Mật độ dân số của xã tăng",
    "MẬT ĐỘ DÂN CƯ",
    "Giữ bí mật thông tin cá nhân của người tố cáo",
    "Công tác bảo vệ bí mật nhà nước được thực hiện nghiêm túc",
    "Thực hiện tốt công tác bảo vệ bí mật nhà nước trong quý",
    "Triển khai Quy chế bảo vệ bí mật nhà nước của Đảng ủy",
    "Không khí buổi sinh hoạt thân mật, cởi mở",
    "Đã xác định độ mật của văn bản theo quy định",
    "Bảo mật tài khoản Zalo, không chia sẻ mã OTP",
    "Ứng dụng mật mã trong giao dịch điện tử",
    "Đoàn xã tổ chức trò chơi mật thư cho thiếu nhi",
    "BẢO VỆ BÍ MẬT NHÀ NƯỚC",
    "THÔN CÓ 12 HỘ NUÔI ONG LẤY MẬT",
    "tôi mất giấy tờ",
    "toi mat giay to roi",
    "Mặt trận Tổ quốc xã tổ chức hội nghị",
    "MẶT TRẬN TỔ QUỐC",
    "Hội nghị mặt trận; nhân dân tham gia mát mẻ",
    "Số văn bản ban hành: 12; số thủ tục rà soát: 3",
    "Chi bộ đã sinh hoạt đầy đủ, đúng quy định",
    "Tài liệu đã gửi đầy đủ",
    "",
  ])("%j", (text) => {
    expect(detectConfidential(text)).toBeNull();
  });
});

describe("detectConfidentialFileName", () => {
  it.each([
    ["MAT_baocao.pdf", "MẬT"],
    ["TOI-MAT ke hoach.docx", "TỐI MẬT"],
    ["TUYET_MAT_NQ05.pdf", "TUYỆT MẬT"],
    ["tuyệt mật - kế hoạch.docx", "TUYỆT MẬT"],
    ["Bao cao (MAT).pdf", "MẬT"],
    ["Báo cáo MẬT quý 3.pdf", "MẬT"],
    ["bao-cao.MAT.docx", "MẬT"],
    ["Tài liệu mật.docx", "MẬT"],
    ["Tối mật.pdf", "TỐI MẬT"],
    ["BC_12-DU_MAT.jpg", "MẬT"],
  ])("%j → %s", (name, marking) => {
    expect(detectConfidentialFileName(name)?.marking).toBe(marking);
  });

  it.each([
    "baocao_quy3.pdf",
    "BAO_CAO_MAT_TRAN.pdf",
    "Mat_tran_to_quoc.docx",
    "bao_cao_mat_tran_to_quoc.pdf",
    "mat_khau.docx",
    "MAT_KHAU.docx",
    "Quy_che_BAO_MAT.pdf",
    "BI_MAT.pdf",
    "anh_chup_mat_bang.jpg",
    "matran.pdf",
    "format.pdf",
    "IMG_20260915_MATH.jpg",
    "Mặt trận.pdf",
  ])("%j passes", (name) => {
    expect(detectConfidentialFileName(name)).toBeNull();
  });
});
