-- Resource pages (HTML) of random records; the identifiers come from LOAD_IVOIDS.
package.path = package.path .. ";" .. os.getenv("LOAD_LUA_DIR") .. "/?.lua"
require "common"

local ivoids = lines_of(os.getenv("LOAD_IVOIDS"))

request = function()
  return wrk.format("GET", "/resources/" .. urlencode(ivoids[math.random(#ivoids)]))
end
