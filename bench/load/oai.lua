-- OAI-PMH ListRecords pages as a harvester asks for them: the first page, then the page its
-- resumption token names; back to the first page at the end of the list.
local token = nil

request = function()
  if token then
    return wrk.format("GET", "/oai?verb=ListRecords&resumptionToken=" .. token)
  end
  return wrk.format("GET", "/oai?verb=ListRecords&metadataPrefix=ivo_vor")
end

response = function(status, headers, body)
  local t = body and string.match(body, "<resumptionToken[^>]*>([^<]+)</resumptionToken>")
  if t then
    token = string.gsub(t, "[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end)
  else
    token = nil
  end
end
