"""Publishing (issue 5): accounts and tokens, PUT/GET/DELETE /api/records, descriptors,
`voreg publish`/`push`, and the leak test: internal records published with distinctive words
must not appear on any public endpoint (every OAI-PMH verb, TAP on every rr table with joins
and aggregates, JSON, HTML), and must be found on the internal listener and with a token."""

from __future__ import annotations

import json
import re
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from lxml import etree

from conftest import RR_TABLES, run_voreg, describe, voreg_path, REPO
from test_oai_server import free_port, start_server

AUTH = "leak-dc.org"
SECRET_ID = f"ivo://{AUTH}/secret/tap"
SECRET2_ID = f"ivo://{AUTH}/secret/jobs"
PUBLIC_ID = f"ivo://{AUTH}/open/scs"
WORDS = ["zorblaxquux", "qwerflonk", "snarfwidget", "zorbtable", "zorbcolumn", "secret.leak-dc.org",
         "leak-dc.org/secret"]
PASSWORD = "correct horse battery"

SECRET_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<ri:Resource xmlns:ri="http://www.ivoa.net/xml/RegistryInterface/v1.0"
    xmlns:vr="http://www.ivoa.net/xml/VOResource/v1.0" xmlns:vs="http://www.ivoa.net/xml/VODataService/v1.1"
    xmlns:tr="http://www.ivoa.net/xml/TAPRegExt/v1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:type="vs:CatalogService" created="2025-01-01T00:00:00Z" updated="2025-01-02T00:00:00Z" status="active">
  <title>Zorblaxquux processing TAP</title>
  <shortName>zorblaxquux</shortName>
  <identifier>{SECRET_ID}</identifier>
  <curation>
    <publisher>Snarfwidget internal group</publisher>
    <creator><name>Qwerflonk, A.</name></creator>
    <contact><name>Snarfwidget ops</name><email>ops@secret.leak-dc.org</email></contact>
  </curation>
  <content>
    <subject>Qwerflonk pipelines</subject>
    <description>The zorblaxquux qwerflonk database of snarfwidget frames.</description>
    <referenceURL>https://secret.leak-dc.org/zorblaxquux</referenceURL>
    <relationship><relationshipType>IsServedBy</relationshipType>
      <relatedResource ivo-id="ivo://leak-dc.org/secret/jobs">Zorblaxquux jobs</relatedResource></relationship>
  </content>
  <capability standardID="ivo://ivoa.net/std/TAP" xsi:type="tr:TableAccess">
    <interface xsi:type="vs:ParamHTTP" role="std" version="1.1">
      <accessURL use="base">https://secret.leak-dc.org/tap</accessURL>
    </interface>
    <language><name>ADQL</name><version ivo-id="ivo://ivoa.net/std/ADQL#v2.0">2.0</version></language>
    <outputFormat><mime>application/x-votable+xml</mime></outputFormat>
  </capability>
  <tableset>
    <schema><name>zorb</name>
      <table><name>zorb.zorbtable</name><description>Qwerflonk frames</description>
        <column><name>zorbcolumn</name><description>Snarfwidget id</description><ucd>meta.id</ucd></column>
      </table>
    </schema>
  </tableset>
</ri:Resource>
"""

DESCRIPTOR_SECRET = f"""
identifier: {SECRET2_ID}
title: Zorblaxquux job launcher
description: Starts qwerflonk jobs on snarfwidget nodes.
publisher: Snarfwidget internal group
contact: {{name: Snarfwidget ops, email: ops@secret.leak-dc.org}}
subjects: [Qwerflonk pipelines]
visibility: internal
capabilities:
  - {{standard: uws, url: "https://secret.leak-dc.org/jobs", description: zorblaxquux jobs}}
"""

DESCRIPTOR_PUBLIC = f"""
identifier: {PUBLIC_ID}
title: Open cone search of the leak test
description: A public cone search published by descriptor.
publisher: Leak DC
contact: support@leak-dc.org
subjects: [Catalogs]
capabilities:
  - {{standard: scs, url: "https://leak-dc.org/scs?", description: the cone search}}
"""


def request(method: str, url: str, body: bytes | None = None, token: str | None = None,
            ctype: str = "application/xml", timeout: float = 30) -> tuple[int, bytes, dict]:
    req = urllib.request.Request(url, data=body, method=method)
    if body is not None:
        req.add_header("Content-Type", ctype)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read(), dict(e.headers)


def login(base: str, name="alice", password=PASSWORD) -> tuple[int, dict]:
    status, body, _ = request("POST", base + "/api/login", json.dumps({"name": name, "password": password}).encode(),
                              ctype="application/json")
    return status, json.loads(body)


def enc(ivoid: str) -> str:
    return urllib.parse.quote(ivoid, safe="")


def add_user(db: Path, name: str, *auths: str, password: str = PASSWORD):
    args = ["user", "add", name, "--database", str(db)]
    for a in auths:
        args += ["--authority", a]
    cp = subprocess.run([str(voreg_path()), *args], input=(password + "\n").encode(), capture_output=True,
                        cwd=str(REPO), timeout=60)
    assert cp.returncode == 0, cp.stderr.decode()


class Both:
    def __init__(self, server, internal_port):
        self.server = server
        self.public = f"http://127.0.0.1:{server.port}"
        self.internal = f"http://127.0.0.1:{internal_port}"


@pytest.fixture(scope="module")
def reg(tmp_path_factory, voreg):
    tmp = tmp_path_factory.mktemp("publish")
    db = tmp / "pub.sqlite"
    add_user(db, "alice", f"ivo://{AUTH}")
    add_user(db, "mallory", "ivo://elsewhere.org")
    iport = free_port()
    s = start_server(tmp, db, "--internal-listen", f"127.0.0.1:{iport}")
    b = Both(s, iport)
    status, tok = login(b.public)
    assert status == 200, tok
    b.token = tok["token"]
    st, body, _ = request("PUT", f"{b.public}/api/records/{enc(SECRET_ID)}?visibility=internal", SECRET_XML.encode(),
                          b.token)
    assert st == 200, body
    (tmp / "secret.yaml").write_text(DESCRIPTOR_SECRET)
    (tmp / "public.yaml").write_text(DESCRIPTOR_PUBLIC)
    cp = run_voreg("push", tmp / "secret.yaml", tmp / "public.yaml", "--server", b.public,
                   env={"VOREG_TOKEN": b.token})
    assert cp.returncode == 0, describe(cp)
    b.tmp, b.db = tmp, db
    yield b
    s.proc.terminate()
    s.proc.wait(timeout=20)


def assert_clean(text: str, where: str):
    low = text.lower()
    for w in WORDS:
        assert w.lower() not in low, f"{w!r} leaked through {where}:\n{text[:1500]}"


def tap_sync(base: str, query: str, token: str | None = None) -> str:
    q = urllib.parse.urlencode({"REQUEST": "doQuery", "LANG": "ADQL", "QUERY": query, "RESPONSEFORMAT": "csv"})
    st, body, _ = request("GET", f"{base}/tap/sync?{q}", token=token)
    assert st == 200, (query, body[:1000])
    return body.decode()


TAP_QUERIES = [f"SELECT * FROM rr.{t}" for t in RR_TABLES] + [
    "SELECT * FROM rr.tap_table",
    "SELECT COUNT(*) AS n, MAX(res_title) AS t, MIN(res_title) AS u FROM rr.resource",
    "SELECT res_type, COUNT(*) AS n FROM rr.resource GROUP BY res_type",
    "SELECT r.ivoid, r.res_title, c.standard_id, i.access_url FROM rr.resource AS r "
    "JOIN rr.capability AS c ON r.ivoid = c.ivoid JOIN rr.interface AS i ON i.ivoid = c.ivoid",
    "SELECT * FROM rr.resource NATURAL JOIN rr.res_table NATURAL JOIN rr.table_column",
    "SELECT ivoid FROM rr.resource WHERE 1=ivo_hasword(res_description, 'qwerflonk')",
    "SELECT ivoid FROM rr.resource WHERE res_title LIKE '%orblax%'",
    "SELECT COUNT(*) AS n FROM rr.table_column WHERE name = 'zorbcolumn'",
    "SELECT role_name, COUNT(*) AS n FROM rr.res_role GROUP BY role_name",
    "SELECT ivoid FROM rr.resource WHERE ivoid IN (SELECT ivoid FROM rr.res_subject WHERE res_subject LIKE 'Q%')",
]


def oai(base: str, **params) -> str:
    st, body, _ = request("GET", f"{base}/oai?{urllib.parse.urlencode(params)}")
    assert st == 200
    return body.decode()


def oai_everything(base: str) -> list[tuple[str, str]]:
    out = []
    for params in [
        {"verb": "Identify"}, {"verb": "ListSets"}, {"verb": "ListMetadataFormats"},
        {"verb": "ListIdentifiers", "metadataPrefix": "ivo_vor"},
        {"verb": "ListIdentifiers", "metadataPrefix": "ivo_vor", "set": "ivo_managed"},
        {"verb": "ListRecords", "metadataPrefix": "ivo_vor"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc"},
        {"verb": "ListRecords", "metadataPrefix": "ivo_vor", "set": "ivo_managed"},
    ]:
        text = oai(base, **params)
        out.append((str(params), text))
        # Follow resumption tokens to the end.
        while (m := re.search(r"<resumptionToken[^>]*>([^<]+)</resumptionToken>", text)):
            text = oai(base, verb=params["verb"], resumptionToken=m.group(1))
            out.append((str(params) + " (next page)", text))
    return out


def test_leak_none_of_the_internal_words_on_public_endpoints(reg):
    base = reg.public
    for where, text in oai_everything(base):
        assert_clean(text, "OAI-PMH " + where)
    for ident in (SECRET_ID, SECRET2_ID):
        for prefix in ("ivo_vor", "oai_dc"):
            t = oai(base, verb="GetRecord", identifier=ident, metadataPrefix=prefix)
            assert 'code="idDoesNotExist"' in t, t
        t = oai(base, verb="ListMetadataFormats", identifier=ident)
        assert 'code="idDoesNotExist"' in t, t
    for q in TAP_QUERIES:
        assert_clean(tap_sync(base, q), "TAP " + q)
    assert tap_sync(base, "SELECT COUNT(*) AS n FROM rr.table_column WHERE name = 'zorbcolumn'").split() == ["n", "0"]
    assert tap_sync(base, f"SELECT COUNT(*) AS n FROM rr.resource WHERE ivoid LIKE 'ivo://{AUTH}/secret%'").split() == [
        "n", "0"]
    # A wrong token changes nothing.
    assert_clean(tap_sync(base, "SELECT * FROM rr.resource", token="vrt_" + "0" * 64), "TAP with a bad token")
    for path in ["/tap/tables", "/api/status", "/status", "/", "/?q=zorblaxquux", "/api/search?q=zorblaxquux",
                 "/api/search?q=", "/api/search?q=qwerflonk+tap", "/api/search?q=&servicetype=tap",
                 "/api/search?q=&authority=leak-dc.org"]:
        st, body, _ = request("GET", base + path)
        assert st == 200, path
        text = body.decode()
        # The pages echo the words searched for: those echoes are not leaks (the other words,
        # titles and identifiers of the records would be).
        q = urllib.parse.parse_qs(urllib.parse.urlparse(path).query).get("q", [""])[0]
        for w in q.split():
            text = re.sub(re.escape(w), "", text, flags=re.I)
        assert_clean(text, path)
    for ident in (SECRET_ID, SECRET2_ID):
        for path in [f"/api/resources/{enc(ident)}", f"/api/resources/{enc(ident)}?format=xml",
                     f"/resources/{enc(ident)}", f"/api/records/{enc(ident)}"]:
            st, body, _ = request("GET", base + path)
            assert st == 404, (path, st, body[:300])
            # The answer names the identifier asked for, and nothing else of the record.
            assert_clean(body.decode().replace(ident, ""), path)
    js = json.loads(request("GET", base + "/api/search?q=zorblaxquux")[1])
    assert js["total"] == 0


def test_leak_async_tap_job_does_not_see_internal_records(reg):
    base = reg.public
    q = urllib.parse.urlencode({"REQUEST": "doQuery", "LANG": "ADQL", "PHASE": "RUN",
                                "QUERY": "SELECT ivoid, res_title FROM rr.resource", "RESPONSEFORMAT": "csv"})
    st, body, headers = request("POST", base + "/tap/async", q.encode(), ctype="application/x-www-form-urlencoded")
    assert st in (200, 303), body
    # urllib follows the 303 to the job document.
    m = re.search(r"<uws:jobId>([^<]+)</uws:jobId>", body.decode()) or re.search(
        r"/tap/async/([^/\s<\"]+)", headers.get("Location", "") + body.decode())
    assert m, body[:1000]
    job = m.group(1)
    for _ in range(100):
        phase = request("GET", f"{base}/tap/async/{job}/phase")[1].decode().strip()
        if phase in ("COMPLETED", "ERROR"):
            break
        time.sleep(0.1)
    assert phase == "COMPLETED"
    result = request("GET", f"{base}/tap/async/{job}/results/result")[1].decode()
    assert "ivo://" in result
    assert_clean(result, "async TAP")


def test_internal_listener_finds_them_with_the_same_queries(reg):
    base = reg.internal
    res = tap_sync(base, "SELECT ivoid FROM rr.resource")
    assert SECRET_ID in res and SECRET2_ID in res and PUBLIC_ID in res
    assert "zorbcolumn" in tap_sync(base, "SELECT * FROM rr.resource NATURAL JOIN rr.res_table NATURAL JOIN rr.table_column")
    assert SECRET_ID in tap_sync(base, "SELECT ivoid FROM rr.resource WHERE 1=ivo_hasword(res_description, 'qwerflonk')")
    pub_n = int(tap_sync(reg.public, "SELECT COUNT(*) AS n FROM rr.resource").split()[1])
    int_n = int(tap_sync(base, "SELECT COUNT(*) AS n FROM rr.resource").split()[1])
    assert int_n >= pub_n + 2 + 3  # ours and the three sample internal APIs
    js = json.loads(request("GET", base + "/api/search?q=zorblaxquux")[1])
    assert {r["ivoid"] for r in js["results"]} >= {SECRET_ID, SECRET2_ID}
    assert request("GET", f"{base}/resources/{enc(SECRET_ID)}")[0] == 200
    assert request("GET", f"{base}/api/records/{enc(SECRET_ID)}")[0] == 200
    assert b"zorblaxquux" in request("GET", base + "/?q=zorblaxquux")[1].lower()
    # OAI-PMH stays public-only on the internal listener too (it is the harvesting interface).
    for _, text in oai_everything(base):
        assert_clean(text, "OAI-PMH on the internal listener")
    # TAP_SCHEMA is the same on both listeners.
    q = "SELECT table_name FROM TAP_SCHEMA.tables ORDER BY table_name"
    assert tap_sync(base, q) == tap_sync(reg.public, q)


def test_token_on_public_listener_sees_internal_records(reg):
    res = tap_sync(reg.public, "SELECT ivoid FROM rr.resource", token=reg.token)
    assert SECRET_ID in res
    st, body, _ = request("GET", f"{reg.public}/api/search?q=zorblaxquux", token=reg.token)
    assert json.loads(body)["total"] >= 1


def test_pyvo_registry_search_on_the_internal_listener(reg):
    pyvo = pytest.importorskip("pyvo")
    from pyvo import registry
    registry.choose_RegTAP_service(reg.internal + "/tap")
    try:
        found = {r.ivoid for r in registry.search(keywords=["zorblaxquux"])}
        assert SECRET_ID in found
        found = {r.ivoid for r in registry.search(servicetype="tap")}
        assert SECRET_ID in found and "ivo://example-dc.org/tap" in found
        registry.choose_RegTAP_service(reg.public + "/tap")
        assert not {r.ivoid for r in registry.search(keywords=["zorblaxquux"])}
    finally:
        registry.choose_RegTAP_service(None)


def test_login_failures_and_logout(reg):
    st, body = login(reg.public, password="wrong password")
    assert st == 401
    st, body = login(reg.public, name="nobody")
    assert st == 401
    st, tok = login(reg.public, name="alice")
    assert st == 200 and tok["token"].startswith("vrt_") and tok["expires"] > time.time()
    # The token is stored hashed, never in clear.
    import sqlite3
    con = sqlite3.connect(reg.db)
    hashes = [r[0] for r in con.execute("SELECT token_hash FROM publisher_tokens")]
    assert tok["token"] not in hashes and len(hashes) >= 2
    pw = con.execute("SELECT password_hash FROM publisher_accounts WHERE name='alice'").fetchone()[0]
    assert pw.startswith("$2") and PASSWORD not in pw
    con.close()
    st, _, _ = request("POST", reg.public + "/api/logout", b"", tok["token"])
    assert st == 200
    st, body, _ = request("PUT", f"{reg.public}/api/records/{enc(SECRET_ID)}", SECRET_XML.encode(), tok["token"])
    assert st == 401
    st, body, _ = request("PUT", f"{reg.public}/api/records/{enc(SECRET_ID)}", SECRET_XML.encode())
    assert st == 401
    log = reg.server.log.read_text()
    assert '"login failed"' in log


def test_repeated_failed_logins_are_slowed_down(reg):
    times = []
    for _ in range(5):
        t0 = time.monotonic()
        st, _ = login(reg.public, name="mallory", password="not it at all")
        times.append(time.monotonic() - t0)
        assert st == 401
    assert times[-1] >= 0.4, times


def test_authority_ownership(reg):
    st, tok = login(reg.public, name="mallory")
    assert st == 200
    xml = SECRET_XML.replace(SECRET_ID, f"ivo://{AUTH}/mallory")
    st, body, _ = request("PUT", f"{reg.public}/api/records/{enc(f'ivo://{AUTH}/mallory')}", xml.encode(), tok["token"])
    assert st == 403, body
    st, body, _ = request("DELETE", f"{reg.public}/api/records/{enc(PUBLIC_ID)}", None, tok["token"])
    assert st == 403, body
    # The identifier in the URL must be the record's.
    st, body, _ = request("PUT", f"{reg.public}/api/records/{enc(f'ivo://{AUTH}/other')}", SECRET_XML.encode(), reg.token)
    assert st == 400, body


def test_validation_errors_have_line_numbers(reg):
    bad = SECRET_XML.replace("<title>Zorblaxquux processing TAP</title>", "").replace(SECRET_ID, f"ivo://{AUTH}/bad")
    st, body, _ = request("PUT", f"{reg.public}/api/records/{enc(f'ivo://{AUTH}/bad')}", bad.encode(), reg.token)
    assert st == 422, body
    js = json.loads(body)
    assert js["errors"] and all(e["line"] > 0 for e in js["errors"]), js
    broken = b"<ri:Resource xmlns:ri='http://www.ivoa.net/xml/RegistryInterface/v1.0'>\n<title>x</ti"
    st, body, _ = request("PUT", f"{reg.public}/api/records/{enc(f'ivo://{AUTH}/bad')}", broken, reg.token)
    assert st == 400
    assert json.loads(body)["errors"][0]["line"] >= 1


def test_created_updated_set_and_datestamp_moves_only_on_change(reg):
    ident = f"ivo://{AUTH}/dated"
    xml = SECRET_XML.replace(SECRET_ID, ident).replace(
        'created="2025-01-01T00:00:00Z" updated="2025-01-02T00:00:00Z" ', "")
    url = f"{reg.public}/api/records/{enc(ident)}"
    st, body, _ = request("PUT", url, xml.encode(), reg.token)
    assert st == 200, body
    first = json.loads(body)
    assert first["outcome"] == "stored" and first["created"] and first["updated"]
    stamp1 = re.search(r"<datestamp>([^<]+)", oai(reg.public, verb="GetRecord", identifier=ident,
                                                  metadataPrefix="ivo_vor")).group(1)
    time.sleep(1.1)
    st, body, _ = request("PUT", url, xml.encode(), reg.token)
    assert json.loads(body)["outcome"] == "unchanged", body
    stamp2 = re.search(r"<datestamp>([^<]+)", oai(reg.public, verb="GetRecord", identifier=ident,
                                                  metadataPrefix="ivo_vor")).group(1)
    assert stamp1 == stamp2
    st, body, _ = request("PUT", url, xml.replace("Zorblaxquux processing TAP", "Dated TAP").encode(), reg.token)
    out = json.loads(body)
    assert out["outcome"] == "stored" and out["created"] == first["created"]
    bad = SECRET_XML.replace(SECRET_ID, ident).replace('updated="2025-01-02T00:00:00Z"', 'updated="2024-01-02T00:00:00Z"')
    st, body, _ = request("PUT", url, bad.encode(), reg.token)
    assert st == 422 and b"before created" in body


def test_delete_leaves_a_tombstone(reg):
    ident = f"ivo://{AUTH}/doomed"
    xml = SECRET_XML.replace(SECRET_ID, ident).replace("zorblaxquux", "doomed").replace("Zorblaxquux", "Doomed")
    url = f"{reg.public}/api/records/{enc(ident)}"
    assert request("PUT", url, xml.encode(), reg.token)[0] == 200
    assert request("GET", url)[0] == 200
    st, body, _ = request("DELETE", url, None, reg.token)
    assert st == 200, body
    assert request("GET", url)[0] == 410
    t = oai(reg.public, verb="GetRecord", identifier=ident, metadataPrefix="ivo_vor")
    assert 'status="deleted"' in t, t
    assert ident not in tap_sync(reg.internal, "SELECT ivoid FROM rr.resource")
    assert request("DELETE", url, None, reg.token)[0] == 404


def test_descriptor_expansion_is_schema_valid_for_every_standard(tmp_path, voreg):
    files = []
    for std in ["tap", "sia", "sia2", "ssa", "scs", "uws", "vospace", "ivo://example.org/std/custom#api-1.0"]:
        name = re.sub(r"\W", "_", std)
        p = tmp_path / f"{name}.yaml"
        p.write_text(f"""
identifier: ivo://example.org/{name}
title: A {std} service
description: Expanded from a descriptor.
publisher: Example
contact: {{name: Support, email: s@example.org}}
subjects: [Testing]
capabilities:
  - {{standard: "{std}", url: "https://example.org/{name}", description: the endpoint}}
""")
        files.append(p)
    for p in files:
        cp = run_voreg("publish", "--print", p)
        assert cp.returncode == 0, describe(cp)
        out = p.with_suffix(".xml")
        out.write_text(cp.stdout)
        v = run_voreg("validate", out)
        assert v.returncode == 0, describe(v) + cp.stdout
    # Into a local store, and the types are right.
    db = tmp_path / "d.sqlite"
    cp = run_voreg("publish", "--database", db, *files)
    assert cp.returncode == 0, describe(cp)
    import sqlite3
    con = sqlite3.connect(db)
    types = dict(con.execute("SELECT ivoid, res_type FROM rr_resource"))
    assert types["ivo://example.org/tap"] == "vs:catalogservice"
    assert types["ivo://example.org/scs"] == "vs:dataservice"
    assert types["ivo://example.org/uws"] == "vr:service"
    caps = dict(con.execute("SELECT ivoid, cap_type FROM rr_capability WHERE ivoid LIKE 'ivo://example.org/%'"))
    assert caps["ivo://example.org/tap"] == "tr:tableaccess"
    assert caps["ivo://example.org/ssa"] == "ssap:simplespectralaccess"  # RegTAP's canonical prefix
    # Publishing again changes nothing.
    cp = run_voreg("publish", "--database", db, files[0])
    assert "unchanged" in cp.stdout or "stored" in cp.stdout


def test_bad_descriptor_is_explained(tmp_path, voreg):
    p = tmp_path / "bad.yaml"
    p.write_text("identifier: ivo://example.org/x\ntitle: t\n")
    cp = run_voreg("publish", "--print", p)
    assert cp.returncode != 0 and "missing key" in cp.stderr, describe(cp)


def test_token_expiry(tmp_path, voreg):
    db = tmp_path / "exp.sqlite"
    add_user(db, "bob", f"ivo://{AUTH}")
    s = start_server(tmp_path, db, "--api-token-lifetime", "2")
    try:
        base = f"http://127.0.0.1:{s.port}"
        st, tok = login(base, name="bob")
        assert st == 200
        url = f"{base}/api/records/{enc(SECRET_ID)}?visibility=internal"
        assert request("PUT", url, SECRET_XML.encode(), tok["token"])[0] == 200
        time.sleep(2.5)
        assert request("PUT", url, SECRET_XML.encode(), tok["token"])[0] == 401
        assert SECRET_ID not in tap_sync(base, "SELECT ivoid FROM rr.resource", token=tok["token"])
    finally:
        s.proc.terminate()
        s.proc.wait(timeout=20)


def test_user_commands(tmp_path, voreg):
    db = tmp_path / "u.sqlite"
    add_user(db, "carol", "ivo://a.org", "ivo://b.org")
    cp = run_voreg("user", "list", "--database", db, "--json")
    assert cp.returncode == 0
    assert json.loads(cp.stdout)[0]["authorities"] == ["ivo://a.org", "ivo://b.org"]
    cp = subprocess.run([str(voreg_path()), "user", "passwd", "carol", "--database", str(db)],
                        input=b"another password\n", capture_output=True, timeout=60)
    assert cp.returncode == 0, cp.stderr
    cp = run_voreg("user", "remove", "carol", "--database", db)
    assert cp.returncode == 0
    assert json.loads(run_voreg("user", "list", "--database", db, "--json").stdout) == []
