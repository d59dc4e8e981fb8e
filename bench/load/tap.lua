-- TAP sync keyword queries: pyvo 1.9's registry.search(keywords=[w]) query, a random word each.
package.path = package.path .. ";" .. os.getenv("LOAD_LUA_DIR") .. "/?.lua"
require "common"

local template = [[
SELECT ivoid, res_type, short_name, res_title, content_level, res_description, reference_url,
creator_seq, created, updated, rights, content_type, source_format, source_value, region_of_regard, waveband,
ivo_string_agg(COALESCE(access_url, ''), ':::py VO sep:::') AS access_urls,
ivo_string_agg(COALESCE(standard_id, ''), ':::py VO sep:::') AS standard_ids,
ivo_string_agg(COALESCE(intf_type, ''), ':::py VO sep:::') AS intf_types,
ivo_string_agg(COALESCE(intf_role, ''), ':::py VO sep:::') AS intf_roles,
ivo_string_agg(COALESCE(cap_description, ''), ':::py VO sep:::') AS cap_descriptions
FROM rr.resource NATURAL LEFT OUTER JOIN rr.capability NATURAL LEFT OUTER JOIN rr.interface
WHERE (ivoid IN (SELECT DISTINCT ivoid FROM rr.resource WHERE 1=ivo_hasword(res_description, 'WORD')
UNION ALL SELECT DISTINCT ivoid FROM rr.resource WHERE 1=ivo_hasword(res_title, 'WORD')
UNION ALL SELECT DISTINCT ivoid FROM rr.res_subject WHERE rr.res_subject.res_subject ILIKE '%WORD%'))
GROUP BY ivoid, res_type, short_name, res_title, content_level, res_description, reference_url,
creator_seq, created, updated, rights, content_type, source_format, source_value, region_of_regard, waveband]]

request = function()
  local w = words[math.random(#words)]
  local q = string.gsub(template, "WORD", w)
  local body = "REQUEST=doQuery&LANG=ADQL&MAXREC=10000&QUERY=" .. urlencode(q)
  return wrk.format("POST", "/tap/sync", {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
