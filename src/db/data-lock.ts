// One process owns an embedded database folder at a time. PGlite has no
// server: two processes opening the same folder write over each other's
// pages, and a second process never sees the first one's changes. The lock
// is a file beside the folder naming its holder; a holder that has died (a
// kill -9, a reboot) leaves a stale file, which the next opener takes over.
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { hostname } from "node:os";
import { vi } from "../texts/vi.ts";

export interface LockHolder {
  pid: number;
  host: string;
  /** The kernel's boot id: a pid from before a reboot names nobody. */
  boot?: string;
  /** When the holder process started (clock ticks since boot), so a reused pid is not mistaken for it. */
  started?: string;
  /** "bot" or the command-line tool that holds it. */
  what: string;
}

export class DataDirBusyError extends Error {
  override name = "DataDirBusyError";
  constructor(
    readonly dir: string,
    readonly lockFile: string,
    readonly holder: LockHolder,
  ) {
    // Another machine's pid cannot be checked from here (a shared folder, a
    // recreated container): the line says which file to delete if it is gone.
    super(holder.host === hostname() ? vi.embedded.busy(dir, holder.pid, holder.what) : vi.embedded.busyElsewhere(dir, holder.host, holder.pid, lockFile));
  }
}

export interface DataDirLock {
  release(): void;
}

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

const bootId = () => readProc("/proc/sys/kernel/random/boot_id")?.trim();

/** Field 22 of /proc/<pid>/stat; the command name before it may hold spaces. */
function startTicks(pid: number): string | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  return stat?.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
}

function isAlive(h: LockHolder): boolean {
  if (h.host !== hostname()) return true; // a shared folder: we cannot tell, so assume it is in use
  const boot = bootId();
  if (h.boot !== undefined && boot !== undefined && h.boot !== boot) return false;
  try {
    process.kill(h.pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
  const started = startTicks(h.pid);
  return h.started === undefined || started === undefined || h.started === started;
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    return typeof h.pid === "number" && typeof h.host === "string" ? { what: "?", ...h, pid: h.pid, host: h.host } : undefined;
  } catch {
    return undefined;
  }
}

/** Takes `${dir}.lock` or throws DataDirBusyError naming the live holder. */
export function lockDataDir(dir: string, what: string): DataDirLock {
  const path = `${dir}.lock`;
  const me: LockHolder = { pid: process.pid, host: hostname(), what };
  const boot = bootId();
  const started = startTicks(process.pid);
  if (boot !== undefined) me.boot = boot;
  if (started !== undefined) me.started = started;
  const mine = JSON.stringify(me);
  mkdirSync(dirname(path), { recursive: true });

  for (let attempt = 0; attempt < 5; attempt++) {
    // Written whole beside the lock, then hard-linked into place: the lock
    // file never exists half-written, and link() fails if one is there.
    const mineTmp = `${path}.${process.pid}.tmp`;
    writeFileSync(mineTmp, mine, { mode: 0o644 });
    try {
      linkSync(mineTmp, path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const text = readProc(path);
      if (text === undefined) continue; // released meanwhile
      const holder = parseHolder(text);
      // A file that does not parse was left by an older or broken writer: not a live holder.
      if (holder && isAlive(holder)) throw new DataDirBusyError(dir, path, holder);
      // Moved aside, not deleted: of two processes breaking the same stale
      // lock, only one rename succeeds, and the loser retries from the top.
      const aside = `${path}.stale-${process.pid}`;
      try {
        renameSync(path, aside);
      } catch {
        continue;
      }
      if (readProc(aside) !== text) {
        // Not the file we judged stale: someone took the lock meanwhile. Put
        // it back unless yet another process holds the place by now.
        try {
          linkSync(aside, path);
        } catch {
          // the place is taken again; that holder wins
        }
      }
      unlinkSync(aside);
      continue;
    } finally {
      unlinkSync(mineTmp);
    }
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      process.removeListener("exit", release);
      // Only our own file: never remove a lock another process took over.
      if (readProc(path) === mine) {
        try {
          unlinkSync(path);
        } catch {
          // already gone
        }
      }
    };
    process.on("exit", release);
    return { release };
  }
  throw new Error(`could not take the lock ${path}`);
}
