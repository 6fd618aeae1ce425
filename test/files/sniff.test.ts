import { describe, expect, it } from "vitest";
import { sniffFileType } from "../../src/files/sniff.ts";
import { docx, exe, jpeg, ole, pdf, png, xlsx, zip } from "./fixtures.ts";

describe("sniffFileType", () => {
  it.each([
    ["pdf", pdf(), "application/pdf"],
    ["docx", docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
    ["xlsx", xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
    ["ole", ole(), "application/msword"],
    ["jpeg", jpeg(), "image/jpeg"],
    ["png", png(), "image/png"],
  ])("recognises %s", (type, data, mimeType) => {
    expect(sniffFileType(data)).toMatchObject({ type, mimeType });
  });

  it("calls a ZIP without Office parts just zip", () => {
    expect(sniffFileType(zip({ "a.txt": "hello" }))?.type).toBe("zip");
  });

  it("finds word/ in the first KB when the central directory is cut off", () => {
    const whole = zip({ "word/document.xml": "<w:document/>", "big.bin": "y".repeat(5000) });
    expect(sniffFileType(whole.subarray(0, 2000))?.type).toBe("docx");
  });

  it("refuses executables, text and empty or tiny input", () => {
    expect(sniffFileType(exe())).toBeNull();
    expect(sniffFileType(Buffer.from("just some text"))).toBeNull();
    expect(sniffFileType(new Uint8Array(0))).toBeNull();
    expect(sniffFileType(Buffer.from("%PD"))).toBeNull();
    expect(sniffFileType(Buffer.from([0x89, 0x50, 0x4e, 0x47]))).toBeNull();
  });
});
