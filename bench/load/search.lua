-- /api/search: one or two random words, sometimes with a service-type filter.
package.path = package.path .. ";" .. os.getenv("LOAD_LUA_DIR") .. "/?.lua"
require "common"

request = function()
  local q = words[math.random(#words)]
  if math.random() < 0.3 then q = q .. " " .. words[math.random(#words)] end
  local path = "/api/search?q=" .. urlencode(q)
  if math.random() < 0.2 then path = path .. "&servicetype=tap" end
  return wrk.format("GET", path)
end
