-- Helpers shared by the load scripts: percent-encoding and a word list.
function urlencode(s)
  return (string.gsub(s, "[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

words = {
  "galaxies", "nebula", "quasar", "xmm", "photometric", "spectroscopic", "catalogue", "survey",
  "atlas", "radio", "infrared", "pleiades", "orion", "variable", "binary", "exoplanets",
  "astrometry", "census", "kinematic", "magellanic", "virgo", "cluster", "release", "deep",
}

function lines_of(path)
  local out = {}
  for l in io.lines(path) do if #l > 0 then out[#out + 1] = l end end
  return out
end
