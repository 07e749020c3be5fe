/**
 * The Lua scripts that make admission and settlement one atomic round trip each, on Redis's own
 * clock (`TIME`), so replicas with skewed clocks still share one bucket. ioredis registers them
 * with `defineCommand`: EVAL the first time on each connection, EVALSHA after (one round trip either
 * way, also after a Redis restart emptied the script cache). The steps mirror token-bucket.ts: keep them in step.
 *
 * Bucket hash fields: `l` level (units, may be fractional or negative), `t` time of `l` (ms).
 * Spend hash fields: integer counters (see spend-fields.ts).
 */

/** Shared by both scripts: a bucket's level now (full when unknown), and storing a new level. */
const BUCKET_FUNCTIONS = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local function level_at(key, limit)
  local state = redis.call('HMGET', key, 'l', 't')
  if not state[1] then return limit end
  return math.min(limit, tonumber(state[1]) + math.max(0, now - tonumber(state[2])) * limit / 60000)
end
local function ms_until_full(level, limit)
  return math.max(0, math.ceil((limit - level) * 60000 / limit))
end
local function store_level(key, level, limit)
  redis.call('HSET', key, 'l', tostring(level), 't', tostring(now))
  redis.call('PEXPIRE', key, ms_until_full(level, limit) + 1000)
end
`;

/**
 * ADMIT: KEYS = bucket keys..., spend hash.
 * ARGV = bucketCount, budgetCount, (limit, cost) per bucket, (field, limitNanoUsd) per budget.
 * Returns { outcome (0 admitted, 1 rate limited, 2 budget exceeded, 3 too large), failed index
 * (1-based, 0 none), retry-after ms, (remaining, reset ms) per bucket..., spent per budget... }.
 */
export const ADMIT_SCRIPT = `${BUCKET_FUNCTIONS}
local nb = tonumber(ARGV[1])
local nd = tonumber(ARGV[2])
local outcome, failed, retry = 0, 0, 0
local spent = {}
if nd > 0 then
  local fields = {}
  for j = 1, nd do fields[j] = ARGV[2 + 2 * nb + 2 * j - 1] end
  local values = redis.call('HMGET', KEYS[nb + 1], unpack(fields))
  for j = 1, nd do
    spent[j] = tonumber(values[j]) or 0
    if outcome == 0 and spent[j] >= tonumber(ARGV[2 + 2 * nb + 2 * j]) then outcome, failed = 2, j end
  end
end
local levels, limits, costs = {}, {}, {}
for i = 1, nb do
  local limit = tonumber(ARGV[1 + 2 * i])
  local cost = tonumber(ARGV[2 + 2 * i])
  local level = level_at(KEYS[i], limit)
  levels[i], limits[i], costs[i] = level, limit, cost
  if cost > limit then
    if outcome == 0 then outcome, failed = 3, i end
  elseif level < cost then
    if outcome == 0 then outcome, failed = 1, i end
    retry = math.max(retry, math.ceil((cost - level) * 60000 / limit))
  end
end
if outcome == 0 then
  for i = 1, nb do
    levels[i] = levels[i] - costs[i]
    store_level(KEYS[i], levels[i], limits[i])
  end
end
local reply = { outcome, failed, retry }
for i = 1, nb do
  reply[#reply + 1] = math.floor(math.max(0, levels[i]))
  reply[#reply + 1] = ms_until_full(levels[i], limits[i])
end
for j = 1, nd do reply[#reply + 1] = spent[j] end
return reply
`;

/**
 * SETTLE: one or more requests' settlements at once (settle-batch.ts merges them).
 * KEYS = adjusted bucket keys... (a key may repeat: adjustments apply in order), spend hash.
 * ARGV = adjustmentCount, scopeCount, readCount, retentionSeconds, (limit, delta) per adjustment,
 * (scope, requests, input tokens, output tokens, cost in nano-USD) per scope (`k:team-a`), field
 * per read. Adds each non-zero amount to `<scope>:<r|i|o|c>`; returns the read fields' totals.
 */
export const SETTLE_SCRIPT = `${BUCKET_FUNCTIONS}
local na = tonumber(ARGV[1])
local ns = tonumber(ARGV[2])
local nr = tonumber(ARGV[3])
local spend = KEYS[na + 1]
for i = 1, na do
  local limit = tonumber(ARGV[3 + 2 * i])
  store_level(KEYS[i], math.min(limit, level_at(KEYS[i], limit) - tonumber(ARGV[4 + 2 * i])), limit)
end
local measures = { 'r', 'i', 'o', 'c' }
local base = 4 + 2 * na
for s = 0, ns - 1 do
  local at = base + 5 * s
  for m = 1, 4 do
    local amount = ARGV[at + 1 + m]
    if tonumber(amount) > 0 then redis.call('HINCRBY', spend, ARGV[at + 1] .. ':' .. measures[m], amount) end
  end
end
if ns > 0 then redis.call('EXPIRE', spend, ARGV[4]) end
local reply = {}
if nr > 0 then
  local fields = {}
  for r = 1, nr do fields[r] = ARGV[base + 5 * ns + r] end
  local values = redis.call('HMGET', spend, unpack(fields))
  for r = 1, nr do reply[r] = tonumber(values[r]) or 0 end
end
return reply
`;
