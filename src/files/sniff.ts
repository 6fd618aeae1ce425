// What a file really is, from its first bytes. The declared name and MIME
// type come from the sender's phone and can lie (an .exe renamed to .pdf).

export type SniffedType = "pdf" | "docx" | "xlsx" | "zip" | "ole" | "jpeg" | "png";

export interface FileKind {
  type: SniffedType;
  /** The MIME type stored with the attachment, whatever was declared. */
  mimeType: string;
  /** Extensions a file of this type may carry; the first is added to names without one. */
  extensions: readonly string[];
}

export const FILE_KINDS: Record<SniffedType, FileKind> = {
  pdf: { type: "pdf", mimeType: "application/pdf", extensions: ["pdf"] },
  docx: {
    type: "docx",
    mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    extensions: ["docx"],
  },
  xlsx: {
    type: "xlsx",
    mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    extensions: ["xlsx"],
  },
  // A ZIP whose entry list we could not read: accepted for .docx/.xlsx, as
  // Office writes the parts in any order.
  zip: { type: "zip", mimeType: "application/zip", extensions: ["docx", "xlsx"] },
  // Legacy Office (Word 97-2003 .doc, Excel .xls) share the OLE container.
  ole: { type: "ole", mimeType: "application/msword", extensions: ["doc", "xls"] },
  jpeg: { type: "jpeg", mimeType: "image/jpeg", extensions: ["jpg", "jpeg"] },
  png: { type: "png", mimeType: "image/png", extensions: ["png"] },
};

function startsWith(data: Uint8Array, bytes: readonly number[], at = 0): boolean {
  if (data.byteLength < at + bytes.length) return false;
  return bytes.every((b, i) => data[at + i] === b);
}

const u16 = (d: Uint8Array, at: number): number => (d[at] ?? 0) | ((d[at + 1] ?? 0) << 8);
const u32 = (d: Uint8Array, at: number): number => (u16(d, at) | (u16(d, at + 2) << 16)) >>> 0;

/** Entry names from the ZIP central directory (found from the end record). */
function zipEntryNames(data: Uint8Array, limit = 2000): string[] | null {
  const min = Math.max(0, data.byteLength - 22 - 65_535);
  for (let eocd = data.byteLength - 22; eocd >= min; eocd--) {
    if (!startsWith(data, [0x50, 0x4b, 0x05, 0x06], eocd)) continue;
    const count = u16(data, eocd + 10);
    let at = u32(data, eocd + 16);
    const names: string[] = [];
    for (let i = 0; i < Math.min(count, limit); i++) {
      if (!startsWith(data, [0x50, 0x4b, 0x01, 0x02], at)) return names.length > 0 ? names : null;
      const nameLen = u16(data, at + 28);
      const extraLen = u16(data, at + 30);
      const commentLen = u16(data, at + 32);
      names.push(Buffer.from(data.subarray(at + 46, at + 46 + nameLen)).toString("latin1"));
      at += 46 + nameLen + extraLen + commentLen;
    }
    return names;
  }
  return null;
}

function zipKind(data: Uint8Array): SniffedType {
  let names = zipEntryNames(data);
  // No readable directory (cut-off file?): the names in the first KB still tell.
  names ??= [Buffer.from(data.subarray(0, 1024)).toString("latin1")];
  if (names.some((n) => n.startsWith("word/") || n.includes("word/document.xml"))) return "docx";
  if (names.some((n) => n.startsWith("xl/") || n.includes("xl/workbook.xml"))) return "xlsx";
  return "zip";
}

/** The real type of the bytes, or null when it is none the bot takes. */
export function sniffFileType(data: Uint8Array): FileKind | null {
  if (startsWith(data, [0x25, 0x50, 0x44, 0x46])) return FILE_KINDS.pdf; // %PDF
  if (startsWith(data, [0x50, 0x4b, 0x03, 0x04])) return FILE_KINDS[zipKind(data)]; // PK\3\4
  if (startsWith(data, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return FILE_KINDS.ole;
  if (startsWith(data, [0xff, 0xd8, 0xff])) return FILE_KINDS.jpeg;
  if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return FILE_KINDS.png;
  return null;
}
