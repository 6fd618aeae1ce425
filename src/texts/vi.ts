// Every Vietnamese text the bot shows to people lives here. Code refers to
// these entries; it never spells out user-facing Vietnamese inline.
// Sections are grouped by feature; functions take the values they format.

interface Changes {
  created: number;
  updated: number;
  deactivated: number;
}

const changes = (c: Changes) => `${c.created} mới, ${c.updated} cập nhật, ${c.deactivated} ngừng hoạt động`;

const yamlErrorNames: Record<string, string | undefined> = {
  DUPLICATE_KEY: "khóa bị lặp",
  BAD_INDENT: "thụt lề sai",
  MISSING_CHAR: "thiếu ký tự",
  MULTILINE_IMPLICIT_KEY: "khóa viết trên nhiều dòng",
  BLOCK_AS_IMPLICIT_KEY: "khóa không hợp lệ",
  TAB_AS_INDENT: "thụt lề bằng phím Tab, hãy dùng dấu cách",
  UNEXPECTED_TOKEN: "ký tự không mong đợi",
  MISSING_ANCHOR: "tham chiếu không tồn tại",
};

export const vi = {
  common: {
    internalError: "Xin lỗi, hệ thống đang gặp sự cố. Tin nhắn của đồng chí đã được lưu lại và sẽ được xử lý khi hệ thống hoạt động trở lại.",
  },
  sandbox: {
    title: "baocao – thử trợ lý báo cáo",
    intro: "Trang thử nghiệm trên máy này. Tin nhắn đi qua đúng đường xử lý như Zalo và Telegram.",
    placeholder: "Nhập tin nhắn, ví dụ /batdau",
    send: "Gửi",
    you: "Đồng chí",
    bot: "Trợ lý",
    localOnly: "Trang thử nghiệm chỉ mở được từ chính máy chủ.",
  },
  bot: {
    welcomeStranger: [
      "Xin chào đồng chí! Đây là trợ lý báo cáo của cấp ủy (baocao).",
      "",
      "Để bắt đầu, đồng chí cần liên kết tài khoản với mã mời do Văn phòng cấp ủy cấp.",
      "Gửi: /start MÃ-MỜI (ví dụ: /start K7PM4QXD)",
      "",
      "Gõ /huongdan để xem hướng dẫn.",
    ].join("\n"),
    welcomeBack: (name: string, roles: string[]) =>
      [
        `Xin chào đồng chí ${name}!`,
        roles.length > 0 ? `Đồng chí đang là: ${roles.join("; ")}.` : "Đồng chí chưa được giao vai trò nào.",
        "",
        "Gõ /huongdan để xem các lệnh.",
      ].join("\n"),
    help: (linked: boolean) =>
      [
        "HƯỚNG DẪN SỬ DỤNG",
        "",
        "/batdau (/start) – bắt đầu, hoặc liên kết tài khoản: /batdau MÃ-MỜI",
        "/huongdan (/help) – xem hướng dẫn này",
        "",
        linked
          ? "Khi có báo cáo cần nộp, trợ lý sẽ nhắc và hỏi lần lượt từng nội dung. Câu trả lời được lưu ngay khi đồng chí gửi."
          : "Đồng chí chưa liên kết tài khoản. Hãy xin mã mời ở Văn phòng cấp ủy rồi gửi /batdau MÃ-MỜI.",
        "",
        "Lưu ý: không gửi tài liệu, nội dung MẬT qua ứng dụng nhắn tin.",
      ].join("\n"),
    unknownCommand: (name: string) => `Không có lệnh /${name}. Gõ /huongdan để xem các lệnh có thể dùng.`,
    notLinked:
      "Tài khoản này chưa được liên kết với cán bộ nào. Đồng chí vui lòng xin mã mời ở Văn phòng cấp ủy rồi gửi /batdau MÃ-MỜI.",
    nothingDue: "Hiện chưa có việc nào cần đồng chí xử lý. Gõ /huongdan để xem các lệnh.",
    unsupported: "Xin lỗi, trợ lý chưa xử lý được loại tin nhắn này (nhãn dán, âm thanh, vị trí...). Đồng chí vui lòng gửi chữ.",
    fileNotExpected: "Trợ lý chưa cần tệp nào lúc này. Tệp đính kèm chỉ được nhận khi đang trả lời câu hỏi yêu cầu tệp.",
    privateOnly: "Trợ lý chỉ làm việc trong tin nhắn riêng. Đồng chí vui lòng nhắn riêng cho trợ lý.",
    tooLong: (max: number) => `Tin nhắn quá dài (tối đa ${max} ký tự). Đồng chí vui lòng rút gọn hoặc chia thành nhiều ý.`,
    roleNames: {
      REPORTER: "cán bộ báo cáo",
      HEAD: "người đứng đầu",
      COMMITTEE_MEMBER: "cấp ủy viên",
      OFFICE: "văn phòng cấp ủy",
    },
  },
  /** Messages for invalid input files (import file, template forms); each follows "place: ". */
  validation: {
    required: "thiếu trường bắt buộc",
    wrongType: (expected: string, got: string) => `phải là ${expected}, không phải ${got}`,
    typeNames: {
      string: "chữ",
      number: "số",
      int: "số nguyên",
      boolean: "true hoặc false",
      array: "danh sách",
      object: "nhóm trường (khóa: giá trị)",
      null: "trống",
      undefined: "trống",
      date: "ngày",
    } as Record<string, string | undefined>,
    notOneOf: (got: string, allowed: string[]) => `giá trị "${got}" không hợp lệ; chỉ được là: ${allowed.join(", ")}`,
    empty: "không được để trống",
    tooShort: (min: number) => `phải có ít nhất ${min} ký tự`,
    tooLong: (max: number) => `không được quá ${max} ký tự`,
    tooFew: (min: number) => `phải có ít nhất ${min} mục`,
    tooMany: (max: number) => `không được quá ${max} mục`,
    tooSmall: (min: number | bigint | string) => `phải lớn hơn hoặc bằng ${min}`,
    tooBig: (max: number | bigint | string) => `phải nhỏ hơn hoặc bằng ${max}`,
    unknownKeys: (keys: string[]) => `trường không được hỗ trợ: ${keys.map((k) => `"${k}"`).join(", ")} (kiểm tra lỗi chính tả)`,
    invalid: "giá trị không hợp lệ",
    invalidEmail: "địa chỉ email không hợp lệ",
    identifier: "chỉ được dùng chữ cái không dấu, chữ số và dấu gạch dưới (_), bắt đầu bằng chữ cái",
    duplicateName: (name: string) => `tên câu hỏi "${name}" bị trùng trong cùng phạm vi`,
    duplicateChoice: (value: string) => `giá trị lựa chọn "${value}" bị trùng`,
    choicesRequired: "câu hỏi chọn (select_one, select_multiple) phải có danh sách choices",
    choicesNotAllowed: (type: string) => `câu hỏi loại ${type} không dùng choices`,
    questionsRequired: "nhóm (group, repeat) phải có danh sách questions",
    questionsNotAllowed: (type: string) => `câu hỏi loại ${type} không chứa questions`,
    badPattern: "biểu thức pattern không hợp lệ",
    minAboveMax: (min: string, max: string) => `${min} không được lớn hơn ${max}`,
    lengthOnlyForText: "min_length, max_length và pattern chỉ dùng cho câu hỏi loại text hoặc long_text",
    rangeNotAllowed: (type: string) => `min, max không dùng cho câu hỏi loại ${type}`,
  },
  /** The organisation import (`npm run org:import`), read by the committee office. */
  importCli: {
    usage: [
      "Cách dùng: npm run org:import -- <tệp.yaml> [--telegram-bot <tên-bot>] [--out <tệp.csv>] [--ttl-days <số ngày>]",
      "  --telegram-bot  tên bot Telegram (không có @), để in liên kết mời https://t.me/<tên-bot>?start=MÃ",
      "  --out           ghi thêm danh sách mã mời ra tệp CSV (mở được bằng Excel)",
      "  --ttl-days      số ngày mã mời còn hiệu lực (mặc định 14)",
    ].join("\n"),
    badOption: (detail: string) => `Tham số không hợp lệ: ${detail}`,
    noFile: "Thiếu tên tệp cần nhập.",
    badTtl: "--ttl-days phải là số nguyên từ 1 đến 365.",
    badBotName: "--telegram-bot phải là tên bot Telegram (chữ cái, chữ số, dấu gạch dưới), không có @ và không có t.me/.",
    fileNotFound: (file: string) => `không đọc được tệp "${file}"`,
    emptyFile: (file: string) => `tệp "${file}" trống`,
    formFileBroken: (file: string) => `không dùng được tệp biểu mẫu "${file}" (lỗi ghi bên dưới)`,
    yamlError: (file: string, line: number, col: number, code: string) =>
      `${file}, dòng ${line}, cột ${col}: sai cú pháp YAML (${yamlErrorNames[code] ?? code})`,
    at: (place: string, file: string | null, line: number) =>
      file === null ? `${place} (dòng ${line})` : `${place} (${file}, dòng ${line})`,
    badCode: "mã chỉ được dùng chữ cái không dấu, chữ số và các dấu . _ - (tối đa 64 ký tự)",
    phoneNotQuoted: 'số điện thoại phải đặt trong ngoặc kép, ví dụ phone: "0912345678" (nếu không, số 0 đầu bị mất)',
    badPhone: "số điện thoại không hợp lệ (10 số, bắt đầu bằng 0 hoặc +84)",
    unknownUnit: (code: string) => `không có đơn vị "${code}"`,
    duplicateUnit: (code: string, first: string) => `mã đơn vị "${code}" bị trùng (đã dùng ở ${first})`,
    duplicatePerson: (code: string, first: string) => `mã cán bộ "${code}" bị trùng (đã dùng ở ${first})`,
    duplicateTemplate: (code: string, first: string) => `mã mẫu báo cáo "${code}" bị trùng (đã dùng ở ${first})`,
    duplicateRole: (role: string, unit: string) => `vai trò ${role} tại đơn vị "${unit}" bị khai báo hai lần`,
    parentConflict: (parent: string, nestedIn: string) =>
      `đơn vị nằm trong "${nestedIn}" (children) nên không được khai báo parent: ${parent}`,
    cycle: (chain: string[]) => `cây đơn vị bị vòng lặp: ${chain.join(" → ")}`,
    formMissing: "thiếu biểu mẫu: cần form (viết trực tiếp) hoặc form_file (đường dẫn tệp)",
    formTwice: "chỉ dùng một trong hai: form hoặc form_file",
    noTargets: (under: string) => `không có đơn vị nào dưới "${under}" khớp điều kiện; mẫu báo cáo không giao cho ai`,
    failed: (detail: string) => `Không nhập được: ${detail}`,
    databaseFailed: (where: string, detail: string) => `Không kết nối được cơ sở dữ liệu (${where}): ${detail}`,
    problemsHeader: (count: number) => `Tệp có ${count} lỗi, chưa nhập gì vào cơ sở dữ liệu:`,
    done: (file: string) => `Đã nhập tệp ${file}.`,
    summaryUnits: (c: Changes) => `  Đơn vị:        ${changes(c)}`,
    summaryPeople: (c: Changes) => `  Cán bộ:        ${changes(c)}`,
    summaryTemplates: (c: Changes, versions: number) => `  Mẫu báo cáo:   ${changes(c)}; ${versions} phiên bản biểu mẫu mới`,
    summaryRoles: (added: number, removed: number) => `  Vai trò:       thêm ${added}, bỏ ${removed}`,
    summaryTargets: (added: number, removed: number) => `  Giao báo cáo:  thêm ${added}, bỏ ${removed} (đơn vị phải báo cáo)`,
    summaryInvitations: (created: number, kept: number) => `  Mã mời:        ${created} mới, ${kept} giữ nguyên (chưa dùng, còn hạn)`,
    noInvitations: "Mọi cán bộ đã liên kết tài khoản; không cần mã mời.",
    invitationsHeader: (count: number) => `MÃ MỜI LIÊN KẾT TÀI KHOẢN (${count} cán bộ chưa liên kết)`,
    columns: {
      no: "STT",
      personCode: "Mã cán bộ",
      name: "Họ và tên",
      position: "Chức vụ",
      units: "Đơn vị (vai trò)",
      code: "Mã mời",
      expires: "Hết hạn",
      howTo: "Cách dùng",
      link: "Liên kết Telegram",
    },
    howTo: (code: string) => `Gửi /start ${code} cho trợ lý trên Zalo hoặc Telegram`,
    howToFooter: [
      "Cách dùng: trên Zalo hoặc Telegram, mở trò chuyện với trợ lý báo cáo và gửi: /start MÃ-MỜI",
      "Mỗi mã chỉ dùng một lần, cho đúng người được cấp. Hết hạn thì chạy lại lệnh nhập để được mã mới.",
    ].join("\n"),
    howToTelegram: "Trên Telegram có thể bấm thẳng vào liên kết trong cột cuối.",
    csvWritten: (file: string) => `Đã ghi danh sách mã mời ra tệp ${file}.`,
  },
  /** Replies to `/start CODE`, one per outcome of redeeming an invitation. */
  link: {
    linked: (name: string, units: { name: string; role: "REPORTER" | "HEAD" | "COMMITTEE_MEMBER" | "OFFICE" }[]) =>
      [
        `Xin chào đồng chí ${name}! Tài khoản đã được liên kết thành công.`,
        units.length > 0
          ? `Đồng chí là: ${units.map((u) => `${vi.bot.roleNames[u.role]} – ${u.name}`).join("; ")}.`
          : "Đồng chí chưa được giao vai trò nào; Văn phòng cấp ủy sẽ cập nhật sau.",
        "",
        "Khi có báo cáo cần nộp, trợ lý sẽ nhắn để nhắc. Gõ /huongdan để xem các lệnh.",
      ].join("\n"),
    invalid:
      "Mã mời không đúng. Đồng chí kiểm tra lại mã 8 ký tự do Văn phòng cấp ủy cấp rồi gửi lại: /start MÃ-MỜI (ví dụ: /start K7PM4QXD).",
    used: "Mã mời này đã được sử dụng. Nếu không phải đồng chí đã dùng, đề nghị liên hệ Văn phòng cấp ủy để được cấp mã mới.",
    expired: "Mã mời đã hết hạn. Đề nghị đồng chí liên hệ Văn phòng cấp ủy để được cấp mã mới.",
    throttled: "Đồng chí đã nhập sai mã quá nhiều lần. Vì lý do an toàn, đề nghị thử lại sau 15 phút.",
    alreadyLinked: "Tài khoản này đã được liên kết với đồng chí từ trước; đồng chí có thể dùng trợ lý ngay. Gõ /huongdan để xem các lệnh.",
    linkedToOther:
      "Tài khoản này đã được liên kết với một cán bộ khác nên không dùng được mã mời này. Mỗi tài khoản chỉ gắn với một người; đề nghị liên hệ Văn phòng cấp ủy.",
    askCode: "Đề nghị đồng chí gửi mã mời do Văn phòng cấp ủy cấp, theo mẫu: /start MÃ-MỜI (ví dụ: /start K7PM4QXD).",
  },
  /** Period labels, dates and calendar problems (src/calendar). */
  calendar: {
    periodLabel: {
      month: (month: number, year: number) => `Tháng ${month}/${year}`,
      quarter: (quarter: number, year: number) => `Quý ${["I", "II", "III", "IV"][quarter - 1] ?? String(quarter)}/${year}`,
      sixMonths: (year: number) => `6 tháng đầu năm ${year}`,
      nineMonths: (year: number) => `9 tháng năm ${year}`,
      year: (year: number) => `Năm ${year}`,
    },
    periodTypeNames: {
      MONTHLY: "hằng tháng",
      QUARTERLY: "hằng quý",
      SIX_MONTHLY: "6 tháng",
      NINE_MONTHLY: "9 tháng",
      YEARLY: "hằng năm",
      AD_HOC: "đột xuất",
    },
    /** Index = day of week, 0 = Sunday. */
    weekdays: ["Chủ nhật", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy"],
    /** "17:00 thứ Hai, 23/02/2026" */
    dateTime: (time: string, weekday: string, date: string) => `${time} ${weekday}, ${date}`,
    holidayFile: {
      badDate: (value: string) => `ngày "${value}" không hợp lệ; viết theo dạng YYYY-MM-DD (2026-02-16) hoặc dd/mm/yyyy (16/02/2026)`,
      duplicateDate: (date: string, firstLine: number | null) =>
        `ngày ${date} bị ghi hai lần${firstLine === null ? "" : ` (lần đầu ở dòng ${firstLine})`}`,
      workdayOnWeekday: (date: string) => `ngày ${date} không phải thứ Bảy hoặc Chủ nhật nên không thể là ngày làm bù (WORKDAY)`,
    },
    adHoc: {
      badDate: (value: string) => `ngày "${value}" không hợp lệ; viết theo dạng dd/mm/yyyy, ví dụ 15/09/2026`,
      endBeforeStart: "ngày kết thúc kỳ báo cáo phải sau hoặc trùng ngày bắt đầu",
      deadlineInPast: "hạn nộp phải sau thời điểm hiện tại",
      deadlineBeforeEnd: "hạn nộp không được trước ngày kết thúc kỳ báo cáo",
    },
    officeHours: {
      badTime: "giờ phải viết theo dạng HH:MM, ví dụ 07:30",
      startAfterEnd: "giờ bắt đầu làm việc phải trước giờ kết thúc",
    },
  },
  channels: {
    /** Last line under numbered options on Zalo, which has no buttons. */
    choiceHint: "Trả lời bằng số thứ tự hoặc nội dung lựa chọn.",
    /** Zalo cannot send documents: the file is offered as a link instead. */
    fileLink: (fileName: string, url: string) => `Tệp ${fileName}: ${url}`,
    fileNotSent: (fileName: string) =>
      `Tệp ${fileName} không gửi được qua Zalo. Đồng chí vui lòng tải tệp trên trang web hoặc qua Telegram.`,
  },
} as const;
