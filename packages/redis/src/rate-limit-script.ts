/**
 * The fleet's bucket for one tenant, stepped atomically in Redis by one script: learn from what responses said
 * (coalesced per process), then reserve up to `want` send slots within the horizon. GCRA on Redis time, so every
 * process shares one clock. One hash per tenant (`{…}` hash tag: one cluster slot).
 *
 * Fields: tat (theoretical arrival time, ms), iv (ms per token), lim (burst; 0 = the tenant reports no limit),
 * n (slots reserved so far: the fleet's request numbers), acc (responses accepted), st/sr/sa (the rate window's
 * start: time, remaining, acc), m (1 once the rate was measured), dec (n at the last 429 decrease), probe (until
 * when the one request sent while nothing is known is in flight).
 *
 * Learning: the server's `remaining` after request k, less the slots reserved after k, is the fleet's credit now
 * (both ways: the server knows best, including other consumers), less a slack of 2: a request reserved before k
 * may reach the server after it (another process, a late timer), so the server's word at k has not counted it yet.
 * The slack costs the fleet two requests of its first burst and nothing after (then the refill paces it).
 * The refill rate is measured over ≥ 1 s windows as (Δremaining + Δaccepted) / Δt, taken at 95 %; before that
 * it is the bound `x-ratelimit-reset` gives (raised by each accepted answer's higher bound), at least a full
 * bucket per 2 s, and each 429 after a decrease cuts it by 30 %. The bound counts from when the answered request
 * was sent, not from the step: a late report (a loaded process) would otherwise shrink the time to the reset and
 * inflate the rate (seen on CI: a burst of 429s).
 */

/** ARGV of one step, in order. Empty strings for what a response did not say. */
export interface StepArgs {
  readonly want: number;
  readonly horizonMs: number;
  readonly ttlMs: number;
  /** The highest fleet request number among the coalesced responses that reported `remaining` (0: none). */
  readonly seq: number;
  readonly limit: number | undefined;
  readonly remaining: number | undefined;
  /** `x-ratelimit-reset`, unix seconds. */
  readonly resetSec: number | undefined;
  readonly accepted: number;
  readonly limited: boolean;
  readonly retryAfterMs: number | undefined;
  /** A successful response without any `x-ratelimit-*` header was seen. */
  readonly unlimited: boolean;
  /** How long before this step the request `seq` was sent (ms): the server answered it no earlier. */
  readonly ageMs?: number | undefined;
}

const opt = (v: number | undefined) => (v === undefined ? '' : String(v));

export function stepArgv(a: StepArgs): string[] {
  return [
    String(a.want), String(a.horizonMs), String(a.ttlMs), String(a.seq), opt(a.limit), opt(a.remaining), opt(a.resetSec),
    String(a.accepted), a.limited ? '1' : '0', opt(a.retryAfterMs), a.unlimited ? '1' : '0', opt(a.ageMs),
  ];
}

/** What one step answered. */
export interface StepReply {
  /** Ms to wait before each granted slot (one entry per slot, in order). */
  readonly waits: readonly number[];
  /** Fleet request number of the first granted slot. */
  readonly firstSeq: number;
  /** When to ask again if fewer slots than wanted were granted, ms. */
  readonly retryInMs: number;
  /** ms per token (0 before anything is known). */
  readonly intervalMs: number;
  /** The learned burst (undefined: unknown; 0: no limit reported). */
  readonly limit: number | undefined;
  readonly measured: boolean;
}

/** Reads the script's reply (integers and strings from either client); anything else is a broken reply. */
export function parseStepReply(reply: unknown): StepReply {
  if (!Array.isArray(reply) || reply.length < 6 || !Array.isArray(reply[0])) throw new TypeError('unexpected rate-limit script reply');
  const num = (v: unknown) => {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new TypeError('unexpected rate-limit script reply');
    return n;
  };
  const lim = num(reply[4]);
  return {
    waits: (reply[0] as unknown[]).map(num),
    firstSeq: num(reply[1]),
    retryInMs: num(reply[2]),
    intervalMs: num(reply[3]) / 1000,
    limit: lim < 0 ? undefined : lim,
    measured: num(reply[5]) === 1,
  };
}

export const STEP_SCRIPT = `
local k = KEYS[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local want, horizon, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local seq, olim, orem, oreset = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local accepted, limited, ra, unlimited = tonumber(ARGV[8]), ARGV[9] == '1', tonumber(ARGV[10]), ARGV[11] == '1'
-- The server answered request seq no earlier than it was sent: measure x-ratelimit-reset from then.
local sent = now - (tonumber(ARGV[12]) or 0)
local s = redis.call('HMGET', k, 'tat', 'iv', 'lim', 'n', 'acc', 'st', 'sr', 'sa', 'm', 'dec', 'probe')
local tat, iv, lim = tonumber(s[1]) or now, tonumber(s[2]), tonumber(s[3])
local n, acc = tonumber(s[4]) or 0, tonumber(s[5]) or 0
local st, sr, sa, m, dec, probe = tonumber(s[6]), tonumber(s[7]), tonumber(s[8]), tonumber(s[9]) or 0, tonumber(s[10]) or 0, tonumber(s[11]) or 0
local MIN_IV, MAX_IV, SLACK = 0.1, 60000, 2
local function clampiv(x) if x < MIN_IV then return MIN_IV elseif x > MAX_IV then return MAX_IV end return x end
if tat < now then tat = now end
acc = acc + accepted
-- learn
if olim and olim > 0 then
  if lim ~= olim then st = nil end
  lim = olim
elseif limited and (lim == nil or lim == 0) then
  lim = 1
elseif unlimited and lim == nil then
  lim = 0
end
if lim and lim > 0 then
  if iv == nil then
    local rate = lim / 2000
    if oreset and orem and oreset * 1000 > sent then
      local bound = math.max(1, lim - orem) / (oreset * 1000 - sent)
      if bound > rate then rate = bound end
    elseif ra and ra > 0 then
      rate = math.max(1, lim) / ra
    end
    iv = clampiv(1 / rate)
  elseif m == 0 and not limited and oreset and orem and orem < lim and oreset * 1000 > sent then
    -- Until measured, each accepted answer's x-ratelimit-reset bounds the rate again (from below): take a higher bound.
    local bound = (lim - orem) / (oreset * 1000 - sent)
    if 1 / bound < iv then iv = clampiv(1 / bound) end
  end
  if limited and m == 0 and seq >= dec then
    iv = clampiv(iv / 0.7)
    dec = n + 1
  end
  if orem then
    local credit = math.min(lim, orem - math.max(0, n - seq)) - math.min(SLACK, lim - 1)
    tat = now + (lim - credit) * iv
    local function sat(r) return r >= lim - 1 end
    if st == nil or sat(sr) then
      st, sr, sa = now, orem, acc
    elseif now - st >= 1000 then
      if not sat(orem) then
        local est = (orem - sr + acc - sa) / (now - st)
        if est > 0 then
          if m == 1 then est = (est + 1 / iv) / 2 end
          iv = clampiv(1 / (est * 0.95))
          m = 1
        end
      end
      st, sr, sa = now, orem, acc
    end
  elseif limited then
    tat = math.max(tat, now + lim * iv)
  end
end
-- reserve
local waits = {}
local first = n + 1
local retry = 0
if lim == nil then
  if probe <= now and want > 0 then
    waits[1] = 0
    probe = now + 2000
  else
    retry = 20
  end
elseif lim == 0 then
  for i = 1, want do waits[i] = 0 end
else
  for i = 1, want do
    local at = tat - (lim - 1) * iv
    if at < now then at = now end
    if at - now > horizon then
      retry = at - now - horizon
      break
    end
    waits[i] = math.floor(at - now + 0.5)
    tat = tat + iv
  end
end
n = n + #waits
local fields = {'tat', tostring(tat), 'n', n, 'acc', acc, 'm', m, 'dec', dec, 'probe', probe}
if iv then table.insert(fields, 'iv'); table.insert(fields, tostring(iv)) end
if lim then table.insert(fields, 'lim'); table.insert(fields, lim) end
if st then
  table.insert(fields, 'st'); table.insert(fields, st); table.insert(fields, 'sr'); table.insert(fields, sr)
  table.insert(fields, 'sa'); table.insert(fields, sa)
else
  redis.call('HDEL', k, 'st', 'sr', 'sa')
end
redis.call('HSET', k, unpack(fields))
redis.call('PEXPIRE', k, ttl)
return {waits, first, math.ceil(retry), math.floor((iv or 0) * 1000), lim or -1, m}
`;
