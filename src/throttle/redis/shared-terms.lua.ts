/**
 * The Lua script behind `SharedTerms` (shared-terms.ts): one atomic step, on Redis' clock, over a
 * budget's terms hash and Bottleneck's settings of that budget.
 *
 * KEYS[1]: the terms hash — a field `d:<member>` = `<limit>:<windowMs>:<expiresAt>` per live
 *   process (its declaration), and the shared 429 state `floor`, `climbFrom`, `lastCutAt`.
 * KEYS[2]: Bottleneck's `b_<id>_settings` of the budget (its `maxConcurrent` and `running`).
 * ARGV: op (`declare` | `cut` | `leave`), member, limit, windowMs, maxWindowMs, declaration TTL,
 *   key TTL, Bottleneck's channel, pause ms (cut), cut factor, longest pause.
 *
 * Anyone who can write to the Redis writes to KEYS[1] too, so every field read is checked: a
 * declaration that does not parse, is below 1, has expired or claims to live longer than any
 * refresh gives it is deleted; a cut state that does not parse is ignored. The caller's own limit
 * always takes part, so the result never exceeds it, and it is never below 1.
 *
 * Returns `{ allowed, ceiling, windowMs }`: whether Bottleneck's `running` (this grant included)
 * is within the ceiling; the shared ceiling (min of live limits, lowered by a 429 cut that climbs
 * back one unit per window); the longest live window (at most maxWindowMs).
 */
export const SHARED_TERMS_LUA = `
-- Writes after TIME need effects replication before Redis 5 (as Bottleneck's scripts ask; a no-op since).
redis.replicate_commands()
local op = ARGV[1]
local member = 'd:' .. ARGV[2]
local limit = tonumber(ARGV[3])
local window = tonumber(ARGV[4])
local maxWindow = tonumber(ARGV[5])
local ttl = tonumber(ARGV[6])
local keyTtl = tonumber(ARGV[7])
local maxPause = tonumber(ARGV[11])
if op == 'leave' then
  redis.call('hdel', KEYS[1], member)
  return {1, limit, window}
end
local time = redis.call('time')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('hset', KEYS[1], member, limit .. ':' .. window .. ':' .. (now + ttl))

local effective, longest = limit, window
local fields = redis.call('hgetall', KEYS[1])
for i = 1, #fields, 2 do
  local name = fields[i]
  if string.sub(name, 1, 2) == 'd:' then
    local l, w, e = string.match(fields[i + 1], '^(%d+):(%d+):(%d+)$')
    l, w, e = tonumber(l), tonumber(w), tonumber(e)
    if l == nil or l < 1 or e <= now or e > now + ttl then
      redis.call('hdel', KEYS[1], name)
    else
      if l < effective then effective = l end
      if w > longest then longest = math.min(w, maxWindow) end
    end
  end
end

local cut = redis.call('hmget', KEYS[1], 'floor', 'climbFrom', 'lastCutAt')
local floor, climbFrom, lastCutAt = tonumber(cut[1]), tonumber(cut[2]), tonumber(cut[3])
-- NaN and infinities fail these comparisons: a state that does not parse is no cut.
local cutValid = floor ~= nil and climbFrom ~= nil and floor >= 1 and floor < effective
  and climbFrom > -math.huge and climbFrom < math.huge
local ceiling = effective
if cutValid then
  -- A climb cannot start later than the longest pause: a written date far ahead holds nothing for long.
  local from = math.min(climbFrom, now + maxPause)
  local steps = math.floor(math.max(0, now - from) / longest)
  ceiling = math.min(effective, math.floor(floor) + steps)
end
if op == 'cut' then
  local pause = math.min(math.max(tonumber(ARGV[9]) or 0, 0), maxPause)
  local factor = tonumber(ARGV[10])
  local recent = lastCutAt ~= nil and lastCutAt <= now and now - lastCutAt < longest
  -- Once per window, as in-process: the 429s of one burst count once.
  if not recent then
    floor = math.max(1, math.floor(ceiling * factor))
    lastCutAt = now
  elseif not cutValid then
    floor = ceiling
  end
  ceiling = math.min(ceiling, floor)
  redis.call('hset', KEYS[1], 'floor', floor, 'climbFrom', now + pause, 'lastCutAt', lastCutAt)
elseif cutValid and ceiling >= effective then
  redis.call('hdel', KEYS[1], 'floor', 'climbFrom', 'lastCutAt')
end
redis.call('pexpire', KEYS[1], keyTtl)

local allowed = 0
if redis.call('exists', KEYS[2]) == 1 then
  local settings = redis.call('hmget', KEYS[2], 'maxConcurrent', 'running')
  local max, running = tonumber(settings[1]), tonumber(settings[2]) or 0
  if max ~= ceiling then
    redis.call('hset', KEYS[2], 'maxConcurrent', ceiling)
    -- Room was made: wake the processes waiting in Bottleneck's queue.
    if max ~= nil and ceiling > max and running < ceiling then
      redis.call('publish', ARGV[8], 'capacity:' .. (ceiling - running))
    end
  end
  if running <= ceiling then allowed = 1 end
end
return {allowed, ceiling, longest}
`;
