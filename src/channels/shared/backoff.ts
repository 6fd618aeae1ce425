// Retry pacing for the polling loops.

export interface BackoffOptions {
  /** First delay; doubles per consecutive failure. Default 1000 ms. */
  baseMs?: number;
  /** Upper bound. Default 30 000 ms. */
  maxMs?: number;
}

export function backoffDelay(failures: number, opts: BackoffOptions = {}): number {
  const base = opts.baseMs ?? 1000;
  const max = opts.maxMs ?? 30_000;
  return Math.min(max, base * 2 ** Math.max(0, failures - 1));
}

/** Resolves after `ms`, or as soon as `signal` aborts (never rejects). */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Reads the flag afresh; TypeScript would otherwise keep a loop condition's narrowing across awaits. */
export function isAborted(signal: AbortSignal): boolean {
  return signal.aborted;
}
