// Environment names that look like a mistyped setting (HTTP_POST,
// TELEGRAM_TOKEN). Only a warning: the environment also carries the shell's
// and other programs' variables, and a guess must never stop the start.

// Prefixes no other common program uses. HTTP_, LOG_, DATA_ and MAX_ are not
// here: HTTP_PROXY and the like are everywhere; edit distance covers them.
const OWN_PREFIXES = ["TELEGRAM_", "ZALO_", "S3_", "SANDBOX_", "REDIS_", "DATABASE_", "QUEUE_", "INVITE_", "FILE_LINK_", "REMINDER"];

/**
 * Variables a container platform sets on its own: Kubernetes gives every
 * service REDIS_SERVICE_HOST, REDIS_PORT=tcp://..., REDIS_PORT_6379_TCP_ADDR;
 * Docker links give REDIS_NAME=/bot/redis and REDIS_ENV_*.
 */
function setByPlatform(name: string, value: string): boolean {
  return /_SERVICE_(HOST|PORT)|_PORT_\d+_(TCP|UDP|SCTP)|_ENV_/.test(name) || /^(tcp|udp|sctp):\/\//.test(value) || (name.endsWith("_NAME") && value.startsWith("/"));
}

/** Edits (insert, delete, replace, swap two neighbours) from a to b. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** TELEGRAM_TOKEN for TELEGRAM_BOT_TOKEN, S3_BUCKET_NAME for S3_BUCKET: same first word, one's words inside the other's. */
function sameWordsMoreOrLess(name: string, setting: string): boolean {
  const a = name.split("_").filter(Boolean);
  const b = setting.split("_");
  if (a.length < 2 || a[0] !== b[0]) return false;
  const [small, large] = a.length <= b.length ? [a, b] : [b, a];
  return small.every((w) => large.includes(w));
}

function suggestion(name: string, settings: readonly string[]): string | undefined {
  // Short names get one edit: ROLES is not a typo of every five-letter word.
  const allowed = name.length <= 6 ? 1 : 2;
  let best: { setting: string; distance: number; shared: number } | undefined;
  for (const setting of settings) {
    const distance = editDistance(name, setting);
    if (distance > allowed && !sameWordsMoreOrLess(name, setting)) continue;
    // On a tie the longer common start wins: HTTP_POST is HTTP_PORT, not HTTP_HOST.
    const shared = commonStart(name, setting);
    if (best === undefined || distance < best.distance || (distance === best.distance && shared > best.shared)) best = { setting, distance, shared };
  }
  return best?.setting;
}

function commonStart(a: string, b: string): number {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
}

export function nearMissWarnings(env: Record<string, string | undefined>, settings: readonly string[]): string[] {
  const warnings: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || settings.includes(name) || name.startsWith("npm_")) continue;
    // Names are case-sensitive: http_port is not read, so it is a near miss too.
    const upper = name.toUpperCase();
    if (setByPlatform(upper, value)) continue;
    const meant = suggestion(upper, settings);
    if (meant !== undefined) warnings.push(`Warning: ${name} is not a setting; did you mean ${meant}?`);
    else if (OWN_PREFIXES.some((p) => upper.startsWith(p))) warnings.push(`Warning: ${name} is not a setting; see .env.example for the ones there are.`);
  }
  return warnings;
}
