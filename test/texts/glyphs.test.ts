// Texts reach phones whose fonts cover Vietnamese, not East Asian scripts: a
// character from those blocks (【 】 「 」, full-width forms) shows as an
// empty box. Emoji are fine: every phone has an emoji font.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const source = readFileSync(new URL("../../src/texts/vi.ts", import.meta.url), "utf8");

describe("texts shown to people", () => {
  it("use no East Asian punctuation or full-width characters", () => {
    const foreign = source.match(/[\u2E80-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF]/gu) ?? [];
    expect([...new Set(foreign)]).toEqual([]);
  });
});
