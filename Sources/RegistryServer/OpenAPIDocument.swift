/// The OpenAPI 3.1 description of the server's HTTP interface, served at `/api/openapi.json`.
/// The integration tests validate every JSON response against the schemas here.
enum OpenAPIDocument {
    static let json = #"""
    {
      "openapi": "3.1.0",
      "info": {
        "title": "VORegistry",
        "version": "1.0.0",
        "description": "An IVOA registry: ranked discovery (JSON and HTML), OAI-PMH 2.0 and metrics. Internal records are never shown or counted on the public listener."
      },
      "paths": {
        "/api/search": {
          "get": {
            "summary": "Ranked search with facets",
            "description": "Words are all required; \"quoted phrases\" match in order; -word excludes; word* is a prefix. Service words (tap, sia, ssa, cone, ...) rank services of that type first. An exact identifier or short name comes first. An empty q browses everything (services first, then by title). Facets count the whole match set with the filters applied.",
            "parameters": [
              {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 1000}},
              {"name": "servicetype", "in": "query", "schema": {"$ref": "#/components/schemas/ServiceType"}},
              {"name": "waveband", "in": "query", "schema": {"type": "string"}, "description": "e.g. optical, radio, x-ray (case-insensitive)"},
              {"name": "authority", "in": "query", "schema": {"type": "string"}, "description": "naming authority, e.g. example-dc.org (an ivo:// identifier is reduced to its authority)"},
              {"name": "type", "in": "query", "schema": {"type": "string"}, "description": "resource type as in RegTAP res_type, e.g. vs:catalogservice"},
              {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 1}},
              {"name": "pagesize", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}}
            ],
            "responses": {
              "200": {"description": "A page of results", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchResponse"}}}},
              "400": {"description": "Invalid parameter", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
          }
        },
        "/api/resources/{ivoid}": {
          "get": {
            "summary": "One resource as JSON, or its VOResource XML with format=xml",
            "parameters": [
              {"name": "ivoid", "in": "path", "required": true, "schema": {"type": "string"}, "description": "IVOA identifier, percent-encoded as one path segment (ivo%3A%2F%2Fauth%2Fpath)"},
              {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "xml"], "default": "json"}}
            ],
            "responses": {
              "200": {"description": "The resource", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Resource"}},
                "application/xml": {"schema": {"type": "string"}}}},
              "404": {"description": "No such active, public resource", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
          }
        },
        "/api/status": {
          "get": {
            "summary": "Records by type, status, visibility and origin; peer registries",
            "responses": {"200": {"description": "Status", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Status"}}}}}
          }
        },
        "/api/openapi.json": {
          "get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}}}
        },
        "/": {
          "get": {
            "summary": "Web page: search form, facet filters and results (same parameters as /api/search)",
            "responses": {"200": {"description": "HTML", "content": {"text/html": {"schema": {"type": "string"}}}},
                          "400": {"description": "HTML with the error", "content": {"text/html": {"schema": {"type": "string"}}}}}
          }
        },
        "/resources/{ivoid}": {
          "get": {
            "summary": "Web page of one resource",
            "parameters": [{"name": "ivoid", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "HTML", "content": {"text/html": {"schema": {"type": "string"}}}},
                          "404": {"description": "HTML", "content": {"text/html": {"schema": {"type": "string"}}}}}
          }
        },
        "/status": {
          "get": {"summary": "Web page of the registry status", "responses": {"200": {"description": "HTML", "content": {"text/html": {"schema": {"type": "string"}}}}}}
        },
        "/oai": {
          "get": {
            "summary": "OAI-PMH 2.0 (verbs Identify, ListMetadataFormats, ListSets, ListIdentifiers, ListRecords, GetRecord; prefixes ivo_vor, oai_dc; set ivo_managed)",
            "parameters": [
              {"name": "verb", "in": "query", "required": true, "schema": {"type": "string"}},
              {"name": "metadataPrefix", "in": "query", "schema": {"type": "string"}},
              {"name": "identifier", "in": "query", "schema": {"type": "string"}},
              {"name": "from", "in": "query", "schema": {"type": "string"}},
              {"name": "until", "in": "query", "schema": {"type": "string"}},
              {"name": "set", "in": "query", "schema": {"type": "string"}},
              {"name": "resumptionToken", "in": "query", "schema": {"type": "string"}}
            ],
            "responses": {"200": {"description": "OAI-PMH response (errors are OAI-PMH error elements)", "content": {"text/xml": {"schema": {"type": "string"}}}}}
          },
          "post": {
            "summary": "OAI-PMH 2.0 with form-encoded arguments",
            "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {"type": "object"}}}},
            "responses": {"200": {"description": "OAI-PMH response", "content": {"text/xml": {"schema": {"type": "string"}}}},
                          "415": {"description": "Not form-encoded"}}
          }
        },
        "/metrics": {
          "get": {"summary": "Prometheus metrics", "responses": {"200": {"description": "Prometheus text format", "content": {"text/plain": {"schema": {"type": "string"}}}}}}
        },
        "/api/harvest/status": {
          "get": {"summary": "Peer registries this one harvests, with their last harvest, errors, counts and next run", "responses": {"200": {"description": "Harvest status", "content": {"application/json": {"schema": {"type": "object"}}}}}}
        },
        "/api/login": {
          "post": {"summary": "Log in: {\"name\", \"password\"} gives {\"token\", \"expires\"}, a bearer token for the writing routes (repeated failures are slowed down)",
            "requestBody": {"content": {"application/json": {"schema": {"type": "object", "required": ["name", "password"], "properties": {"name": {"type": "string"}, "password": {"type": "string"}}}}}},
            "responses": {"200": {"description": "A token", "content": {"application/json": {"schema": {"type": "object", "required": ["token", "expires"], "properties": {"token": {"type": "string"}, "expires": {"type": "integer"}}}}}},
                          "401": {"description": "Wrong name or password", "content": {"application/json": {"schema": {"type": "object"}}}}}}
        },
        "/api/logout": {
          "post": {"summary": "Revoke the bearer token sent in Authorization", "responses": {"200": {"description": "Revoked", "content": {"application/json": {"schema": {"type": "object"}}}}, "401": {"description": "No valid token", "content": {"application/json": {"schema": {"type": "object"}}}}}}
        },
        "/api/records/{ivoid}": {
          "parameters": [{"name": "ivoid", "in": "path", "required": true, "schema": {"type": "string"}, "description": "IVOA identifier, percent-encoded as one path segment"}],
          "get": {"summary": "The stored VOResource record (internal ones only on the internal listener or with a token)", "responses": {"200": {"description": "The record", "content": {"application/xml": {"schema": {"type": "string"}}}}, "404": {"description": "No such record", "content": {"application/json": {"schema": {"type": "object"}}}}, "410": {"description": "Deleted", "content": {"application/json": {"schema": {"type": "object"}}}}}},
          "put": {"summary": "Publish a bare ri:Resource under an authority of the token's account (Authorization: Bearer TOKEN)",
            "parameters": [{"name": "visibility", "in": "query", "schema": {"type": "string", "enum": ["public", "internal"], "default": "public"}}],
            "requestBody": {"content": {"application/xml": {"schema": {"type": "string"}}}},
            "responses": {"200": {"description": "stored or unchanged", "content": {"application/json": {"schema": {"type": "object"}}}},
                          "400": {"description": "Not a record, or not the identifier of the URL", "content": {"application/json": {"schema": {"type": "object"}}}},
                          "401": {"description": "No valid token", "content": {"application/json": {"schema": {"type": "object"}}}},
                          "403": {"description": "Identifier outside the account's authorities", "content": {"application/json": {"schema": {"type": "object"}}}},
                          "409": {"description": "A harvested record", "content": {"application/json": {"schema": {"type": "object"}}}},
                          "422": {"description": "Schema errors with line numbers, or bad created/updated", "content": {"application/json": {"schema": {"type": "object"}}}}}},
          "delete": {"summary": "Delete: the record becomes a tombstone (OAI-PMH deleted header)", "responses": {"200": {"description": "Deleted", "content": {"application/json": {"schema": {"type": "object"}}}}, "401": {"description": "No valid token", "content": {"application/json": {"schema": {"type": "object"}}}}, "403": {"description": "Not the account's", "content": {"application/json": {"schema": {"type": "object"}}}}, "404": {"description": "No such record", "content": {"application/json": {"schema": {"type": "object"}}}}}}
        },
        "/api/publish/status": {
          "get": {"summary": "Records built from VOSI documents, with each service's availability at the last re-read", "responses": {"200": {"description": "VOSI services", "content": {"application/json": {"schema": {"type": "object"}}}}}}
        },
        "/tap/sync": {
          "get": {
            "summary": "TAP 1.1 synchronous query (RegTAP 1.2 rr schema, TAP_SCHEMA, TAP_UPLOAD); parameter names are case-insensitive",
            "parameters": [
              {"name": "LANG", "in": "query", "required": true, "schema": {"type": "string", "enum": ["ADQL", "ADQL-2.0", "ADQL-2.1"]}},
              {"name": "QUERY", "in": "query", "required": true, "schema": {"type": "string"}},
              {"name": "REQUEST", "in": "query", "schema": {"type": "string", "enum": ["doQuery"]}},
              {"name": "MAXREC", "in": "query", "schema": {"type": "integer", "minimum": 0}},
              {"name": "RESPONSEFORMAT", "in": "query", "schema": {"type": "string"}},
              {"name": "FORMAT", "in": "query", "schema": {"type": "string"}},
              {"name": "UPLOAD", "in": "query", "schema": {"type": "string"}}
            ],
            "responses": {"200": {"description": "VOTable (TABLEDATA or BINARY2), CSV or TSV", "content": {"application/x-votable+xml": {"schema": {"type": "string"}}, "text/csv": {"schema": {"type": "string"}}, "text/tab-separated-values": {"schema": {"type": "string"}}}},
                          "400": {"description": "Error VOTable (QUERY_STATUS=ERROR) for bad parameters or ADQL", "content": {"application/x-votable+xml": {"schema": {"type": "string"}}}},
                          "500": {"description": "Error VOTable: time limit or store failure", "content": {"application/x-votable+xml": {"schema": {"type": "string"}}}}}
          },
          "post": {
            "summary": "TAP 1.1 synchronous query, form-encoded or multipart/form-data (with UPLOAD parts)",
            "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {"type": "object"}}, "multipart/form-data": {"schema": {"type": "object"}}}},
            "responses": {"200": {"description": "Query result", "content": {"application/x-votable+xml": {"schema": {"type": "string"}}}},
                          "400": {"description": "Error VOTable", "content": {"application/x-votable+xml": {"schema": {"type": "string"}}}}}
          }
        },
        "/tap/async": {
          "get": {"summary": "UWS 1.1 job list (PHASE and LAST filters)", "responses": {"200": {"description": "uws:jobs", "content": {"text/xml": {"schema": {"type": "string"}}}}}},
          "post": {"summary": "Create a job (PHASE=RUN starts it)", "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {"type": "object"}}, "multipart/form-data": {"schema": {"type": "object"}}}},
                   "responses": {"303": {"description": "See Other: the job's URL"}}}
        },
        "/tap/async/{job}": {
          "get": {"summary": "UWS job (WAIT and PHASE block until the phase changes)", "parameters": [{"name": "job", "in": "path", "required": true, "schema": {"type": "string"}}],
                  "responses": {"200": {"description": "uws:job", "content": {"text/xml": {"schema": {"type": "string"}}}}, "404": {"description": "No such job"}}},
          "delete": {"summary": "Delete the job and its result", "parameters": [{"name": "job", "in": "path", "required": true, "schema": {"type": "string"}}],
                     "responses": {"303": {"description": "See Other: the job list"}}}
        },
        "/tap/capabilities": {"get": {"summary": "VOSI capabilities with TAPRegExt", "responses": {"200": {"description": "vosi:capabilities", "content": {"text/xml": {"schema": {"type": "string"}}}}}}},
        "/tap/availability": {"get": {"summary": "VOSI availability", "responses": {"200": {"description": "avl:availability", "content": {"text/xml": {"schema": {"type": "string"}}}}}}},
        "/tap/tables": {"get": {"summary": "VOSI tables 1.1 (detail=min leaves out columns)", "responses": {"200": {"description": "vosi:tableset", "content": {"text/xml": {"schema": {"type": "string"}}}}}}},
        "/tap/examples": {"get": {"summary": "DALI examples (XHTML + RDFa)", "responses": {"200": {"description": "Example queries", "content": {"application/xhtml+xml": {"schema": {"type": "string"}}}}}}}
      },
      "components": {
        "schemas": {
          "ServiceType": {"type": "string", "enum": ["tap", "sia", "ssa", "scs", "slap", "datalink", "soda", "hips", "vospace", "uws", "registry"]},
          "Error": {
            "type": "object", "additionalProperties": false, "required": ["status", "message"],
            "properties": {"status": {"type": "integer"}, "message": {"type": "string"}}
          },
          "FacetValue": {
            "type": "object", "additionalProperties": false, "required": ["value", "label", "count"],
            "properties": {"value": {"type": "string"}, "label": {"type": "string"}, "count": {"type": "integer", "minimum": 1}}
          },
          "Facets": {
            "type": "object", "additionalProperties": false, "required": ["servicetype", "waveband", "authority", "type"],
            "properties": {
              "servicetype": {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}},
              "waveband": {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}},
              "authority": {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}},
              "type": {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}}
            }
          },
          "InterfaceSummary": {
            "type": "object", "additionalProperties": false,
            "properties": {"type": {"type": "string"}, "role": {"type": "string"}, "accessURL": {"type": "string"}}
          },
          "CapabilitySummary": {
            "type": "object", "additionalProperties": false, "required": ["interfaces"],
            "properties": {
              "standardId": {"type": "string"},
              "serviceType": {"$ref": "#/components/schemas/ServiceType"},
              "interfaces": {"type": "array", "items": {"$ref": "#/components/schemas/InterfaceSummary"}}
            }
          },
          "SearchResult": {
            "type": "object", "additionalProperties": false,
            "required": ["ivoid", "title", "description", "wavebands", "capabilities"],
            "properties": {
              "ivoid": {"type": "string"}, "title": {"type": "string"}, "shortName": {"type": "string"},
              "type": {"type": "string"}, "description": {"type": "string"}, "publisher": {"type": "string"},
              "wavebands": {"type": "array", "items": {"type": "string"}},
              "capabilities": {"type": "array", "items": {"$ref": "#/components/schemas/CapabilitySummary"}}
            }
          },
          "SearchResponse": {
            "type": "object", "additionalProperties": false,
            "required": ["q", "filters", "total", "page", "pageSize", "pages", "results", "facets"],
            "properties": {
              "q": {"type": "string"},
              "filters": {"type": "object", "additionalProperties": {"type": "string"}},
              "total": {"type": "integer", "minimum": 0},
              "page": {"type": "integer", "minimum": 1},
              "pageSize": {"type": "integer", "minimum": 1},
              "pages": {"type": "integer", "minimum": 0},
              "results": {"type": "array", "items": {"$ref": "#/components/schemas/SearchResult"}},
              "facets": {"$ref": "#/components/schemas/Facets"}
            }
          },
          "Resource": {
            "type": "object", "additionalProperties": false,
            "required": ["ivoid", "identifier", "title", "status", "subjects", "wavebands", "contentLevels", "contentTypes",
                         "creators", "datestamp", "dates", "contacts", "capabilities", "tables", "relationships", "xmlURL"],
            "properties": {
              "ivoid": {"type": "string"}, "identifier": {"type": "string"}, "title": {"type": "string"},
              "shortName": {"type": "string"}, "type": {"type": "string"}, "status": {"type": "string", "enum": ["active", "inactive"]},
              "description": {"type": "string"}, "referenceURL": {"type": "string"}, "version": {"type": "string"},
              "subjects": {"type": "array", "items": {"type": "string"}},
              "wavebands": {"type": "array", "items": {"type": "string"}},
              "contentLevels": {"type": "array", "items": {"type": "string"}},
              "contentTypes": {"type": "array", "items": {"type": "string"}},
              "creators": {"type": "array", "items": {"type": "string"}},
              "publisher": {"type": "string"}, "rights": {"type": "string"}, "rightsURI": {"type": "string"},
              "created": {"type": "string"}, "updated": {"type": "string"},
              "datestamp": {"type": "string", "format": "date-time"},
              "dates": {"type": "array", "items": {"type": "object", "additionalProperties": false, "required": ["date"],
                "properties": {"date": {"type": "string"}, "role": {"type": "string"}}}},
              "contacts": {"type": "array", "items": {"type": "object", "additionalProperties": false, "required": ["role"],
                "properties": {"role": {"type": "string"}, "name": {"type": "string"}, "ivoid": {"type": "string"},
                  "email": {"type": "string"}, "telephone": {"type": "string"}, "address": {"type": "string"}}}},
              "capabilities": {"type": "array", "items": {"type": "object", "additionalProperties": false, "required": ["index", "interfaces"],
                "properties": {"index": {"type": "integer"}, "standardId": {"type": "string"},
                  "serviceType": {"$ref": "#/components/schemas/ServiceType"}, "type": {"type": "string"},
                  "description": {"type": "string"},
                  "interfaces": {"type": "array", "items": {"type": "object", "additionalProperties": false,
                    "required": ["mirrorURLs", "queryTypes", "authenticatedOnly"],
                    "properties": {"type": {"type": "string"}, "role": {"type": "string"}, "version": {"type": "string"},
                      "accessURL": {"type": "string"}, "use": {"type": "string"},
                      "mirrorURLs": {"type": "array", "items": {"type": "string"}},
                      "queryTypes": {"type": "array", "items": {"type": "string"}},
                      "resultType": {"type": "string"}, "authenticatedOnly": {"type": "boolean"}}}}}}},
              "tables": {"type": "array", "items": {"type": "object", "additionalProperties": false, "required": ["columns"],
                "properties": {"schema": {"type": "string"}, "name": {"type": "string"}, "title": {"type": "string"},
                  "description": {"type": "string"}, "type": {"type": "string"}, "nrows": {"type": "integer"},
                  "columns": {"type": "array", "items": {"type": "object", "additionalProperties": false, "required": ["name", "flags"],
                    "properties": {"name": {"type": "string"}, "description": {"type": "string"}, "unit": {"type": "string"},
                      "ucd": {"type": "string"}, "datatype": {"type": "string"},
                      "flags": {"type": "array", "items": {"type": "string"}}}}}}}},
              "relationships": {"type": "array", "items": {"type": "object", "additionalProperties": false, "required": ["type"],
                "properties": {"type": {"type": "string"}, "relatedId": {"type": "string"}, "relatedName": {"type": "string"}}}},
              "xmlURL": {"type": "string"}
            }
          },
          "Count": {
            "type": "object", "additionalProperties": false, "required": ["value", "count"],
            "properties": {"value": {"type": "string"}, "count": {"type": "integer", "minimum": 0}}
          },
          "Status": {
            "type": "object", "additionalProperties": false,
            "required": ["total", "byType", "byStatus", "byVisibility", "byOrigin"],
            "properties": {
              "total": {"type": "integer", "minimum": 0},
              "byType": {"type": "array", "items": {"$ref": "#/components/schemas/Count"}},
              "byStatus": {"type": "array", "items": {"$ref": "#/components/schemas/Count"}},
              "byVisibility": {"type": "array", "items": {"$ref": "#/components/schemas/Count"}},
              "byOrigin": {"type": "array", "items": {"$ref": "#/components/schemas/Count"}},
              "peers": {"type": "object", "additionalProperties": false, "required": ["table", "columns", "rows"],
                "properties": {"table": {"type": "string"}, "columns": {"type": "array", "items": {"type": "string"}},
                  "rows": {"type": "array", "items": {"type": "array", "items": {"type": ["string", "null"]}}}}}
            }
          }
        }
      }
    }
    """#
}
