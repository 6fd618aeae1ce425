// The signature check must go through crypto.timingSafeEqual on every path
// that reaches it, with equal-length inputs, so a forger cannot learn the
// signature a byte at a time from response times.
import { describe, expect, it, vi } from "vitest";

const seen = vi.hoisted(() => [] as { a: number; b: number }[]);

vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:crypto")>();
  return {
    ...actual,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      seen.push({ a: a.byteLength, b: b.byteLength });
      return actual.timingSafeEqual(a, b);
    },
  };
});

const { decodeToken, encodeToken } = await import("../../src/http/file-links.ts");

const SECRET = "test-secret-0123456789-abcdefghijklmnop";

describe("signature comparison", () => {
  it("uses timingSafeEqual for genuine and forged signatures alike", () => {
    const now = new Date("2026-09-20T03:00:00Z");
    const token = encodeToken(SECRET, { v: 1, k: "exports/a", n: "a.csv", m: "text/csv", e: now.getTime() + 1000 });
    const [payload, sig] = token.split(".") as [string, string];

    expect(decodeToken(SECRET, token, now).ok).toBe(true);
    const wrongFirst = `${payload}.${sig[0] === "A" ? "B" : "A"}${sig.slice(1)}`;
    const wrongLast = `${payload}.${sig.slice(0, 41)}${sig[41] === "A" ? "B" : "A"}${sig.slice(42)}`;
    expect(decodeToken(SECRET, wrongFirst, now)).toEqual({ ok: false, reason: "bad_signature" });
    expect(decodeToken(SECRET, wrongLast, now)).toEqual({ ok: false, reason: "bad_signature" });

    expect(seen).toHaveLength(3);
    for (const s of seen) expect(s).toEqual({ a: 43, b: 43 });
  });
});
