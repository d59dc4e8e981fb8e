"""Discovery over HTTP against the real `voreg serve`: the JSON API checked against the server's
own OpenAPI document, the HTML pages (parsed with lxml), internal records never leaking, and the
pages in a real headless Chromium (skipped with a message when Chromium is not installed)."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request

import jsonschema
import pytest
from lxml import html as lhtml

from test_oai_server import start_server

INTERNAL_WORDS = ["processing cluster", "job launcher", "processing database", "VOSpace", "uws"]
HOSTILE = ['"', '-', '"unclosed', 'NEAR(a b)', 'title:x', '* OR *', 'AND', '((( ', "'; DROP TABLE records; --",
           '\\', '%', '🙂', 'a' * 999, '-"x"', '^x', 'x"y"z']


@pytest.fixture(scope="module")
def srv(tmp_path_factory, voreg):
    tmp = tmp_path_factory.mktemp("discovery")
    s = start_server(tmp, tmp / "store.sqlite")
    s.base = f"http://127.0.0.1:{s.port}"
    yield s
    s.proc.terminate()
    s.proc.wait(timeout=10)


def fetch(url: str):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


@pytest.fixture(scope="module")
def openapi(srv):
    status, ctype, body = fetch(srv.base + "/api/openapi.json")
    assert status == 200 and ctype.startswith("application/json")
    doc = json.loads(body)
    assert doc["openapi"].startswith("3.")
    return doc


def check(doc, name: str, value):
    schema = {"$ref": f"#/components/schemas/{name}", "components": doc["components"]}
    jsonschema.Draft202012Validator(schema).validate(value)


def api(srv, path, **params):
    status, ctype, body = fetch(srv.base + path + ("?" + urllib.parse.urlencode(params) if params else ""))
    assert ctype.startswith("application/json"), (status, ctype, body[:300])
    return status, json.loads(body)


def test_openapi_describes_every_route(openapi):
    for p in ["/api/search", "/api/resources/{ivoid}", "/api/status", "/api/openapi.json", "/", "/resources/{ivoid}",
              "/status", "/oai", "/metrics", "/api/harvest/status", "/tap/sync", "/tap/async", "/tap/async/{job}",
              "/tap/capabilities", "/tap/availability", "/tap/tables", "/tap/examples"]:
        assert p in openapi["paths"], p
    jsonschema.Draft202012Validator.check_schema({"components": openapi["components"]})


def test_documented_tap_and_harvest_routes_answer(srv, openapi):
    """Every documented GET route without path parameters answers with a documented status."""
    for path in ["/api/harvest/status", "/tap/capabilities", "/tap/availability", "/tap/tables", "/tap/examples",
                 "/tap/async"]:
        status, ctype, _ = fetch(srv.base + path)
        assert str(status) in openapi["paths"][path]["get"]["responses"], (path, status)
    status, ctype, _ = fetch(srv.base + "/tap/sync?LANG=ADQL&QUERY=SELECT%20TOP%201%20ivoid%20FROM%20rr.resource")
    assert status == 200 and ctype.startswith("application/x-votable+xml")


def test_search_ranks_and_matches_the_schema(srv, openapi):
    status, r = api(srv, "/api/search", q="example sky survey tap")
    assert status == 200
    check(openapi, "SearchResponse", r)
    assert r["results"][0]["ivoid"] == "ivo://example-dc.org/tap"
    tap = r["results"][0]
    assert any(i.get("accessURL") == "https://dc.example-dc.org/tap"
               for c in tap["capabilities"] for i in c["interfaces"])
    status, r = api(srv, "/api/search", q="Example Sky Survey")
    assert all(x["capabilities"] for x in r["results"][:4]), "the survey's services come first"
    status, r = api(srv, "/api/search", q="", servicetype="sia", pagesize="1")
    check(openapi, "SearchResponse", r)
    assert r["total"] == 1 and r["results"][0]["ivoid"] == "ivo://example-dc.org/survey/images"
    status, r = api(srv, "/api/search", page="2", pagesize="3")
    assert r["page"] == 2 and len(r["results"]) == 3 and r["pages"] == -(-r["total"] // 3)


def test_errors_are_json_and_user_syntax_never_fails(srv, openapi):
    for params in [{"servicetype": "ftp"}, {"page": "0"}, {"pagesize": "101"}, {"q": "x" * 1001}]:
        status, r = api(srv, "/api/search", **params)
        assert status == 400, params
        check(openapi, "Error", r)
    for q in HOSTILE:
        status, r = api(srv, "/api/search", q=q)
        assert status == 200, (q, r)
        check(openapi, "SearchResponse", r)
        status, _, _ = fetch(srv.base + "/?" + urllib.parse.urlencode({"q": q}))
        assert status == 200, q
    status, r = api(srv, "/api/resources/" + urllib.parse.quote("ivo://nowhere/x", safe=""))
    assert status == 404
    check(openapi, "Error", r)


def test_resource_json_and_xml(srv, openapi):
    ivoid = urllib.parse.quote("ivo://example-dc.org/tap", safe="")
    status, d = api(srv, "/api/resources/" + ivoid)
    assert status == 200
    check(openapi, "Resource", d)
    assert d["title"] == "Example DC TAP service"
    assert any(t["name"] == "survey.objects" and t["columns"] for t in d["tables"])
    status, ctype, body = fetch(srv.base + d["xmlURL"])
    assert status == 200 and ctype.startswith("application/xml") and b"<identifier>ivo://example-dc.org/tap" in body


def test_status(srv, openapi):
    status, s = api(srv, "/api/status")
    check(openapi, "Status", s)
    assert [c["value"] for c in s["byVisibility"]] == ["public"]
    assert not s.get("peers") or s["peers"]["rows"] == []  # no peer configured in this store
    status, _, body = fetch(srv.base + "/status")
    page = lhtml.fromstring(body)
    assert page.xpath("//h1")[0].text_content() == "Registry status"
    assert "No peers configured." in page.text_content()


def test_internal_records_never_leak(srv):
    for q in INTERNAL_WORDS:
        _, r = api(srv, "/api/search", q=q)
        assert r["total"] == 0, q
        _, _, body = fetch(srv.base + "/?" + urllib.parse.urlencode({"q": q}))
        assert b"internal.example-dc.org" not in body
    _, r = api(srv, "/api/search", pagesize="100")
    assert not any("/internal/" in x["ivoid"] for x in r["results"])
    assert sum(f["count"] for f in r["facets"]["authority"]) == r["total"]
    for name in ["tap", "jobs", "storage"]:
        ivoid = urllib.parse.quote(f"ivo://example-dc.org/internal/{name}", safe="")
        assert fetch(srv.base + "/api/resources/" + ivoid)[0] == 404
        assert fetch(srv.base + "/api/resources/" + ivoid + "?format=xml")[0] == 404
        assert fetch(srv.base + "/resources/" + ivoid)[0] == 404


def test_html_search_and_resource_pages(srv):
    status, ctype, body = fetch(srv.base + "/?" + urllib.parse.urlencode({"q": "cone search"}))
    assert status == 200 and ctype.startswith("text/html")
    page = lhtml.fromstring(body)
    assert page.xpath("//html/@lang") == ["en"]
    assert page.xpath("//label[@for='q']") and page.xpath("//input[@id='q']/@value") == ["cone search"]
    for sel in ["servicetype", "waveband", "authority", "type"]:
        assert page.xpath(f"//label[@for='f-{sel}']") and page.xpath(f"//select[@id='f-{sel}']")
    links = page.xpath("//ol[@class='results']//h3/a/@href")
    assert links and links[0] == "/resources/" + urllib.parse.quote("ivo://example-dc.org/survey/cone", safe="")
    assert "https://dc.example-dc.org/survey/cone/scs.xml?" in "".join(page.xpath("//code[@class='url']/text()"))
    status, _, body = fetch(srv.base + links[0])
    res = lhtml.fromstring(body)
    headings = [h.text_content() for h in res.xpath("//h2")]
    for h in ["Description", "Capabilities and endpoints", "Contact", "Related resources", "Dates", "VOResource record"]:
        assert h in headings, (h, headings)
    assert "<ri:Resource" in "".join(res.xpath("//pre/text()"))
    # A title with markup characters is escaped (the query is echoed back).
    _, _, body = fetch(srv.base + "/?" + urllib.parse.urlencode({"q": '<script>alert(1)</script>'}))
    assert b"<script>" not in body


def chromium() -> str:
    for name in ["chromium", "chromium-browser", "google-chrome"]:
        if shutil.which(name):
            return shutil.which(name)
    pytest.skip("Chromium is not installed (make tools installs Debian's chromium); browser test skipped")


def dump_dom(url: str) -> str:
    cp = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                         "--user-data-dir=/tmp/voreg-chromium-test", "--dump-dom", url],
                        capture_output=True, timeout=90)
    assert cp.returncode == 0, cp.stderr.decode()[-2000:]
    return cp.stdout.decode()


def test_in_a_real_browser(srv, tmp_path):
    # Load the home page, "submit" the search form as the browser would (GET with the form's
    # field names), follow the first result and check the rendered resource page.
    home = lhtml.fromstring(dump_dom(srv.base + "/"))
    form = home.xpath("//form[@role='search']")[0]
    assert form.get("method") == "get" and form.get("action") == "/"
    names = set(form.xpath(".//input/@name | .//select/@name"))
    assert {"q", "servicetype", "waveband", "authority", "type"} <= names
    query = urllib.parse.urlencode({"q": "example sky survey tap", "servicetype": "", "waveband": ""})
    results = lhtml.fromstring(dump_dom(srv.base + form.get("action") + "?" + query))
    first = results.xpath("//ol[@class='results']//h3/a")[0]
    assert first.text_content() == "Example DC TAP service"
    page = lhtml.fromstring(dump_dom(srv.base + first.get("href")))
    assert page.xpath("//h1")[0].text_content() == "Example DC TAP service"
    assert "https://dc.example-dc.org/tap" in page.text_content()
    shot = tmp_path / "home.png"
    cp = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                         "--user-data-dir=/tmp/voreg-chromium-test", f"--screenshot={shot}",
                         "--window-size=390,844", srv.base + "/?q=survey"], capture_output=True, timeout=90)
    assert cp.returncode == 0 and shot.stat().st_size > 1000
