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

/** The kinds of a question (chất vấn), as the rules name them: in messages and in the export alike. */
const questionKinds = { QUESTION: "Chất vấn", PROPOSAL: "Kiến nghị", INFO_REQUEST: "Đề nghị cung cấp thông tin" } as const;

export const vi = {
  common: {
    internalError: "Xin lỗi, hệ thống đang gặp sự cố. Tin nhắn của đồng chí đã được lưu lại và sẽ được xử lý khi hệ thống hoạt động trở lại.",
  },
  embedded: {
    /** One line, both languages: it is read by whoever runs a command, often an IT person abroad. */
    busy: (dir: string, pid: number, what: string) =>
      `Cơ sở dữ liệu nhúng ${dir} đang được ${what === "bot" ? "bot" : `lệnh ${what}`} (pid ${pid}) sử dụng: hãy dừng nó trước (Ctrl+C) rồi chạy lại. / The embedded database ${dir} is in use by ${what === "bot" ? "the running bot" : what} (pid ${pid}): stop it first (Ctrl+C), then run this again.`,
    busyElsewhere: (dir: string, host: string, pid: number, lockFile: string) =>
      `Cơ sở dữ liệu nhúng ${dir} đang được máy ${host} (pid ${pid}) sử dụng; nếu tiến trình đó không còn chạy (ví dụ container đã được tạo lại), hãy xóa ${lockFile} rồi chạy lại. / The embedded database ${dir} is in use on host ${host} (pid ${pid}); if that process is gone (a recreated container, say), delete ${lockFile} and run this again.`,
  },
  sandbox: {
    title: "baocao – thử trợ lý báo cáo",
    intro: "Trang thử nghiệm trên máy này. Tin nhắn đi qua đúng đường xử lý như Zalo và Telegram.",
    placeholder: "Nhập tin nhắn, ví dụ /batdau",
    send: "Gửi",
    localOnly: "Trang thử nghiệm chỉ mở được từ chính máy chủ.",
    needKey: "Trang thử nghiệm cần khóa truy cập. Hãy mở đúng đường dẫn (có ?key=…) mà lệnh npm start đã in ra.",
    /** Shown by the page's own script. */
    page: {
      looks: { telegram: "Telegram", zalo: "Zalo" },
      lookLabel: "Giao diện",
      people: "Nói với tư cách",
      visitor: "Khách (chưa liên kết)",
      visitorHint: "Thử liên kết: /start kèm mã mời",
      groups: { OFFICE: "Văn phòng cấp ủy", COMMITTEE_MEMBER: "Cấp ủy viên", HEAD: "Người đứng đầu đơn vị", REPORTER: "Cán bộ báo cáo" },
      code: "mã mời",
      emptyTitle: "Chưa có tổ chức nào",
      emptyText:
        "Nạp tổ chức mẫu (Đảng ủy xã Tân Phong: các chi bộ, đoàn thể, báo cáo quý và tháng) để thử ngay, rồi chọn người để nói với tư cách người đó. Muốn dùng tệp của mình: dừng bot, chạy npm run org:import -- tệp.yaml, rồi chạy lại.",
      loadExample: "Nạp tổ chức mẫu",
      loading: "Đang nạp…",
      attach: "Đính kèm tệp hoặc ảnh",
      zaloPhotosOnly: "Bot Zalo chỉ nhận được ảnh, không nhận tài liệu: hãy chụp trang có chữ ký rồi gửi ảnh.",
      download: "Tải về",
      clock: "Đồng hồ",
      clockTitle: "Đồng hồ thử nghiệm",
      clockIntro: "Chuyển đồng hồ của bot để xem kỳ báo cáo mở, nhắc việc, báo người đứng đầu và báo văn phòng cấp ủy. Chỉ có ở trang thử nghiệm.",
      clockShifted: "đã chỉnh",
      clockReal: "Về giờ thật",
      clockGo: "Chuyển đến",
      close: "Đóng",
      sendFailed: "Không gửi được tin nhắn, đồng chí thử lại.",
    },
    clock: {
      about: (title: string, period: string, due: string) => `Hạn gần nhất: ${title} – ${period}, ${due}.`,
      before: (n: number) => `Còn ${n} ngày làm việc đến hạn`,
      deadlineMorning: "Sáng ngày hết hạn",
      overdue: (n: number) => `Quá hạn ${n} ngày làm việc`,
      escalation: (n: number) => `Quá hạn ${n} ngày làm việc: báo cả người đứng đầu`,
      digest: (n: number) => `Quá hạn ${n} ngày làm việc: báo văn phòng cấp ủy`,
      moved: (when: string, opened: number, queued: number) => `Đồng hồ: ${when}. Đã mở ${opened} kỳ báo cáo; ${queued} tin nhắc đang được gửi.`,
      badTime: "Thời điểm không hợp lệ.",
    },
    example: {
      loaded: (units: number, people: number) => `Đã nạp tổ chức mẫu: ${units} đơn vị, ${people} người. Chọn một người ở danh sách để nói với tư cách người đó.`,
      notEmpty: "Cơ sở dữ liệu đã có tổ chức; tổ chức mẫu chỉ nạp vào cơ sở dữ liệu trống.",
    },
    upload: {
      tooLarge: (mb: number) => `Tệp quá lớn: tối đa ${mb} MB.`,
    },
    /** Answers of the sandbox API; the page shows them as they are. */
    errors: {
      jsonOnly: "Chỉ nhận dữ liệu JSON (Content-Type: application/json).",
      badMessage: "Tin nhắn không hợp lệ: cần chat hoặc as, và text hoặc choice.",
      noChat: "Không có người hoặc cuộc trò chuyện này.",
      badQuery: "Tham số không hợp lệ: cần chat hoặc as, after là số, look là telegram hoặc zalo.",
      badUpload: "Gửi nội dung tệp làm thân yêu cầu, với Content-Type đúng loại tệp.",
      emptyFile: "Tệp rỗng.",
      noFile: "Không có tệp này.",
      notStored: "Chưa lưu được tin nhắn: cơ sở dữ liệu không trả lời. Đồng chí thử lại sau ít phút.",
      remindersOff: "Nhắc việc đang tắt (REMINDERS=off): đồng hồ đã chuyển nhưng không mở kỳ báo cáo và không gửi nhắc.",
    },
    /** What the history shows instead of text the bot refused as confidential: it is not kept here either. */
    confidentialHidden: "(nội dung có dấu MẬT: không gửi, không lưu)",
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
        ...(linked
          ? [
              "/baocao – các báo cáo cần nộp; chọn một báo cáo để làm hoặc sửa",
              "/lienket – lấy mã dùng một lần để dùng trợ lý trên ứng dụng thứ hai (Zalo hoặc Telegram)",
              "",
              "Khi đang làm báo cáo:",
              "/quaylai – về câu trước",
              "/boqua – bỏ qua câu không bắt buộc",
              "/tiendo – xem đã trả lời bao nhiêu câu",
              "/xemlai – xem lại toàn bộ câu trả lời trước khi gửi",
              "/huy – hủy bản nháp",
              "Các lệnh gõ được cả không dấu, không có dấu gạch chéo (ví dụ: quay lai, xem lai).",
              "",
              "Khi có báo cáo cần nộp, trợ lý sẽ nhắc và hỏi lần lượt từng nội dung. Câu trả lời được lưu ngay khi đồng chí gửi.",
            ]
          : ["", "Đồng chí chưa liên kết tài khoản. Hãy xin mã mời ở Văn phòng cấp ủy rồi gửi /batdau MÃ-MỜI."]),
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
    linkCode: (code: string, until: string) =>
      [
        `Mã liên kết của đồng chí: ${code}`,
        `Trên ứng dụng thứ hai (Zalo hoặc Telegram), mở trợ lý và gửi: /start ${code}`,
        `Mã dùng một lần, hết hạn lúc ${until}. Không đưa mã này cho người khác.`,
      ].join("\n"),
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
  /** Report forms (src/forms): template problems for the office, answer checks for officials. */
  forms: {
    /** Problems in a template file; each follows "place: ", like `validation`. */
    template: {
      badExpression: (position: number, detail: string) => `biểu thức không hợp lệ ở ký tự thứ ${position}: ${detail}`,
      unknownRef: (name: string) => `không có câu hỏi "${name}"`,
      selfRef: (name: string) => `câu hỏi "${name}" không được tự tham chiếu chính nó`,
      laterRef: (name: string) => `câu hỏi "${name}" nằm sau; relevant chỉ được dùng câu hỏi đứng trước`,
      notAValue: (name: string, type: string) => `"${name}" là câu hỏi loại ${type}, không có câu trả lời để dùng trong biểu thức`,
      outsideRepeat: (name: string, repeat: string) =>
        `câu hỏi "${name}" nằm trong repeat "${repeat}", chỉ dùng được từ bên trong repeat đó`,
      unknownChoice: (value: string, name: string) => `câu hỏi "${name}" không có lựa chọn "${value}"`,
      notSelect: (fn: string, name: string) => `${fn}() chỉ dùng cho câu hỏi chọn (select_one, select_multiple), "${name}" không phải`,
      badDate: (value: string) => `ngày "${value}" không hợp lệ; viết theo dạng YYYY-MM-DD, ví dụ 2026-09-15`,
      dateOnlyForDate: "min_date, max_date chỉ dùng cho câu hỏi loại date",
      onlyFor: (field: string, type: string) => `${field} chỉ dùng cho câu hỏi loại ${type}`,
      maxLengthAboveLimit: (limit: number) => `max_length không được quá ${limit}`,
    },
    /** Why parsing an expression failed; shown inside template.badExpression. */
    expression: {
      empty: "biểu thức trống",
      unexpectedChar: (ch: string) => `ký tự "${ch}" không dùng được`,
      unterminatedString: "thiếu dấu nháy đóng chuỗi",
      badRef: "tham chiếu phải viết dạng ${ten_cau_hoi}",
      unexpectedEnd: "biểu thức chưa kết thúc (thiếu vế sau hoặc dấu đóng ngoặc)",
      unexpectedToken: (token: string) => `không hiểu "${token}" ở đây`,
      expected: (what: string) => `thiếu "${what}"`,
      unknownFunction: (name: string, known: string[]) => `không có hàm ${name}(); chỉ dùng được: ${known.join(", ")}`,
      wrongArgCount: (name: string, count: number) => `hàm ${name}() cần ${count} tham số`,
      bareName: (name: string) => `"${name}" không phải từ khóa; câu hỏi phải viết dạng \${${name}}, chuỗi đặt trong nháy đơn '${name}'`,
    },
    /** Replies to an official whose answer cannot be taken; each says what is expected. */
    answer: {
      empty: "Đồng chí chưa nhập câu trả lời. Đề nghị trả lời câu hỏi trên.",
      needText: "Câu hỏi này cần trả lời bằng chữ hoặc số, không phải tệp. Đề nghị nhập câu trả lời.",
      needFile: (formats: string) => `Câu hỏi này cần gửi tệp (${formats}). Đề nghị gửi tệp đính kèm.`,
      notNumber: "Đề nghị nhập một số, ví dụ 12 hoặc 12,5.",
      notInteger: "Đề nghị nhập một số nguyên, ví dụ 12.",
      integerHasFraction: (input: string) => `"${input}" không phải số nguyên. Đề nghị nhập một số nguyên, ví dụ 12.`,
      ambiguousComma:
        'Số nguyên không dùng dấu phẩy (dấu phẩy là dấu thập phân). Đề nghị nhập số không có dấu phẩy, ví dụ 1234 hoặc 1.234.',
      negative: "Số không được âm. Đề nghị nhập số từ 0 trở lên.",
      between: (min: string, max: string) => `Số phải từ ${min} đến ${max}.`,
      atLeast: (min: string) => `Số phải từ ${min} trở lên.`,
      atMost: (max: string) => `Số không được lớn hơn ${max}.`,
      notDate: "Đề nghị nhập ngày theo dạng ngày/tháng/năm, ví dụ 15/09/2026.",
      noYear: "Đề nghị ghi đủ ngày, tháng và năm, ví dụ 15/09/2026.",
      impossibleDate: (date: string) => `Ngày ${date} không có trong lịch. Đề nghị kiểm tra lại ngày, tháng.`,
      dateBetween: (min: string, max: string) => `Ngày phải từ ${min} đến ${max}.`,
      dateFrom: (min: string) => `Ngày phải từ ${min} trở về sau.`,
      dateUntil: (max: string) => `Ngày không được sau ${max}.`,
      yesNo: 'Đề nghị trả lời "Có" hoặc "Không".',
      chooseOne: (count: number) => `Đề nghị chọn một mục: gõ số thứ tự (từ 1 đến ${count}) hoặc nội dung của mục.`,
      unknownChoice: (item: string, count: number) =>
        `Không có mục "${item}". Đề nghị gõ số thứ tự (từ 1 đến ${count}) hoặc nội dung của mục.`,
      chooseSeveral: (count: number) =>
        `Đề nghị chọn một hoặc nhiều mục: gõ số thứ tự (từ 1 đến ${count}), cách nhau bằng dấu phẩy, ví dụ 1, 3.`,
      chooseAtLeast: (min: number) => `Đề nghị chọn ít nhất ${min} mục.`,
      chooseAtMost: (max: number) => `Đề nghị chọn nhiều nhất ${max} mục.`,
      chooseBetween: (min: number, max: number) => `Đề nghị chọn từ ${min} đến ${max} mục.`,
      tooLong: (length: number, max: number) => `Nội dung quá dài (${length} ký tự, tối đa ${max} ký tự). Đề nghị rút gọn rồi gửi lại.`,
      tooShort: (min: number) => `Nội dung quá ngắn. Đề nghị viết ít nhất ${min} ký tự.`,
      patternMismatch: (hint: string | undefined) =>
        hint === undefined
          ? "Câu trả lời chưa đúng định dạng yêu cầu. Đề nghị kiểm tra lại và nhập lại."
          : `Câu trả lời chưa đúng định dạng yêu cầu (${hint}). Đề nghị kiểm tra lại và nhập lại.`,
      fileType: (formats: string) => `Trợ lý chỉ nhận tệp dạng ${formats}. Đề nghị gửi lại đúng loại tệp.`,
      fileTooBig: (sizeMb: string, maxMb: number) =>
        `Tệp quá lớn (${sizeMb} MB, tối đa ${maxMb} MB). Đề nghị nén tệp hoặc chụp lại với dung lượng nhỏ hơn.`,
      confidential: (marking: string) =>
        `Nội dung có dấu hiệu thuộc độ ${marking}. Theo quy định, tài liệu, thông tin mật tuyệt đối không gửi qua ứng dụng nhắn tin; trợ lý không lưu nội dung này. Đề nghị gửi theo đường văn thư mật. Nếu không phải tài liệu mật, đề nghị diễn đạt lại.`,
    },
    /** The review screen. */
    format: {
      yes: "Có",
      no: "Không",
      unanswered: "(chưa trả lời)",
      file: (name: string | undefined) => (name === undefined ? "(tệp đính kèm)" : `Tệp ${name}`),
      entry: (label: string, n: number) => `${label} thứ ${n}`,
      list: (items: string[]) => items.join("; "),
    },
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
    unknownPerson: (code: string) => `không có cán bộ "${code}"`,
    bodyNotCommittee: (code: string, kind: string) =>
      `đơn vị "${code}" có kind: ${kind}, không phải cấp ủy; Ban Thường vụ, Ủy ban Kiểm tra chỉ khai báo cho đơn vị kind: COMMITTEE`,
    officeBody:
      "kind: office không khai báo trong tệp: Văn phòng cấp ủy là những cán bộ có vai trò OFFICE của cấp ủy (ở mục people); chỉ được là: standing_board, inspection",
    duplicateBody: (kind: string, committee: string, first: string) =>
      `ban kind: ${kind} của cấp ủy "${committee}" bị khai báo hai lần (đã có ở ${first}); mỗi cấp ủy chỉ có một ban mỗi loại`,
    duplicateBodyMember: (person: string, first: string) => `cán bộ "${person}" bị khai báo hai lần trong cùng một ban (đã có ở ${first})`,
    twoChairs: (first: string) => `mỗi ban chỉ có một người đứng đầu (chair: true); đã có ở ${first}`,
    failed: (detail: string) => `Không nhập được: ${detail}`,
    databaseFailed: (where: string, detail: string) => `Không kết nối được cơ sở dữ liệu (${where}): ${detail}`,
    problemsHeader: (count: number) => `Tệp có ${count} lỗi, chưa nhập gì vào cơ sở dữ liệu:`,
    done: (file: string) => `Đã nhập tệp ${file}.`,
    summaryUnits: (c: Changes) => `  Đơn vị:        ${changes(c)}`,
    summaryPeople: (c: Changes) => `  Cán bộ:        ${changes(c)}`,
    summaryTemplates: (c: Changes, versions: number) => `  Mẫu báo cáo:   ${changes(c)}; ${versions} phiên bản biểu mẫu mới`,
    summaryRoles: (added: number, removed: number) => `  Vai trò:       thêm ${added}, bỏ ${removed}`,
    summaryTargets: (added: number, removed: number) => `  Giao báo cáo:  thêm ${added}, bỏ ${removed} (đơn vị phải báo cáo)`,
    summaryBodies: (created: number, updated: number, added: number, removed: number) =>
      `  Cơ quan cấp ủy: thêm ${created}, cập nhật ${updated}; thành viên: thêm ${added}, bỏ ${removed} (Ban Thường vụ, Ủy ban Kiểm tra)`,
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
  report: {
    dueHeader: "CÁC BÁO CÁO CẦN NỘP",
    nothingDue: "Hiện đơn vị của đồng chí không có báo cáo nào cần nộp. Trợ lý sẽ nhắn khi có kỳ báo cáo mới.",
    dueLine: (n: number, title: string, period: string, unit: string, due: string, state: string) =>
      `${n}. ${title} – ${period}\n   ${unit} · hạn ${due} · ${state}`,
    dueChoose: "Chọn báo cáo để bắt đầu hoặc làm tiếp.",
    dueChoiceLabel: (title: string, period: string) => `${title} – ${period}`,
    /** When a person reports for several units, the buttons must say which. */
    dueChoiceLabelUnit: (unit: string, title: string, period: string) => `${unit}: ${title} – ${period}`,
    /** The requester's instructions of an ad hoc request, shown before its first question and atop its review. */
    instructions: (text: string) => `Hướng dẫn của cấp ủy: ${text}`,
    states: {
      NOT_STARTED: "chưa bắt đầu",
      IN_PROGRESS: "đang làm",
      SUBMITTED: "đã nộp",
      overdue: "QUÁ HẠN",
      submittedAt: (when: string, late: boolean) => `đã nộp lúc ${when}${late ? " (muộn)" : ""}`,
    },
    started: (title: string, period: string, unit: string, due: string, total: number) =>
      [
        `Bắt đầu: ${title} – ${period}`,
        `Đơn vị: ${unit}. Hạn nộp: ${due}.`,
        `Báo cáo có khoảng ${total} câu. Câu trả lời được lưu ngay khi đồng chí gửi; có thể dừng lúc nào và làm tiếp sau, trên Zalo hoặc Telegram.`,
        "Lệnh: /quaylai (câu trước) · /boqua (bỏ qua câu không bắt buộc) · /tiendo (tiến độ) · /xemlai (xem lại) · /huy (hủy bản nháp)",
      ].join("\n"),
    resumed: (title: string, period: string, answered: number, total: number) =>
      `Làm tiếp: ${title} – ${period} (đã trả lời ${answered}/${total} câu).`,
    questionHeader: (index: number, total: number) => `Câu ${index}/${total}`,
    entry: (label: string) => `[${label}]`,
    optional: "(không bắt buộc – gõ /boqua để bỏ qua)",
    hint: (hint: string) => `Gợi ý: ${hint}`,
    current: (value: string) => `Trả lời hiện tại: ${value}`,
    expect: {
      text: "Nhập câu trả lời.",
      long_text: "Nhập nội dung (có thể viết nhiều dòng trong một tin nhắn).",
      integer: "Nhập một số, ví dụ 12.",
      decimal: "Nhập một số, ví dụ 12,5.",
      date: "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 15/9/2026.",
      yes_no: "Chọn Có hoặc Không.",
      select_one: "Chọn một phương án.",
      select_multiple: "Chọn một hoặc nhiều phương án: gõ các số thứ tự, cách nhau bởi dấu phẩy (ví dụ: 1, 3).",
      file: (formats: string, mb: number) => `Gửi tệp ${formats} hoặc ảnh chụp văn bản đã ký (tối đa ${mb} MB).`,
    },
    yes: "Có",
    no: "Không",
    more: (entryLabel: string, count: number) =>
      count === 0 ? `Có ${entryLabel.toLowerCase()} nào cần kê khai không?` : `Đã ghi ${count} mục. Còn ${entryLabel.toLowerCase()} nào nữa không?`,
    defaultEntry: (n: number) => `Mục ${n}`,
    retry: (error: string) => `⚠️ ${error}`,
    cannotSkip: "Câu này bắt buộc, không bỏ qua được. Đề nghị đồng chí trả lời.",
    skipped: "(bỏ qua)",
    unanswered: "(chưa trả lời)",
    unansweredRequired: "(chưa trả lời – bắt buộc)",
    atFirst: "Đây là câu đầu tiên.",
    progress: (answered: number, total: number, index: number) => `Tiến độ: đã trả lời ${answered}/${total} câu; đang ở câu ${index}.`,
    reviewHeader: (title: string, period: string, unit: string) => `XEM LẠI BÁO CÁO\n${title} – ${period}\n${unit}`,
    reviewLine: (n: number, label: string, value: string) => `${n}. ${label}: ${value}`,
    reviewMissing: (count: number) => `Còn ${count} câu bắt buộc chưa trả lời.`,
    reviewActions: { submit: "Gửi báo cáo", edit: "Sửa một câu", later: "Để sau" },
    reviewHowTo: "Gõ GỬI để gửi báo cáo, SỬA kèm số thứ tự câu (ví dụ: sửa 3) để sửa, hoặc ĐỂ SAU để lưu lại làm tiếp sau.",
    reviewResubmit: "Đây là bản chỉnh sửa của báo cáo đã nộp; gửi lại sẽ tạo một lần nộp mới, các lần trước vẫn được lưu.",
    pickEdit: (max: number) => `Gõ số thứ tự câu cần sửa (từ 1 đến ${max}).`,
    badPick: (max: number) => `Đề nghị gõ một số từ 1 đến ${max}.`,
    later: "Đã lưu. Khi nào cần, gõ /baocao để làm tiếp.",
    missingBeforeSubmit: (count: number) => `Còn ${count} câu bắt buộc chưa trả lời; trợ lý sẽ hỏi lần lượt.`,
    receipt: (reference: string, revision: number, when: string, late: boolean, title: string, period: string) =>
      [
        `✅ ĐÃ NHẬN BÁO CÁO: ${title} – ${period}`,
        `Số tiếp nhận: ${reference}${revision > 1 ? ` (lần nộp thứ ${revision})` : ""}`,
        `Thời điểm: ${when}${late ? " – NỘP MUỘN so với hạn" : " – đúng hạn"}.`,
      ].join("\n"),
    editableUntil: (due: string) => `Đồng chí có thể sửa báo cáo đến ${due}: gõ /baocao rồi chọn báo cáo này.`,
    multiDone: "Xong",
    multiPicked: (labels: string[]) =>
      labels.length === 0 ? "Chưa chọn mục nào. Bấm các mục cần chọn, rồi bấm Xong." : `Đã chọn: ${labels.join("; ")}. Bấm thêm để chọn, bấm lại để bỏ, rồi bấm Xong.`,
    editableAnytime: "Đồng chí có thể sửa báo cáo này cả sau hạn nộp: gõ /baocao rồi chọn báo cáo này. Mỗi lần sửa được lưu thành một lần nộp mới.",
    alreadySubmitted: (when: string, reference: string) =>
      `Báo cáo này đã được nộp lúc ${when} (số tiếp nhận ${reference}). Đồng chí có thể xem lại và sửa rồi gửi lại.`,
    notEditable: (when: string) => `Báo cáo đã nộp lúc ${when} và đã quá hạn nên không sửa được nữa. Nếu cần, đề nghị liên hệ Văn phòng cấp ủy.`,
    confirmCancel: (submitted: boolean) =>
      submitted
        ? "Hủy các thay đổi chưa gửi và giữ nguyên báo cáo đã nộp?"
        : "Hủy bản nháp? Mọi câu trả lời đã nhập của báo cáo này sẽ bị xóa.",
    cancelled: (submitted: boolean) => (submitted ? "Đã hủy các thay đổi; báo cáo đã nộp giữ nguyên." : "Đã hủy bản nháp."),
    notCancelled: "Không hủy. Tiếp tục báo cáo.",
    notReporter: "Đồng chí không có quyền nộp báo cáo này (chỉ cán bộ được giao báo cáo hoặc người đứng đầu đơn vị).",
    confidential: (marking: string) =>
      `⛔ Nội dung có dấu hiệu tài liệu ${marking}. Theo quy định, tài liệu mật không được gửi qua ứng dụng nhắn tin. Trợ lý không lưu nội dung này. Đề nghị gửi bản không chứa thông tin mật, hoặc gửi tài liệu mật theo đường văn thư.`,
    fileExpected: "Câu này cần một tệp (PDF, Word) hoặc ảnh chụp. Đề nghị gửi tệp.",
    textExpected: "Câu này cần trả lời bằng chữ, không phải tệp.",
    fileTooLarge: (mb: number) => `Tệp quá lớn (tối đa ${mb} MB). Đề nghị gửi tệp nhỏ hơn hoặc ảnh chụp.`,
    fileRefused: {
      download_failed: "Không tải được tệp từ ứng dụng nhắn tin. Đề nghị gửi lại.",
      empty: "Tệp rỗng, không có nội dung. Đề nghị gửi lại tệp.",
      unsupported_type: "Trợ lý chỉ nhận tệp PDF, Word, Excel hoặc ảnh JPG/PNG. Đề nghị gửi đúng loại tệp.",
      type_mismatch: "Nội dung tệp không đúng với phần mở rộng trong tên tệp. Đề nghị kiểm tra và gửi lại.",
    },
    fileSaved: (name: string) => `Đã nhận tệp ${name}.`,
    sharedDraft: (name: string) => `(${name} cũng đang làm báo cáo này; các câu đã trả lời được dùng chung.)`,
  },
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
    /** One answer for a wrong, used or expired code: a stranger must not learn which. */
    invalid:
      "Mã mời này không dùng được: mã không đúng, đã được sử dụng hoặc đã hết hạn. Đồng chí kiểm tra lại mã 8 ký tự do Văn phòng cấp ủy cấp rồi gửi lại: /start MÃ-MỜI (ví dụ: /start K7PM4QXD). Nếu vẫn không được, đề nghị liên hệ Văn phòng cấp ủy để được cấp mã mới.",
    throttled: "Đồng chí đã nhập sai mã quá nhiều lần. Vì lý do an toàn, đề nghị thử lại sau 15 phút.",
    /** Too many wrong codes from all accounts together: says nothing about this one. */
    busy: "Trợ lý đang nhận nhiều yêu cầu liên kết tài khoản cùng lúc. Đề nghị đồng chí thử lại sau ít phút.",
    alreadyLinked: "Tài khoản này đã được liên kết với đồng chí từ trước; đồng chí có thể dùng trợ lý ngay. Gõ /huongdan để xem các lệnh.",
    linkedToOther:
      "Tài khoản này đã được liên kết từ trước nên không dùng được mã mời này. Mỗi tài khoản chỉ gắn với một người; nếu cần thay đổi, đề nghị liên hệ Văn phòng cấp ủy.",
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
    /** Names of the Labour Code's days off (Art. 112), used for a year whose official schedule is not loaded. */
    statutory: {
      newYear: "Tết Dương lịch",
      tet: "Tết Nguyên đán",
      hungKings: "Giỗ Tổ Hùng Vương (10/3 âm lịch)",
      reunification: "Ngày Chiến thắng 30/4",
      labour: "Ngày Quốc tế Lao động 1/5",
      nationalDay: "Quốc khánh 2/9",
      nationalDayAdjacent: "Quốc khánh (ngày liền kề)",
      compensation: (name: string) => `Nghỉ bù ${name}`,
    },
  },
  /** The holiday table import (`npm run calendar:holidays`), read by the committee office. */
  holidaysCli: {
    usage: [
      "Cách dùng: npm run calendar:holidays -- [tệp.yaml]",
      "  Nạp lịch nghỉ lễ, Tết và ngày làm bù vào cơ sở dữ liệu. Không ghi tệp thì dùng lịch có sẵn prisma/holidays/vn-2025-2026.yaml.",
      "  Với mỗi năm có trong tệp, lịch chung của năm đó được thay bằng nội dung tệp; các năm khác giữ nguyên.",
      "  Năm chưa nạp lịch thì ngày nghỉ được tạm tính theo Điều 112 Bộ luật Lao động (không có ngày hoán đổi).",
    ].join("\n"),
    badOption: (detail: string) => `Tham số không hợp lệ: ${detail}`,
    problemsHeader: (count: number) => `Tệp có ${count} lỗi, chưa nạp gì vào cơ sở dữ liệu:`,
    databaseFailed: (where: string, detail: string) => `Không kết nối được cơ sở dữ liệu (${where}): ${detail}`,
    failed: (detail: string) => `Không nạp được lịch nghỉ: ${detail}`,
    done: (file: string, years: number[], created: number, updated: number, removed: number) =>
      `Đã nạp lịch nghỉ từ tệp ${file} (năm ${years.join(", ")}): ${created} ngày mới, ${updated} ngày sửa, ${removed} ngày bỏ.`,
  },
  channels: {
    /** Last line under numbered options on Zalo, which has no buttons. */
    choiceHint: "Trả lời bằng số thứ tự hoặc nội dung lựa chọn.",
    /** Zalo cannot send documents: the file is offered as a link instead. */
    fileLink: (fileName: string, url: string) => `Tệp ${fileName}: ${url}`,
    fileNotSent: (fileName: string) =>
      `Tệp ${fileName} không gửi được qua Zalo (Zalo không cho trợ lý gửi tài liệu). Đồng chí vui lòng lấy tệp qua Telegram, hoặc nhờ Văn phòng cấp ủy gửi.`,
  },
  /** Excel and CSV exports, charts and download links (src/exports, src/http/file-links.ts). */
  exports: {
    states: {
      submitted_on_time: "Đúng hạn",
      submitted_late: "Nộp muộn",
      in_progress: "Đang làm",
      not_started: "Chưa bắt đầu",
      overdue: "Quá hạn",
    },
    yes: "Có",
    no: "Không",
    statusSheet: "Tình hình nộp",
    infoSheet: "Thông tin",
    /** The questions (chất vấn) sheet, and the same as one CSV file. */
    questionsSheet: "Chất vấn",
    questionsNote: "Chất vấn, kiến nghị, đề nghị cung cấp thông tin của cấp ủy (đến thời điểm xuất)",
    questionColumns: {
      reference: "Số hiệu",
      committee: "Cấp ủy",
      askedAt: "Ngày gửi",
      askedBy: "Người hỏi",
      enteredBy: "Người nhập thay",
      kind: "Loại",
      addressee: "Gửi đến",
      conference: "Hội nghị, kỳ họp",
      deadline: "Hạn trả lời",
      state: "Tình trạng",
      firstAnswerAt: "Trả lời lần đầu",
      answeredOnTime: "Trả lời đúng hạn",
      answers: "Số lần trả lời",
      verdict: "Đánh giá của người hỏi",
      verdictComment: "Ý kiến của người hỏi",
      followUpOf: "Hỏi tiếp chất vấn số",
      text: "Nội dung",
    },
    questionKinds,
    questionStates: { open: "Chưa trả lời", open_overdue: "Chưa trả lời (quá hạn)", answered: "Đã trả lời", closed: "Đã đóng" },
    verdicts: { SATISFIED: "Hài lòng", NOT_SATISFIED: "Chưa hài lòng" },
    /** An answer that does not apply yet (not due, no verdict). */
    notApplicable: "—",
    statusColumns: {
      group: "Nhóm (đơn vị cấp trên)",
      unitCode: "Mã đơn vị",
      unit: "Đơn vị",
      report: "Báo cáo",
      period: "Kỳ",
      deadline: "Hạn nộp",
      state: "Tình trạng",
      submittedAt: "Thời điểm nộp",
      submittedBy: "Người nộp",
      revision: "Lần nộp",
      reference: "Số tiếp nhận",
      daysLate: "Số ngày trễ",
    },
    unit: "Đơn vị",
    entry: "Mục số",
    info: {
      title: "Tiêu đề",
      generatedAt: "Thời điểm xuất",
      sheet: "Trang tính",
      content: "Nội dung",
      period: "Kỳ",
      repeatOf: (template: string) => `Danh sách kèm theo – ${template}`,
    },
    chart: {
      more: (n: number) => `… và ${n} đơn vị khác`,
      morePeriods: (n: number) => `… và ${n} kỳ khác`,
      empty: "Chưa có số liệu.",
      onTimeAxis: "Tỷ lệ nộp đúng hạn",
    },
    link: {
      notFound: "Liên kết tải tệp không hợp lệ.",
      expired: "Liên kết tải tệp đã hết hạn. Đồng chí vui lòng yêu cầu trợ lý xuất lại.",
    },
  },
  /** Reminders, escalations and the committee's digest (src/reminders). */
  reminders: {
    openLabel: "Mở báo cáo",
    /** Under a reminder on Zalo, which has no buttons. */
    zaloHint: "Gõ 1 hoặc /baocao để mở báo cáo.",
    standIn: (name: string) => `(Đồng chí nhận thay đồng chí ${name} đang vắng.)`,
    opened: (title: string, period: string, unit: string, due: string) =>
      [`📋 Đã mở kỳ báo cáo: ${title} – ${period}.`, `Đơn vị: ${unit}. Hạn nộp: ${due}.`, "Đề nghị đồng chí chuẩn bị và nộp đúng hạn."].join("\n"),
    before: (days: number, title: string, period: string, unit: string, due: string) =>
      [`⏰ Còn ${days} ngày làm việc nữa đến hạn nộp ${title} – ${period}.`, `Đơn vị: ${unit}. Hạn nộp: ${due}.`].join("\n"),
    deadlineDay: (title: string, period: string, unit: string, time: string) =>
      [`⏰ Hôm nay là hạn nộp ${title} – ${period}.`, `Đơn vị: ${unit}. Đề nghị đồng chí nộp trước ${time} hôm nay.`].join("\n"),
    overdue: (days: number, title: string, period: string, unit: string, due: string) =>
      [
        `⚠️ ${title} – ${period} đã quá hạn ${days} ngày làm việc (hạn ${due}).`,
        `Đơn vị: ${unit}. Đề nghị đồng chí nộp sớm; báo cáo nộp muộn vẫn được tiếp nhận.`,
      ].join("\n"),
    escalation: (days: number, unit: string, title: string, period: string, due: string) =>
      [
        `⚠️ ${unit} chưa nộp ${title} – ${period}, đã quá hạn ${days} ngày làm việc (hạn ${due}).`,
        "Đề nghị đồng chí chỉ đạo hoàn thành, hoặc trực tiếp nộp báo cáo.",
      ].join("\n"),
    digestHeader: (committee: string, date: string, count: number) =>
      `TỔNG HỢP BÁO CÁO QUÁ HẠN – ${committee}, ngày ${date}\nCó ${count} báo cáo chưa nộp, đã quá hạn nhiều ngày:`,
    digestLine: (n: number, unit: string, title: string, period: string, days: number) =>
      `${n}. ${unit} – ${title} – ${period}: quá hạn ${days} ngày làm việc`,
    digestFooter: "Trợ lý vẫn nhắc các đơn vị và người đứng đầu hằng ngày trong giờ hành chính.",
    /** To the committee office from 1 November, while next year's official holiday schedule is not loaded. */
    holidayNotice: {
      range: (from: string, to: string) => `${from}–${to}`,
      text: (year: number, breaks: string[]) =>
        [
          `📅 Chưa có lịch nghỉ lễ, Tết chính thức năm ${year} trong hệ thống.`,
          `Hiện trợ lý tạm tính ngày làm việc năm ${year} theo Điều 112 Bộ luật Lao động, chưa có ngày hoán đổi; các đợt nghỉ: ${breaks.join("; ")}.`,
          `Khi Chính phủ công bố lịch nghỉ năm ${year}, đề nghị Văn phòng cấp ủy nạp lịch (lệnh npm run calendar:holidays -- <tệp lịch>.yaml trên máy chủ) để hạn nộp và lịch nhắc báo cáo được tính đúng.`,
        ].join("\n"),
    },
  },
  /** Reminders and escalations of open questions (src/questions/reminders.ts). */
  questionReminders: {
    /** `kind`: questions.kinds, in small letters mid-sentence. */
    before: (days: number, kind: string, ref: string, asker: string, due: string) =>
      `⏰ Còn ${days} ngày làm việc nữa đến hạn trả lời ${kind} ${ref} của đồng chí ${asker} (hạn ${due}).`,
    dueDay: (kind: string, ref: string, asker: string, time: string) =>
      `⏰ Hôm nay là hạn trả lời ${kind} ${ref} của đồng chí ${asker}. Đề nghị đồng chí trả lời trước ${time} hôm nay.`,
    /** `kind` as questions.kinds has it: it starts the sentence. */
    overdue: (kind: string, ref: string, asker: string, addressee: string, days: number, due: string) =>
      `⚠️ ${kind} ${ref} của đồng chí ${asker} gửi ${addressee} đã quá hạn trả lời ${days} ngày làm việc (hạn ${due}).`,
    excerpt: (text: string) => `Nội dung: «${text}»`,
    headsAction: "Đề nghị đồng chí đôn đốc trả lời sớm.",
    officeAction: "Đề nghị Văn phòng cấp ủy theo dõi, đôn đốc việc trả lời.",
    /** A person addressed, as named in an escalation. */
    person: (name: string) => `đồng chí ${name}`,
    viewHint: (ref: string) => `Xem toàn văn: /xem ${ref}.`,
  },
  /** The committee's commands (src/committee): status, overdue, view, summary, scorecard, export, chart. */
  committee: {
    refused:
      "Lệnh này dành cho cấp ủy viên và văn phòng cấp ủy. Đồng chí chưa được giao vai trò này; nếu cần, đồng chí vui lòng liên hệ Văn phòng cấp ủy.",
    unitNotFound: (query: string) => `Không tìm thấy đơn vị "${query}". Đồng chí gõ mã đơn vị hoặc một phần tên đơn vị (có thể không dấu).`,
    unitMany: (query: string, lines: string[], more: number) =>
      [`Có nhiều đơn vị khớp với "${query}":`, ...lines, ...(more > 0 ? [`… và ${more} đơn vị khác.`] : []), "Đồng chí gõ lại với mã đơn vị (trong ngoặc)."].join("\n"),
    unitLine: (name: string, code: string) => `• ${name} (${code})`,
    nothing: "Chưa có kỳ báo cáo nào trong phạm vi của đồng chí khớp với yêu cầu.",
    nothingFor: (what: string) => `Không có báo cáo nào của ${what} trong phạm vi của đồng chí.`,
    updated: (when: string) => `(số liệu lúc ${when})`,
    marks: { submitted_on_time: "✅", submitted_late: "🕘", in_progress: "✏️", not_started: "⬜", overdue: "❗" },
    stateNames: {
      submitted_on_time: "đúng hạn",
      submitted_late: "muộn",
      in_progress: "đang làm",
      not_started: "chưa bắt đầu",
      overdue: "quá hạn",
    },
    legend: "✅ đúng hạn · 🕘 nộp muộn · ✏️ đang làm · ⬜ chưa bắt đầu · ❗ quá hạn",
    daysLate: (days: number) => (days > 0 ? `${days} ngày làm việc` : "trong ngày"),
    help: {
      header: "LỆNH CỦA CẤP ỦY (xem các đơn vị thuộc phạm vi của đồng chí)",
      status: "/trangthai (/status) [kỳ] [đơn vị | mã mẫu] – tiến độ nộp báo cáo; kỳ viết như Q4/2026, T12/2026, 2026",
      overdue: "/quahan (/overdue) [kỳ] [đơn vị] – các đơn vị quá hạn, người đứng đầu, lần nhắc gần nhất",
      view: "/xem (/view) <đơn vị> [kỳ] [sosanh] – xem báo cáo của một đơn vị; sosanh: những gì thay đổi giữa hai lần nộp",
      summary: "/tonghop (/summary) [kỳ] [câu hỏi] – tổng, trung bình các số liệu; kèm tên câu hỏi để gom các câu trả lời",
      scorecard: "/danhgia (/scorecard) <năm> – xếp hạng đơn vị theo tỷ lệ nộp đúng hạn",
      export: "/xuat (/export) [kỳ] [csv] – xuất tiến độ và số liệu ra tệp Excel (hoặc CSV)",
      chart: "/bieudo (/chart) [kỳ | năm] – biểu đồ tiến độ theo đơn vị, hoặc tỷ lệ đúng hạn theo quý",
      officeNote: "Đồng chí thuộc Văn phòng cấp ủy.",
    },
    status: {
      header: (scope: string) => `TIẾN ĐỘ BÁO CÁO – ${scope}`,
      slice: (title: string, period: string, due: string) => `📋 ${title} – ${period}\nHạn nộp: ${due}`,
      totals: (done: number, total: number, pct: number, onTime: number, late: number) =>
        `Đã nộp ${done}/${total} (${pct}%): ✅ đúng hạn ${onTime} · 🕘 muộn ${late}`,
      open: (inProgress: number, notStarted: number, overdue: number) =>
        `Chưa nộp: ✏️ đang làm ${inProgress} · ⬜ chưa bắt đầu ${notStarted} · ❗ quá hạn ${overdue}`,
      notDone: (n: number) => `Đơn vị chưa nộp (${n}):`,
      group: (parent: string) => `${parent}:`,
      unit: (mark: string, name: string) => `  ${mark} ${name}`,
      moreOpen: (n: number) => `  … và ${n} đơn vị khác chưa nộp. Gõ /trangthai <đơn vị> để xem từng cấp ủy.`,
      doneCount: (n: number) => `✅ ${n} đơn vị đã nộp (không liệt kê).`,
      allDone: "Tất cả đơn vị đã nộp.",
      /** The year's official holiday schedule is not loaded; the office is told how to load it. */
      holidaysMissing: (year: number, office: boolean) =>
        `📅 Chưa nạp lịch nghỉ lễ, Tết chính thức năm ${year}: ngày làm việc và hạn nộp năm ${year} đang tạm tính theo Bộ luật Lao động.` +
        (office ? ` Khi Chính phủ công bố, đề nghị nạp lịch bằng lệnh npm run calendar:holidays -- <tệp lịch>.yaml trên máy chủ.` : ""),
    },
    overdue: {
      header: (scope: string, n: number) => `BÁO CÁO QUÁ HẠN – ${scope}: ${n} báo cáo`,
      none: "Không có báo cáo nào quá hạn. ✅",
      line: (n: number, unit: string, title: string, period: string, days: string, inProgress: boolean) =>
        `${n}. ❗ ${unit} – ${title} – ${period}: quá hạn ${days}${inProgress ? " (đang làm)" : ""}`,
      head: (names: string | null) => `   Người đứng đầu: ${names ?? "(chưa có)"}`,
      reminded: (when: string | null) => `   Nhắc gần nhất: ${when ?? "chưa nhắc"}`,
      /** Reasons as recorded by the send worker: blocked, chat_not_found, user_deactivated... */
      undelivered: (reasons: string) =>
        `   ⚠️ Có tin nhắc không gửi được (${reasons
          .split(", ")
          .map((r) => ({ blocked: "người nhận đã chặn trợ lý", chat_not_found: "không tìm thấy tài khoản", user_deactivated: "tài khoản đã ngừng" })[r] ?? r)
          .join(", ")}): đề nghị liên hệ trực tiếp.`,
      more: (n: number) => `… và ${n} báo cáo quá hạn khác (xem đủ bằng /xuat).`,
    },
    view: {
      usage: "Đồng chí gõ tên hoặc mã đơn vị, ví dụ: /xem tan lap Q4/2026",
      header: (unit: string, title: string, period: string) => `📄 ${unit}\n${title} – ${period}`,
      state: (state: string, due: string) => `Tình trạng: ${state} · hạn ${due}`,
      notSubmitted: "Đơn vị chưa nộp báo cáo này.",
      revision: (n: number, total: number, by: string, when: string, onTime: boolean, reference: string) =>
        `Lần nộp thứ ${n}${total > 1 ? ` (trong ${total} lần)` : ""} · ${by} · ${when} · ${onTime ? "đúng hạn" : "nộp muộn"} · số ${reference}`,
      answer: (label: string, value: string) => `• ${label}: ${value}`,
      entry: (label: string) => `[${label}]`,
      attachments: (names: string[]) => `Tệp đính kèm: ${names.join("; ")}`,
      noAnswers: "(không có câu trả lời)",
      diffHeader: (from: number, to: number) => `THAY ĐỔI TỪ LẦN NỘP ${from} SANG LẦN ${to}:`,
      diffChanged: (label: string, before: string, after: string) => `• ${label}: ${before} → ${after}`,
      diffAdded: (label: string, value: string) => `• ${label}: (thêm) ${value}`,
      diffRemoved: (label: string, value: string) => `• ${label}: (bỏ) ${value}`,
      diffNone: "Hai lần nộp có nội dung giống nhau.",
      diffOnlyOne: "Báo cáo mới nộp một lần, chưa có gì để so sánh.",
    },
    summary: {
      header: (scope: string) => `TỔNG HỢP SỐ LIỆU – ${scope}`,
      slice: (title: string, period: string, units: number, total: number) => `📋 ${title} – ${period} (${units}/${total} đơn vị đã nộp)`,
      number: (label: string, sum: string, avg: string, units: number) => `• ${label}: tổng ${sum} · trung bình ${avg} (${units} đơn vị)`,
      /** A question inside a repeat: several entries per unit, so the average is per entry. */
      numberEntries: (label: string, sum: string, avg: string, entries: number, units: number) =>
        `• ${label}: tổng ${sum} · trung bình ${avg} mỗi mục (${entries} mục của ${units} đơn vị)`,
      noNumbers: "  (chưa có số liệu)",
      questionNotFound: (q: string) => `Không có câu hỏi nào khớp với "${q}" trong các mẫu báo cáo của kỳ này.`,
      texts: (label: string, n: number) => `💬 ${label} (${n} câu trả lời):`,
      text: (unit: string, answer: string) => `– ${unit}: ${answer}`,
      noTexts: "  (chưa có câu trả lời)",
      moreTexts: (n: number) => `… và ${n} câu trả lời khác (xem đủ bằng /xuat).`,
    },
    scorecard: {
      usage: "Đồng chí gõ năm cần đánh giá, ví dụ: /danhgia 2026",
      header: (scope: string, year: number) => `ĐÁNH GIÁ VIỆC NỘP BÁO CÁO NĂM ${year} – ${scope}\n(đơn vị yếu nhất trước)`,
      line: (n: number, unit: string, onTime: number, due: number, pct: number, avgLate: string, questions: string) =>
        `${n}. ${unit}: đúng hạn ${onTime}/${due} (${pct}%)${avgLate}${questions}`,
      avgLate: (days: string) => ` · muộn TB ${days} ngày LV`,
      /** Questions (chất vấn, not proposals) whose deadline passed or that were answered: on time, late, unanswered. */
      questions: (onTime: number, total: number, late: number, unanswered: number) =>
        ` · chất vấn trả lời đúng hạn ${onTime}/${total}${late > 0 ? `, trả lời muộn ${late}` : ""}${unanswered > 0 ? `, quá hạn chưa trả lời ${unanswered}` : ""}`,
      persons: "Chất vấn gửi đến cá nhân:",
      person: (n: number, name: string, onTime: number, total: number, late: number, unanswered: number) =>
        `${n}. ${name}: trả lời đúng hạn ${onTime}/${total}${late > 0 ? `, trả lời muộn ${late}` : ""}${unanswered > 0 ? `, quá hạn chưa trả lời ${unanswered}` : ""}`,
      morePersons: (n: number) => `… và ${n} người khác.`,
      more: (n: number) => `… và ${n} đơn vị khác (xem đủ bằng /xuat).`,
      none: (year: number) => `Chưa có báo cáo nào đến hạn trong năm ${year}.`,
    },
    export: {
      title: (scope: string, periods: string) => `Báo cáo – ${scope} – ${periods}`,
      caption: (rows: number, periods: string) => `📊 Tiến độ và số liệu ${periods}: ${rows} dòng.`,
      fileName: (slug: string, ext: string) => `baocao-${slug}.${ext}`,
      unavailable: "Chức năng xuất tệp đang được hoàn thiện. Đồng chí vui lòng thử lại sau.",
      tooLarge: "Tệp quá lớn để gửi qua tin nhắn. Đồng chí vui lòng thu hẹp phạm vi (một kỳ, một đơn vị) hoặc chọn csv.",
    },
    chart: {
      progressTitle: (scope: string) => `Tiến độ nộp báo cáo – ${scope}`,
      rateTitle: (scope: string, year: number) => `Tỷ lệ nộp báo cáo đúng hạn năm ${year} – ${scope}`,
      bars: (shown: number, total: number) => `${shown}/${total} đơn vị có tỷ lệ thấp nhất`,
      quarter: (q: number, year: number) => `Quý ${["I", "II", "III", "IV"][q - 1] ?? String(q)}/${year}`,
      quarterOpen: (q: number, year: number) => `Quý ${["I", "II", "III", "IV"][q - 1] ?? String(q)}/${year} (chưa hết hạn)`,
      caption: (title: string) => `📈 ${title}`,
    },
  },
  /** The committee's guided and proactive commands (src/committee/remind.ts, request*.ts): /nhac and /yeucau. */
  committeeFlows: {
    help: {
      remind: "/nhac (/remind) <đơn vị | tatca> – nhắc ngay người báo cáo của đơn vị chưa nộp; tatca: mọi đơn vị đã quá hạn",
      request: "/yeucau (/request) – yêu cầu các đơn vị báo cáo đột xuất (theo mẫu có sẵn hoặc tự nhập câu hỏi)",
    },
    remind: {
      usage: "Đồng chí gõ tên hoặc mã đơn vị cần nhắc, ví dụ: /nhac an lac; hoặc /nhac tatca để nhắc mọi đơn vị đã quá hạn.",
      nothingOpen: (unit: string) => `${unit} không có báo cáo nào đang chờ nộp, không cần nhắc.`,
      nothingOverdue: "Không có đơn vị nào quá hạn trong phạm vi của đồng chí. ✅",
      cooldown: (unit: string, when: string) => `${unit} vừa được nhắc. Để tránh làm phiền, đồng chí có thể nhắc lại từ ${when}.`,
      allCooling: (when: string) => `Các đơn vị quá hạn đều vừa được nhắc. Đồng chí có thể nhắc lại từ ${when}.`,
      noRecipients: "Không có ai để nhắc: người báo cáo của các đơn vị này chưa liên kết tài khoản Zalo hoặc Telegram.",
      alreadyToday: "Những người này đã được nhắc hôm nay; trợ lý không nhắc trùng trong một ngày.",
      planned: (people: number, units: number, when: string | null) =>
        `✅ Đã nhắc ${people} người ở ${units} đơn vị${when === null ? "; tin nhắn đang được gửi." : `. Ngoài giờ hành chính nên tin nhắn sẽ được gửi lúc ${when}.`}`,
      skippedCooling: (n: number) => `(${n} đơn vị vừa được nhắc gần đây nên lần này bỏ qua.)`,
      notLinked: (units: string[]) => `Chưa liên kết tài khoản nên không nhận được tin nhắc: ${units.join(", ")}.`,
      message: (title: string, period: string, unit: string, due: string, overdue: boolean, by: string) =>
        [
          `🔔 Nhắc nộp báo cáo: ${title} – ${period}.`,
          `Đơn vị: ${unit}. Hạn nộp: ${due}${overdue ? " (đã quá hạn)" : ""}.`,
          `Đồng chí ${by} đề nghị đơn vị hoàn thành và nộp báo cáo sớm.`,
        ].join("\n"),
    },
    request: {
      start: "YÊU CẦU BÁO CÁO ĐỘT XUẤT\nBước 1/5: Đồng chí chọn một mẫu báo cáo có sẵn, hoặc «Tự nhập câu hỏi».\n(Gõ /huy để hủy bất cứ lúc nào.)",
      inlineLabel: "Tự nhập câu hỏi",
      askQuestion: (n: number, max: number) => `Đồng chí gõ câu hỏi thứ ${n} (mỗi tin nhắn một câu, tối đa ${max} câu). Gõ "xong" khi đã đủ.`,
      questionSaved: (n: number) => `Đã ghi câu ${n}. Đồng chí gõ câu hỏi tiếp theo, hoặc "xong" để sang bước sau.`,
      needOneQuestion: "Cần ít nhất một câu hỏi. Đồng chí gõ câu hỏi thứ nhất.",
      maxQuestions: (max: number) => `Đã đủ ${max} câu hỏi.`,
      questionLength: (min: number, max: number) => `Mỗi câu hỏi cần từ ${min} đến ${max} ký tự. Đồng chí gõ lại.`,
      askTitle: "Bước 2/5: Đồng chí gõ tiêu đề của yêu cầu, ví dụ: Báo cáo tình hình khắc phục hậu quả bão số 3.",
      titleLength: (min: number, max: number) => `Tiêu đề cần từ ${min} đến ${max} ký tự. Đồng chí gõ lại.`,
      askInstructions: (max: number) => `Đồng chí gõ hướng dẫn ngắn cho các đơn vị (không quá ${max} ký tự), hoặc "bỏ qua".`,
      instructionsLength: (max: number) => `Hướng dẫn dài quá ${max} ký tự. Đồng chí viết gọn lại, hoặc gõ "bỏ qua".`,
      askUnits: (lines: string[], more: number) =>
        [
          "Bước 3/5: Gửi đến đơn vị nào?",
          ...lines,
          ...(more > 0 ? [`… và ${more} đơn vị khác: gõ một phần tên đơn vị để tìm.`] : []),
          `Đồng chí gõ "tất cả", hoặc số thứ tự, mã hay tên đơn vị, cách nhau bằng dấu phẩy (ví dụ: 1, 3, 5).`,
        ].join("\n"),
      unitLine: (n: number, name: string) => `${n}. ${name}`,
      unitSearch: (query: string, lines: string[], more: number) =>
        [
          `Các đơn vị khớp với "${query}":`,
          ...lines,
          ...(more > 0 ? [`… và ${more} đơn vị khác: gõ tên đầy đủ hơn.`] : []),
          "Đồng chí gõ số thứ tự của đơn vị cần chọn (nhiều số thì cách nhau bằng dấu phẩy).",
        ].join("\n"),
      unitProblems: (lines: string[]) => ["Chưa chọn được đơn vị:", ...lines, "Đồng chí gõ lại."].join("\n"),
      unitBadNumber: (n: string) => `• Không có số ${n} trong danh sách`,
      unitNone: (q: string) => `• Không tìm thấy đơn vị "${q}"`,
      unitAmbiguous: (q: string, n: number) => `• "${q}" khớp ${n} đơn vị; đồng chí gõ mã hoặc tên đầy đủ hơn`,
      unitNoFiler: (name: string) => `• ${name} chưa có người báo cáo`,
      noUnits: "Trong phạm vi của đồng chí chưa có đơn vị nào có người báo cáo, nên chưa gửi được yêu cầu.",
      manyCommittees: "Các đơn vị đã chọn thuộc nhiều cấp ủy khác nhau; mỗi yêu cầu chỉ gửi trong phạm vi một cấp ủy. Đồng chí chọn lại.",
      askDeadline:
        "Bước 4/5: Hạn nộp? Đồng chí gõ ngày dạng dd/mm/yyyy, có thể kèm giờ, ví dụ: 05/12/2026 hoặc 05/12/2026 10:00. Không ghi giờ thì hạn là 17:00.",
      deadlineBad: "Chưa đọc được ngày. Đồng chí gõ theo dạng dd/mm/yyyy, có thể kèm giờ (ví dụ 05/12/2026 17:00).",
      deadlinePast: "Hạn nộp phải sau thời điểm hiện tại. Đồng chí gõ lại.",
      confirmHeader: "Bước 5/5: ĐỒNG CHÍ KIỂM TRA LẠI YÊU CẦU",
      confirmTitle: (title: string) => `Tiêu đề: ${title}`,
      confirmTemplate: (title: string) => `Mẫu báo cáo: ${title}`,
      confirmQuestions: (n: number) => `Câu hỏi (${n}):`,
      confirmQuestion: (n: number, q: string) => `  ${n}. ${q}`,
      confirmInstructions: (text: string | null) => `Hướng dẫn: ${text ?? "(không có)"}`,
      confirmUnits: (n: number, names: string[], more: number) => `Đơn vị nhận (${n}): ${names.join("; ")}${more > 0 ? ` … và ${more} đơn vị khác` : ""}`,
      confirmDeadline: (due: string) => `Hạn nộp: ${due}`,
      confirmFooter: "Chưa có gì được gửi đi cho đến khi đồng chí chọn «Gửi yêu cầu».",
      sendLabel: "Gửi yêu cầu",
      editLabel: "Sửa",
      cancelLabel: "Hủy",
      editAsk: "Đồng chí muốn sửa phần nào?",
      editTemplate: "Mẫu hoặc câu hỏi",
      editText: "Tiêu đề và hướng dẫn",
      editUnits: "Đơn vị nhận",
      editDeadline: "Hạn nộp",
      pickOne: "Đồng chí chọn một trong các mục trên (bấm nút hoặc gõ số thứ tự).",
      cancelled: "Đã hủy yêu cầu báo cáo đột xuất. Chưa có gì được gửi đi.",
      sent: (title: string, units: number, people: number, when: string | null) =>
        [
          `✅ Đã gửi yêu cầu "${title}" đến ${units} đơn vị.`,
          `${people} người nhận thông báo${when === null ? " ngay" : ` lúc ${when} (ngoài giờ hành chính)`}; trợ lý sẽ nhắc theo lịch thông thường.`,
          "Theo dõi tiến độ bằng /trangthai.",
        ].join("\n"),
      failed: (problems: string[]) => ["Chưa gửi được yêu cầu:", ...problems.map((p) => `• ${p}`), "Đồng chí chọn «Sửa» để sửa lại, hoặc «Hủy»."].join("\n"),
      outsideNow: "Có đơn vị không còn thuộc phạm vi của đồng chí.",
      /** The period of an ad hoc request, shown after the report's title: "Báo cáo quý – Đột xuất ngày 18/12/2026". */
      periodTitle: (date: string) => `Đột xuất ngày ${date}`,
    },
  },
  /** Questions and answers (chất vấn): src/questions/. */
  questions: {
    help: {
      header: "CHẤT VẤN",
      ask: "/chatvan (/ask) – gửi chất vấn đến đơn vị, cá nhân hoặc cơ quan của cấp ủy",
      list: "/dschatvan (/questions) – danh sách chất vấn",
      view: "/xem CV-… – xem một chất vấn và các lần trả lời",
      answer: "/traloi CV-… (/answer) – trả lời chất vấn",
      delegate: "/giaosoan CV-… <họ tên> (/delegate) – giao đồng chí khác soạn trả lời",
    },
    kinds: questionKinds,
    statuses: { OPEN: "chưa trả lời", ANSWERED: "đã trả lời", CLOSED: "đã đóng" },
    verdicts: { SATISFIED: "hài lòng", NOT_SATISFIED: "chưa hài lòng" },
    bodyKinds: { STANDING_BOARD: "Ban Thường vụ", INSPECTION: "Ủy ban Kiểm tra", OFFICE: "Văn phòng" },
    notFound: (ref: string) => `Không tìm thấy chất vấn ${ref} trong phạm vi của đồng chí.`,
    refUsage: (command: string) => `Đồng chí gõ kèm số hiệu chất vấn, ví dụ: /${command} CV-2026-0001. Gõ /dschatvan để xem danh sách.`,
    ask: {
      noRole: "Chỉ cấp ủy viên (hoặc Văn phòng thay mặt cấp ủy viên) mới gửi được chất vấn.",
      onBehalf: (lines: string[]) =>
        ["CHẤT VẤN – Văn phòng nhập thay cấp ủy viên", "Đồng chí nhập chất vấn thay cấp ủy viên nào? Gõ số thứ tự hoặc họ tên.", ...lines, "(Gõ /huy để hủy bất cứ lúc nào.)"].join("\n"),
      noMembers: "Cấp ủy chưa có cấp ủy viên nào trong danh sách, nên chưa nhập thay được.",
      target: (step: string) => `${step}Chất vấn ai? Đồng chí chọn một cơ quan của cấp ủy, hoặc «Một đơn vị», «Một đồng chí».\n(Gõ /huy để hủy bất cứ lúc nào.)`,
      unitLabel: "Một đơn vị",
      personLabel: "Một đồng chí",
      askUnit: "Đồng chí gõ tên (hoặc một phần tên, mã) của đơn vị được chất vấn.",
      askPerson: "Đồng chí gõ họ tên (hoặc một phần họ tên) của đồng chí được chất vấn.",
      matches: (lines: string[], more: number) =>
        ["Đồng chí gõ số thứ tự để chọn:", ...lines, ...(more > 0 ? [`… và ${more} kết quả khác: gõ cụ thể hơn.`] : [])].join("\n"),
      line: (n: number, text: string) => `${n}. ${text}`,
      noMatch: (q: string) => `Không tìm thấy "${q}" trong phạm vi cấp ủy. Đồng chí gõ lại.`,
      badNumber: (n: string) => `Không có số ${n} trong danh sách. Đồng chí gõ lại.`,
      noAnswerer: (name: string) => `${name} chưa có ai để trả lời (chưa có người đứng đầu hoặc chưa có thành viên). Đồng chí chọn nơi khác.`,
      kind: "Đây là chất vấn, hay chỉ là kiến nghị hoặc đề nghị cung cấp thông tin?",
      kindNote: (kind: string) =>
        `Lưu ý: theo Quy chế chất vấn trong Đảng, ${kind.toLowerCase()} không phải là chất vấn. Nội dung vẫn được gửi và theo dõi trả lời như chất vấn, nhưng được thống kê riêng.`,
      text: `Đồng chí gõ nội dung. Có thể gửi nhiều tin nhắn và tệp đính kèm (PDF, Word, Excel, ảnh). Gõ "xong" khi đã hết.`,
      textSaved: (n: number, files: number) => `Đã ghi ${n} đoạn${files > 0 ? `, ${files} tệp` : ""}. Đồng chí gõ tiếp, gửi thêm tệp, hoặc gõ "xong".`,
      fileSaved: (name: string) => `Đã nhận tệp ${name}. Đồng chí gõ tiếp hoặc gõ "xong".`,
      needText: "Cần có nội dung. Đồng chí gõ nội dung trước khi gõ xong.",
      tooLong: (max: number) => `Nội dung dài quá ${max} ký tự. Đồng chí rút gọn lại.`,
      deadline: (due: string, days: number) =>
        `Hạn trả lời: mặc định ${due} (${days} ngày làm việc). Đồng chí gõ ngày khác (ví dụ 20/12/2026), hoặc gõ "bỏ qua" để giữ mặc định.`,
      deadlineBad: "Chưa đọc được ngày. Đồng chí gõ theo dạng dd/mm/yyyy, có thể kèm giờ (ví dụ 20/12/2026 17:00).",
      deadlinePast: "Hạn trả lời phải sau thời điểm hiện tại. Đồng chí gõ lại.",
      conference: `Chất vấn này thuộc hội nghị nào? Đồng chí gõ tên hoặc ngày hội nghị, hoặc gõ "bỏ qua".`,
      conferenceLong: (max: number) => `Tên hội nghị dài quá ${max} ký tự. Đồng chí gõ gọn lại.`,
      previewHeader: "ĐỒNG CHÍ KIỂM TRA LẠI TRƯỚC KHI GỬI",
      previewFollowUp: (ref: string) => `Hỏi thêm về: ${ref}`,
      previewAsker: (name: string, by: string | null) => `Người chất vấn: ${name}${by === null ? "" : ` (Văn phòng nhập thay: ${by})`}`,
      previewKind: (kind: string) => `Loại: ${kind}`,
      previewTo: (name: string) => `Gửi đến: ${name}`,
      previewText: (text: string) => `Nội dung:\n${text}`,
      previewFiles: (names: string[]) => `Tệp đính kèm: ${names.join(", ")}`,
      previewDeadline: (due: string) => `Hạn trả lời: ${due}`,
      previewConference: (c: string | null) => `Hội nghị: ${c ?? "(không ghi)"}`,
      previewFooter: "Chưa có gì được gửi đi cho đến khi đồng chí chọn «Gửi chất vấn».",
      sendLabel: "Gửi chất vấn",
      cancelLabel: "Hủy",
      pickOne: "Đồng chí chọn một trong các mục trên (bấm nút hoặc gõ số thứ tự).",
      cancelled: "Đã hủy chất vấn. Chưa có gì được gửi đi.",
      sent: (ref: string, to: string, due: string, told: number, unlinked: number) =>
        [
          `✅ Đã gửi chất vấn ${ref} đến ${to}. Hạn trả lời: ${due}.`,
          told > 0 ? `${told} người được báo trong giờ hành chính.` : "Người trả lời chưa liên kết tài khoản Zalo hoặc Telegram nên chưa nhận được tin; Văn phòng cần báo trực tiếp.",
          ...(unlinked > 0 && told > 0 ? [`(${unlinked} người chưa liên kết tài khoản nên chưa nhận được tin.)`] : []),
          `Khi có trả lời, trợ lý sẽ chuyển đến đồng chí. Xem lại bằng /xem ${ref}.`,
        ].join("\n"),
    },
    /** Under a message with the «Trả lời» button (on Zalo the numbered option "1. Trả lời"). */
    answerHint: (ref: string) => `Chọn «Trả lời» hoặc gõ /traloi ${ref} để soạn trả lời.`,
    notice: (ref: string, kind: string, asker: string, to: string, excerpt: string, due: string, files: number, canAnswer: boolean) =>
      [
        `📨 ${kind.toUpperCase()} ${ref}`,
        `Người chất vấn: ${asker}. Gửi đến: ${to}.`,
        excerpt,
        ...(files > 0 ? [`(Kèm ${files} tệp; xem bằng /xem ${ref}.)`] : []),
        `Hạn trả lời: ${due}.`,
        canAnswer ? `Chọn «Trả lời» hoặc gõ /traloi ${ref} để soạn trả lời.` : "Đồng chí nhận tin này để biết và phối hợp chuẩn bị trả lời.",
      ].join("\n"),
    answerLabel: "Trả lời",
    answer: {
      opened: (ref: string, asker: string, text: string, due: string, overdue: boolean, draft: number, canSend: boolean) =>
        [
          `TRẢ LỜI CHẤT VẤN ${ref}`,
          `Người chất vấn: ${asker}. Hạn trả lời: ${due}${overdue ? " (đã quá hạn)" : ""}.`,
          `Câu hỏi: ${text}`,
          ...(draft > 0 ? [`Bản thảo đã có ${draft} phần; gõ tiếp để thêm.`] : []),
          "Đồng chí gõ nội dung trả lời; có thể gửi nhiều tin nhắn và tệp. Trả lời cần thẳng vào vấn đề được hỏi.",
          canSend
            ? `Gõ /xemlai để xem bản thảo, gõ "gửi" để gửi trả lời, /huy để tạm dừng (bản thảo được giữ).`
            : "Gõ /xemlai để xem bản thảo, /huy để tạm dừng (bản thảo được giữ). Người đứng đầu sẽ gửi trả lời.",
        ].join("\n"),
      saved: (parts: number, files: number) => `Đã lưu vào bản thảo (${parts} đoạn${files > 0 ? `, ${files} tệp` : ""}).`,
      fileSaved: (name: string) => `Đã lưu tệp ${name} vào bản thảo.`,
      draftHeader: (ref: string) => `BẢN THẢO TRẢ LỜI ${ref}`,
      draftEmpty: "(bản thảo đang trống)",
      draftFiles: (names: string[]) => `Tệp: ${names.join(", ")}`,
      draftBy: (names: string[]) => `Người soạn: ${names.join(", ")}`,
      sendLabel: "Gửi trả lời",
      reviewLabel: "Xem lại",
      empty: "Bản thảo đang trống: đồng chí gõ nội dung trả lời trước khi gửi.",
      sent: (ref: string, revision: number) =>
        `✅ Đã gửi trả lời chất vấn ${ref}${revision > 1 ? ` (lần ${revision}; các lần trước vẫn được lưu)` : ""}. Người chất vấn sẽ nhận được trong giờ hành chính.`,
      notSender: (names: string[]) =>
        `Bản thảo đã được lưu. Chỉ ${names.length > 0 ? names.join(", ") : "người đứng đầu"} mới gửi được trả lời; trợ lý đã báo để xem và gửi.`,
      readyNotice: (ref: string, by: string) => `📝 ${by} đã soạn xong bản thảo trả lời chất vấn ${ref}. Chọn «Trả lời» hoặc gõ /traloi ${ref} để xem lại và gửi.`,
      closed: (ref: string) => `Chất vấn ${ref} đã kết thúc; không trả lời thêm được.`,
      notAnswerer: (ref: string) => `Đồng chí xem được chất vấn ${ref} nhưng không phải người trả lời. Gõ /xem ${ref} để xem.`,
      paused: (ref: string) => `Đã tạm dừng. Bản thảo trả lời ${ref} được giữ; gõ /traloi ${ref} để làm tiếp.`,
      none: "Đồng chí không có chất vấn nào đang chờ trả lời.",
      pendingLine: (ref: string, excerpt: string, due: string) => `• ${ref}: ${excerpt} (hạn ${due})`,
      pending: (lines: string[]) => ["Các chất vấn đang chờ đồng chí trả lời:", ...lines, "Gõ /traloi kèm số hiệu, ví dụ: /traloi CV-2026-0001."].join("\n"),
      confidential: (marking: string) => `Nội dung có dấu "${marking}": tài liệu mật không gửi qua trợ lý. Phần này không được lưu.`,
      toAsker: (ref: string, revision: number, by: string, to: string, text: string, files: string[]) =>
        [
          `📬 TRẢ LỜI CHẤT VẤN ${ref}${revision > 1 ? ` (lần ${revision})` : ""}`,
          `Người trả lời: ${by} (${to}).`,
          text,
          ...(files.length > 0 ? [`Tệp kèm theo: ${files.join(", ")} (xem bằng /xem ${ref}).`] : []),
          "Đồng chí đánh giá trả lời: «Hài lòng», «Chưa hài lòng» (kèm ý kiến) hoặc «Hỏi thêm» (một câu hỏi tiếp, có hạn trả lời riêng).",
        ].join("\n"),
    },
    verdict: {
      satisfiedLabel: "Hài lòng",
      notSatisfiedLabel: "Chưa hài lòng",
      followUpLabel: "Hỏi thêm",
      cancelled: "Đã hủy đánh giá; trả lời vẫn chờ đồng chí đánh giá.",
      satisfied: (ref: string) => `✅ Đã ghi nhận: đồng chí hài lòng với trả lời chất vấn ${ref}. Chất vấn được đóng.`,
      askComment: (ref: string) => `Đồng chí ghi ý kiến vì sao chưa hài lòng với trả lời ${ref} (một tin nhắn), hoặc gõ "bỏ qua".`,
      notSatisfied: (ref: string) =>
        `Đã ghi nhận: đồng chí chưa hài lòng với trả lời chất vấn ${ref}. Nếu cần, đồng chí có thể hỏi thêm; câu hỏi thêm có hạn trả lời riêng.`,
      notAsker: (ref: string) => `Chỉ người chất vấn mới đánh giá được trả lời ${ref}.`,
      notAnswered: (ref: string) => `Chất vấn ${ref} chưa có trả lời để đánh giá.`,
      already: (ref: string) => `Trả lời chất vấn ${ref} đã được đánh giá trước đó.`,
      toAnswerer: (ref: string, verdict: string, comment: string | null) =>
        `Người chất vấn đánh giá trả lời ${ref}: ${verdict}.${comment === null ? "" : `\nÝ kiến: ${comment}`}`,
    },
    delegate: {
      usage: "Đồng chí gõ số hiệu chất vấn và họ tên người soạn, ví dụ: /giaosoan CV-2026-0001 Đỗ Thị Lan.",
      notAnswerer: (ref: string) => `Chỉ người trả lời chất vấn ${ref} mới giao soạn được.`,
      notColleague: (name: string) => `Không tìm thấy "${name}" trong đơn vị được chất vấn. Đồng chí gõ họ tên đầy đủ hơn.`,
      many: (name: string, names: string[]) => `"${name}" khớp nhiều người: ${names.join(", ")}. Đồng chí gõ họ tên đầy đủ hơn.`,
      done: (ref: string, name: string, linked: boolean) =>
        `✅ Đã giao ${name} soạn trả lời chất vấn ${ref}.${linked ? "" : " (Người này chưa liên kết tài khoản nên chưa nhận được tin.)"} Chỉ đồng chí gửi trả lời.`,
      notice: (ref: string, by: string, excerpt: string, due: string) =>
        [`📝 ${by} giao đồng chí soạn trả lời chất vấn ${ref}.`, excerpt, `Hạn trả lời: ${due}.`, `Chọn «Trả lời» hoặc gõ /traloi ${ref} để soạn.`].join("\n"),
    },
    list: {
      header: (n: number) => `CHẤT VẤN (${n})`,
      empty: "Chưa có chất vấn nào trong phạm vi của đồng chí.",
      group: { overdue: "Quá hạn", open: "Đang chờ trả lời", answered: "Đã trả lời, chờ đánh giá", closed: "Đã đóng" },
      line: (ref: string, to: string, excerpt: string, due: string) => `• ${ref} – ${to}: ${excerpt} (hạn ${due})`,
      more: (n: number) => `… và ${n} chất vấn khác.`,
      footer: "Gõ /xem kèm số hiệu để xem toàn bộ, ví dụ: /xem CV-2026-0001.",
    },
    thread: {
      header: (ref: string, kind: string, status: string) => `${kind.toUpperCase()} ${ref} – ${status}`,
      asked: (when: string, asker: string, by: string | null) => `Ngày ${when}, ${asker}${by === null ? "" : ` (Văn phòng nhập thay: ${by})`} hỏi:`,
      followUpOf: (ref: string) => `Hỏi thêm về ${ref}.`,
      to: (name: string) => `Gửi đến: ${name}`,
      conference: (c: string) => `Hội nghị: ${c}`,
      deadline: (due: string, overdue: boolean) => `Hạn trả lời: ${due}${overdue ? " – ĐÃ QUÁ HẠN" : ""}`,
      files: (names: string[]) => `Tệp: ${names.join(", ")}`,
      answer: (revision: number, when: string, by: string, drafter: string | null, late: boolean) =>
        `— Trả lời lần ${revision}, ${when}, ${by}${drafter === null ? "" : ` (soạn: ${drafter})`}${late ? " – sau hạn" : ""}:`,
      noAnswer: "Chưa có trả lời.",
      verdict: (verdict: string, when: string, comment: string | null) => `Đánh giá của người chất vấn (${when}): ${verdict}${comment === null ? "" : `. Ý kiến: ${comment}`}`,
      followUps: (refs: string[]) => `Hỏi thêm: ${refs.join(", ")}`,
      fileOfAnswer: (ref: string, revision: number) => `${ref}, trả lời lần ${revision}`,
      fileCaption: (name: string, of: string) => `📎 ${name} (${of})`,
      fileMissing: (name: string) => `Không đọc được tệp ${name}; đồng chí báo Văn phòng.`,
      moreFiles: (n: number) => `… và ${n} tệp khác; đồng chí liên hệ Văn phòng để nhận.`,
    },
  },
  console: {
    commands: {
      help: "/dangnhap – trang quản trị trên web; /dangxuat – đăng xuất",
      link: (url: string, minutes: number) =>
        [
          "🔐 Liên kết đăng nhập trang quản trị:",
          url,
          `Liên kết chỉ dùng được một lần, trong ${minutes} phút. Không chuyển liên kết này cho người khác.`,
          "Khi dùng xong, gõ /dangxuat để đăng xuất trên mọi thiết bị.",
        ].join("\n"),
      privateOnly: "Liên kết đăng nhập chỉ gửi trong cuộc trò chuyện riêng với trợ lý. Đồng chí nhắn /dangnhap cho trợ lý nhé.",
      noAddress: "Trang quản trị chưa có địa chỉ công khai. Đồng chí báo bộ phận kỹ thuật đặt PUBLIC_URL.",
      signedOut: (n: number) => (n === 0 ? "Đồng chí không đăng nhập trang quản trị ở thiết bị nào." : `✅ Đã đăng xuất trang quản trị trên ${n} thiết bị.`),
    },
    layout: {
      product: "Báo cáo – Trang quản trị",
      menu: "Trình đơn",
      skip: "Bỏ qua trình đơn",
      board: "Tiến độ",
      import: "Tổ chức và biểu mẫu",
      holidays: "Ngày nghỉ",
      settings: "Cài đặt",
      queues: "Hàng đợi",
      signOut: "Đăng xuất",
      failed: "Có lỗi –",
    },
    signIn: {
      title: "Đăng nhập",
      howTo: "Để đăng nhập, đồng chí gõ /dangnhap trong Zalo hoặc Telegram (trò chuyện riêng với trợ lý) rồi mở liên kết trợ lý gửi.",
      howToNote: "Chỉ cán bộ Văn phòng cấp ủy và cấp ủy viên được dùng trang này. Mỗi liên kết dùng được một lần, trong 10 phút.",
      confirm: (name: string) => `Đồng chí ${name} đăng nhập trang quản trị trên thiết bị này?`,
      button: "Đăng nhập",
      refused: {
        unknown: "Liên kết đăng nhập không đúng.",
        used: "Liên kết này đã được dùng. Mỗi liên kết chỉ dùng được một lần.",
        expired: "Liên kết này đã hết hạn (sau 10 phút).",
        "no-role": "Đồng chí không còn quyền dùng trang quản trị.",
      },
      signedOutTitle: "Đã đăng xuất",
      signedOut: "Đồng chí đã đăng xuất trên thiết bị này. Để đăng xuất trên mọi thiết bị, gõ /dangxuat trong Zalo hoặc Telegram.",
    },
    errors: {
      title: "Không thực hiện được",
      csrf: "Biểu mẫu đã cũ hoặc không được gửi từ trang quản trị. Đồng chí tải lại trang rồi làm lại.",
      internal: "Xin lỗi, hệ thống đang gặp sự cố. Đồng chí thử lại sau ít phút.",
      tooLarge: "Tệp quá lớn.",
      notFoundTitle: "Không tìm thấy",
      notFound: "Không có trang này.",
      unitNotFound: "Không tìm thấy đơn vị này trong phạm vi của đồng chí.",
      forbidden: "Trang này dành cho Văn phòng cấp ủy cấp trên cùng.",
      back: "Quay lại trang tiến độ",
    },
    board: {
      title: "Tiến độ báo cáo",
      unit: "Đơn vị",
      allUnits: "Mọi đơn vị trong phạm vi",
      template: "Mẫu báo cáo",
      allTemplates: "Mọi mẫu",
      year: "Năm",
      currentPeriods: "Kỳ hiện tại",
      show: "Xem",
      exportXlsx: "Tải Excel",
      exportCsv: "Tải CSV",
      projector: "Trình chiếu",
      leaveProjector: "Thoát trình chiếu",
      nudgeAllOverdue: "Nhắc mọi đơn vị quá hạn",
      nudgeTitle: "Nhắc đơn vị",
      refreshes: (s: number) => `tự cập nhật mỗi ${s} giây`,
      caption: (n: number) => `${n} đơn vị`,
      unitColumn: "Đơn vị",
      totalsRow: "Tổng",
      done: (done: number, total: number, pct: number) => `Đã nộp ${done}/${total} (${pct}%)`,
    },
    unit: {
      code: (code: string) => `Mã đơn vị: ${code}`,
      parent: "thuộc",
      nudge: "Nhắc đơn vị này",
      subtreeBoard: "Tiến độ các đơn vị trực thuộc",
      people: "Cán bộ",
      noPeople: "Chưa có cán bộ nào.",
      notLinked: "chưa liên kết Zalo/Telegram",
      roles: { REPORTER: "cán bộ báo cáo", HEAD: "người đứng đầu", COMMITTEE_MEMBER: "cấp ủy viên", OFFICE: "Văn phòng cấp ủy" },
      reports: "Báo cáo gần đây",
      noReports: "Đơn vị chưa được giao báo cáo nào.",
      report: "Báo cáo",
      deadline: "Hạn nộp",
      state: "Tình trạng",
      revisions: "Các lần nộp",
      files: "Tệp đính kèm",
      reference: (ref: string) => `Số tiếp nhận ${ref}`,
      revision: (n: number, when: string, by: string, late: boolean) => `Lần ${n}: ${when}, ${by}${late ? " (muộn)" : ""}`,
      answers: "Nội dung báo cáo",
      noAnswers: "Đơn vị chưa nộp báo cáo nào để xem.",
      latestRevision: (n: number) => `lần nộp thứ ${n} (mới nhất)`,
      question: "Câu hỏi",
      answer: "Trả lời",
      reminders: "Nhật ký nhắc việc",
      noReminders: "Chưa có tin nhắc nào.",
      when: "Thời điểm",
      kind: "Loại",
      to: "Người nhận",
      status: "Kết quả",
      reason: (r: string) => `Lý do: ${r}`,
      purposes: { opened: "Thông báo mở kỳ", reminder: "Nhắc hạn", escalation: "Báo người đứng đầu", digest: "Tổng hợp gửi Văn phòng", nudge: "Nhắc thủ công" },
      platforms: { TELEGRAM: "Telegram", ZALO: "Zalo", SANDBOX: "thử nghiệm" },
      statuses: {
        PLANNED: "Đã lên lịch",
        QUEUED: "Đang chờ gửi",
        SENDING: "Đang gửi",
        UNCERTAIN: "Không rõ đã đến chưa",
        SENT: "Đã gửi",
        FAILED: "Gửi không được",
        SKIPPED: "Bỏ qua",
        CANCELLED: "Đã hủy",
      },
      reasons: { submitted: "đơn vị đã nộp", expired: "quá hạn gửi", inactive: "không còn hoạt động", loaded: "đã nạp lịch nghỉ", blocked: "người nhận đã chặn trợ lý", chat_not_found: "không tìm thấy cuộc trò chuyện" },
      questions: "Chất vấn",
      noQuestions: "Không có chất vấn nào gửi đơn vị này mà đồng chí được xem.",
      questionStatuses: { OPEN: "Chờ trả lời", ANSWERED: "Đã trả lời", CLOSED: "Đã đóng" },
      due: (d: string) => `hạn ${d}`,
    },
    // Organisation upload, holiday table, settings (src/http/console/admin.ts).
    admin: {
      import: {
        title: "Tổ chức và biểu mẫu",
        intro:
          "Tải lên tệp tổ chức (YAML, cùng dạng với lệnh npm run org:import): đơn vị, cán bộ, mẫu báo cáo, Ban Thường vụ, Ủy ban Kiểm tra và cài đặt. Tệp là toàn bộ tổ chức: đơn vị, cán bộ, mẫu báo cáo không có trong tệp sẽ chuyển sang ngừng hoạt động.",
        steps: "Bước 1: kiểm tra tệp và xem trước những gì sẽ thay đổi (chưa thay đổi gì). Bước 2: bấm Xác nhận nhập.",
        mainFile: "Tệp tổ chức (.yaml)",
        mainFileHint: "Bắt buộc. Ví dụ: xa-tan-phong.yaml.",
        formFiles: "Tệp biểu mẫu (không bắt buộc, chọn được nhiều tệp)",
        formFilesHint:
          "Các tệp mà tệp tổ chức ghi ở form_file. Tệp được nhận theo tên: form_file: forms/thang.yaml thì chọn tệp thang.yaml.",
        check: "Kiểm tra tệp",
        noMainFile: "Chưa chọn tệp tổ chức.",
        badName: (name: string) => `Tên tệp "${name}" không dùng được: tên tệp không được chứa dấu / hoặc \\, không được bắt đầu bằng dấu chấm.`,
        duplicateName: (name: string) => `Có hai tệp cùng tên "${name}"; mỗi tệp tải lên phải có một tên khác nhau.`,
        tooManyFiles: (max: number) => `Chỉ tải lên được tối đa ${max} tệp biểu mẫu một lần.`,
        unsafeFormFile: (path: string) =>
          `form_file "${path}" không dùng được: chỉ ghi tên tệp, hoặc thư mục con rồi tên tệp (ví dụ forms/thang.yaml), không dùng .. hoặc đường dẫn tuyệt đối`,
        cannotPlace: (name: string, path: string) => `không đặt được tệp ${name} vào chỗ "${path}"`,
        badConfirm: "Dữ liệu xác nhận không đúng. Đồng chí tải tệp lên lại.",
        previewTitle: "Xem trước khi nhập",
        previewNote: (file: string) => `Tệp ${file} hợp lệ. Chưa có gì thay đổi; dưới đây là những gì sẽ thay đổi khi nhập.`,
        changesTitle: "Thay đổi",
        filesTitle: "Các tệp",
        unused: (names: readonly string[]) => `Không dùng đến: ${names.join(", ")} (tệp tổ chức không ghi các tệp này ở form_file).`,
        confirm: "Xác nhận nhập",
        cancel: "Hủy, chọn tệp khác",
        doneTitle: "Đã nhập tổ chức",
        done: (file: string) => `Đã nhập tệp ${file}.`,
        again: "Nhập tệp khác",
        rows: {
          units: "Đơn vị",
          people: "Cán bộ",
          templates: "Mẫu báo cáo",
          versions: "Phiên bản biểu mẫu mới",
          roles: "Vai trò",
          targets: "Giao báo cáo (đơn vị phải báo cáo)",
          bodies: "Ban Thường vụ, Ủy ban Kiểm tra",
          bodyMembers: "Thành viên các ban",
          invitations: "Mã mời",
          changes,
          addedRemoved: (added: number, removed: number) => `thêm ${added}, bỏ ${removed}`,
          bodiesChanged: (created: number, updated: number) => `thêm ${created}, cập nhật ${updated}`,
          invitationsPreview: (created: number, kept: number) => `${created} mã mới sẽ được cấp, ${kept} mã còn hạn giữ nguyên`,
          invitationsDone: (created: number, kept: number) => `${created} mã mới, ${kept} mã còn hạn giữ nguyên`,
        },
        names: {
          unitsCreated: "Đơn vị mới",
          unitsDeactivated: "Đơn vị sẽ ngừng hoạt động",
          peopleCreated: "Cán bộ mới",
          peopleDeactivated: "Cán bộ sẽ ngừng hoạt động",
          templatesCreated: "Mẫu báo cáo mới",
          templatesDeactivated: "Mẫu báo cáo sẽ ngừng dùng",
          templatesNewVersion: "Mẫu báo cáo có biểu mẫu mới",
          more: (n: number) => `và ${n} mục khác`,
        },
        invitationsTitle: (n: number) => `Mã mời liên kết tài khoản (${n} cán bộ chưa liên kết)`,
        invitationsHelp:
          "Đồng chí gửi mỗi cán bộ mã của mình: trên Zalo hoặc Telegram, mở trò chuyện với trợ lý báo cáo và gửi /start MÃ-MỜI. Mỗi mã chỉ dùng một lần, cho đúng người được cấp.",
        invitationsCaption: (n: number, created: number) => `${n} mã mời, trong đó ${created} mã mới`,
        newCode: "mới",
      },
      holidays: {
        title: "Ngày nghỉ lễ, Tết và ngày làm bù",
        intro: "Lịch chung của cả tổ chức. Hạn nộp báo cáo và giờ nhắc việc được tính theo bảng này.",
        yearTitle: (year: number) => `Năm ${year}`,
        otherYears: "Năm khác",
        none: (year: number) =>
          `Năm ${year} chưa nạp lịch nghỉ; ngày nghỉ đang được tạm tính theo Điều 112 Bộ luật Lao động (không có ngày hoán đổi, ngày làm bù).`,
        caption: (year: number, n: number) => `Năm ${year}: ${n} ngày`,
        columns: { date: "Ngày", weekday: "Thứ", kind: "Loại", name: "Tên" },
        kinds: { HOLIDAY: "Nghỉ", WORKDAY: "Làm bù" },
        uploadTitle: "Nạp lịch nghỉ từ tệp",
        uploadHelp:
          "Tệp YAML cùng dạng với lệnh npm run calendar:holidays (ví dụ prisma/holidays/vn-2025-2026.yaml). Với mỗi năm có trong tệp, lịch chung của năm đó được thay bằng nội dung tệp; các năm khác giữ nguyên.",
        file: "Tệp lịch nghỉ (.yaml)",
        fileHint: "Mỗi ngày một dòng: date (ngày), kind (HOLIDAY: nghỉ, WORKDAY: làm bù), name (tên).",
        upload: "Nạp lịch nghỉ",
        noFile: "Chưa chọn tệp lịch nghỉ.",
        defaultFileName: "ngay-nghi.yaml",
      },
      settings: {
        title: "Cài đặt",
        hoursTitle: "Giờ làm việc",
        hoursHelp: "Trợ lý chỉ nhắn nhắc việc trong giờ làm việc, vào ngày làm việc.",
        start: "Giờ bắt đầu",
        end: "Giờ kết thúc",
        policyTitle: "Cách nhắc việc chung",
        policyHelp: "Dùng cho mọi mẫu báo cáo, trừ những mục mà mẫu báo cáo ghi riêng (reminder_policy trong tệp tổ chức).",
        enabled: "Nhắc việc",
        openedNotice: "Báo khi mở kỳ báo cáo",
        before: "Nhắc trước hạn (số ngày làm việc)",
        beforeHint: "Các số cách nhau bằng dấu phẩy, ví dụ 7, 3, 1. Để trống thì không nhắc trước hạn.",
        deadlineMorning: "Nhắc sáng ngày hết hạn",
        maxOverdue: "Quá hạn: số lần nhắc tối đa",
        maxOverdueHint: "Quá hạn thì nhắc mỗi ngày làm việc một lần, nhiều nhất bấy nhiêu lần.",
        escalate: "Báo cả người đứng đầu từ ngày quá hạn thứ",
        digest: "Đưa vào bản tổng hợp gửi Văn phòng từ ngày quá hạn thứ",
        save: "Lưu cài đặt",
        saved: "Đã lưu cài đặt.",
        problemsHeader: (n: number) => `Có ${n} mục chưa đúng, chưa lưu gì:`,
        notAnInteger: "phải là một số nguyên",
        badDayList: "ghi các số nguyên, cách nhau bằng dấu phẩy, ví dụ 7, 3, 1",
        dayInList: (n: number, message: string) => `số ${n}: ${message}`,
      },
    },
  },
} as const;
