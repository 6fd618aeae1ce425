import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Constant-time secret check. Hashing both sides first gives equal lengths,
 * so neither the length nor a common prefix of the secret leaks through timing.
 */
export function secretMatches(given: string | undefined, expected: string | undefined): boolean {
  if (expected === undefined || expected === "") return false;
  const a = createHash("sha256").update(given ?? "").digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b) && given !== undefined;
}

/** One header value; Node lower-cases names, a repeated header yields its first value. */
export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
