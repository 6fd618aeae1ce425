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
//     The same step takes the chat's gap (jobs/chat-gap.ts), and one more
//     after the answer moves the entry and restarts the gap. The steps of
//     the sends of a worker that get to one together share one round trip
//     (paceStep).
import type { Redis } from "ioredis";
import type { PlatformName } from "../src/channels/channel.ts";
import { chatGapKey } from "./chat-gap.ts";

/** Slots 3% wider than the limit: the spacing rarely meets the guard. */
export const PACE_MARGIN = 1.03;
/** The guard's second is this much longer: the platform's clock is not ours. */
export const WINDOW_SLACK_MS = 5;

const HOLD = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(last, now + tonumber(ARGV[1]))
redis.call('SET', KEYS[1], tostring(slot), 'PX', math.ceil(slot - now) + 1000)
return 0`;

// One round trip for the sends that got to a step together, as if each had
// asked on its own, in the order of real time:
//  1. after the platforms' answers (leaves): the send's entry in the guard's
//     log moves to the time its answer came back (now, or a moment later:
//     later only counts it longer), and after a delivery (gap > 0) the chat's
//     gap counts again from now, so a slow request does not let the next
//     message arrive closer than the gap;
//  2. right before platform calls (enters): the chat's gap and the guard. The
//     chat's key holds the send's id, so a send that waits for the guard and
//     asks again still has it. Answers 0 when the send may start (logged), a
//     wait in ms for the guard, or minus the ms until the chat is free
//     (nothing logged);
//  3. reservations of successive slots of the even spacing; answers the wait
//     for each.
// KEYS: pace, log, the enters' chat keys, the leaves' chat keys. ARGV:
// interval, reservations, gap, window, max, enters, leaves, the enters' ids,
// then (id, gap) for each leave.
const STEP = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = tonumber(ARGV[1])
local reservations = tonumber(ARGV[2])
local gap = ARGV[3]
local window = tonumber(ARGV[4])
local max = tonumber(ARGV[5])
local enters = tonumber(ARGV[6])
local leaves = tonumber(ARGV[7])
local out = {}
for i = 1, leaves do
  local id = ARGV[7 + enters + 2 * i - 1]
  local leaveGap = ARGV[7 + enters + 2 * i]
  redis.call('ZADD', KEYS[2], 'XX', now, id)
  if leaveGap ~= '0' then redis.call('SET', KEYS[2 + enters + i], '1', 'PX', leaveGap) end
end
if enters > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
  local logged = false
  for i = 1, enters do
    local key = KEYS[2 + i]
    local id = ARGV[7 + i]
    if not redis.call('SET', key, id, 'PX', gap, 'NX') and redis.call('GET', key) ~= id then
      out[i] = -math.max(1, redis.call('PTTL', key))
    else
      local n = redis.call('ZCARD', KEYS[2])
      if n >= max then
        local oldest = redis.call('ZRANGE', KEYS[2], n - max, n - max, 'WITHSCORES')
        out[i] = math.max(1, math.ceil(tonumber(oldest[2]) + window - now))
      else
        redis.call('ZADD', KEYS[2], now, id)
        logged = true
        out[i] = 0
      end
    end
  end
  if logged then redis.call('PEXPIRE', KEYS[2], math.ceil(window) + 1000) end
end
if reservations > 0 then
  local last = tonumber(redis.call('GET', KEYS[1]) or '0')
  for i = 1, reservations do
    last = math.max(now, last + interval)
    out[enters + i] = math.ceil(last - now)
  end
  redis.call('SET', KEYS[1], tostring(last), 'PX', math.ceil(last - now + interval) + 1000)
end
return out`;

const paceKey = (prefix: string, platform: PlatformName) => `${prefix}:pace:${platform}`;
const logKey = (prefix: string, platform: PlatformName) => `${prefix}:sent-log:${platform}`;

export interface PaceAt {
  prefix: string;
  platform: PlatformName;
}

export function paceIntervalMs(perSecond: number): number {
  return (1000 / perSecond) * PACE_MARGIN;
}

/** After a 429: no slot before the platform's retry_after, for messages already waiting for one too. */
export async function holdSlots(redis: Redis, at: PaceAt & { ms: number }): Promise<void> {
  await redis.eval(HOLD, 1, paceKey(at.prefix, at.platform), String(at.ms));
}

export interface SendAt {
  chatId: string;
  /** This try of this message: the guard's entry and the holder of the chat's gap. */
  id: string;
}

/** What the sends that got to a step together ask for (see STEP). */
export interface PaceAsks {
  /** Slots to reserve, one per send about to claim its row. */
  reserve: number;
  /** Sends about to call the platform. */
  enter: readonly SendAt[];
  /** Sends whose answer (or failure) came back; with `gapMs` after a delivery. */
  leave: readonly (SendAt & { gapMs?: number })[];
}

export interface PaceAnswers {
  /** Per reservation, the milliseconds to wait for the slot. */
  reserved: number[];
  /**
   * Per send entering, 0 when it may start, `{ chatBusyMs }` when its chat is
   * not free yet (nothing taken), or the milliseconds to wait for the guard
   * before asking again.
   */
  entered: (number | { chatBusyMs: number })[];
}

/** Reservations, enters and leaves of several sends in one round trip (see STEP). */
export async function paceStep(redis: Redis, at: PaceAt & { intervalMs: number; perSecond: number; gapMs: number }, asks: PaceAsks): Promise<PaceAnswers> {
  const keys = [
    paceKey(at.prefix, at.platform),
    logKey(at.prefix, at.platform),
    ...asks.enter.map((s) => chatGapKey(at.prefix, at.platform, s.chatId)),
    ...asks.leave.map((s) => chatGapKey(at.prefix, at.platform, s.chatId)),
  ];
  const args = [
    String(at.intervalMs),
    String(asks.reserve),
    String(at.gapMs),
    String(1000 + WINDOW_SLACK_MS),
    String(at.perSecond),
    String(asks.enter.length),
    String(asks.leave.length),
    ...asks.enter.map((s) => s.id),
    ...asks.leave.flatMap((s) => [s.id, String(s.gapMs ?? 0)]),
  ];
  const out = await redis.eval(STEP, keys.length, ...keys, ...args);
  const answer = (i: number): number => {
    const v = Array.isArray(out) ? (out[i] as unknown) : undefined;
    if (typeof v !== "number") throw new Error("pace: unexpected answer from Redis");
    return v;
  };
  return {
    entered: asks.enter.map((_, i) => {
      const v = answer(i);
      return v < 0 ? { chatBusyMs: -v } : v;
    }),
    reserved: Array.from({ length: asks.reserve }, (_, i) => answer(asks.enter.length + i)),
  };
}
