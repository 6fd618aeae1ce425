// A platform's overall message rate, shared by every worker process through
// Redis (on Redis's clock, so several machines agree).
//
// BullMQ's limiter counts job starts in fixed windows: two full windows back
// to back put up to twice the limit into one sliding second, and the platform
// answers 429, which pauses the whole queue. So each send
//  1. reserves the next slot of an even spacing a little wider than 1/limit
//     and waits for it (before claiming its row, so a crash while waiting
//     leaves the message QUEUED), then
//  2. right before the platform call, checks a log of the sends of the last
//     second. A send's entry holds the time its answer came back (until then,
//     its start): the platform received it at some moment in between, so a
//     new send may start once the oldest counted answer is a second old,
//     whatever the network and pauses (GC, a slow query) did to the timing.
import type { Redis } from "ioredis";
import type { PlatformName } from "../src/channels/channel.ts";

/** Slots 3% wider than the limit: the spacing rarely meets the guard. */
export const PACE_MARGIN = 1.03;
/** The guard's second is this much longer: the platform's clock is not ours. */
export const WINDOW_SLACK_MS = 5;

const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = tonumber(ARGV[1])
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, last + interval)
redis.call('SET', KEYS[1], tostring(slot), 'PX', math.ceil(slot - now + interval) + 1000)
return math.ceil(slot - now)`;

const HOLD = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(last, now + tonumber(ARGV[1]))
redis.call('SET', KEYS[1], tostring(slot), 'PX', math.ceil(slot - now) + 1000)
return 0`;

const GUARD = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local window = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local n = redis.call('ZCARD', KEYS[1])
if n >= max then
  local oldest = redis.call('ZRANGE', KEYS[1], n - max, n - max, 'WITHSCORES')
  return math.max(1, math.ceil(tonumber(oldest[2]) + window - now))
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.ceil(window) + 1000)
return 0`;

const LEAVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
return 0`;

const paceKey = (prefix: string, platform: PlatformName) => `${prefix}:pace:${platform}`;
const logKey = (prefix: string, platform: PlatformName) => `${prefix}:sent-log:${platform}`;

export interface PaceAt {
  prefix: string;
  platform: PlatformName;
}

export function paceIntervalMs(perSecond: number): number {
  return (1000 / perSecond) * PACE_MARGIN;
}

/** Reserves the platform's next send slot; returns the milliseconds to wait for it. */
export async function reserveSlot(redis: Redis, at: PaceAt & { intervalMs: number }): Promise<number> {
  const wait = await redis.eval(RESERVE, 1, paceKey(at.prefix, at.platform), String(at.intervalMs));
  return typeof wait === "number" ? wait : 0;
}

/** After a 429: no slot before the platform's retry_after, for messages already waiting for one too. */
export async function holdSlots(redis: Redis, at: PaceAt & { ms: number }): Promise<void> {
  await redis.eval(HOLD, 1, paceKey(at.prefix, at.platform), String(at.ms));
}

/** Logs a send about to start if the last second has room; else returns the milliseconds to wait. */
export async function enterSecond(redis: Redis, at: PaceAt & { perSecond: number; id: string }): Promise<number> {
  const wait = await redis.eval(GUARD, 1, logKey(at.prefix, at.platform), String(1000 + WINDOW_SLACK_MS), String(at.perSecond), at.id);
  return typeof wait === "number" ? wait : 0;
}

/** Moves a send's entry to the time its answer came back (or its failure). */
export async function leaveSecond(redis: Redis, at: PaceAt & { id: string }): Promise<void> {
  await redis.eval(LEAVE, 1, logKey(at.prefix, at.platform), at.id);
}
