// Tiny real-looking files for sniffing and saving: headers right, bodies filler.
import { randomBytes } from "node:crypto";

export const pdf = (): Uint8Array => Buffer.concat([Buffer.from("%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n"), randomBytes(200), Buffer.from("\n%%EOF\n")]);
export const jpeg = (): Uint8Array => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from("JFIF\0"), randomBytes(300)]);
export const png = (): Uint8Array => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(100)]);
export const ole = (): Uint8Array => Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), randomBytes(504)]);
export const exe = (): Uint8Array => Buffer.concat([Buffer.from("MZ\x90\0\x03\0\0\0"), randomBytes(200)]);

/** A stored (uncompressed) ZIP with these entries, central directory and end record included. */
export function zip(entries: Record<string, string | Uint8Array>): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const nameBuf = Buffer.from(name, "utf8");
    const data = Buffer.from(content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, data);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

// The first entry is large, so "word/" is not in the first KB: only the central directory tells.
export const docx = (): Uint8Array =>
  zip({ "[Content_Types].xml": `<Types>${"x".repeat(3000)}</Types>`, "_rels/.rels": "<Relationships/>", "word/document.xml": "<w:document/>" });
export const xlsx = (): Uint8Array => zip({ "[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>" });
