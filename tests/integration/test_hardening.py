"""Issue 9, hostile input against the running server: every path that reads XML besides
`voreg import` (which test_hostile.py covers) — harvest, publish, TAP upload — refuses
external entities, entity expansion, deep nesting, 1 GB streams, invalid UTF-8 and records of
the wrong namespace, quickly and in bounded memory, without changing the store; the HTTP layer
answers oversized bodies with 413, drops slow clients, caps connections and answers malformed
requests with 400 in each protocol's own form; an expensive ADQL query ends at the time limit
while keyword searches keep their latency."""

from __future__ import annotations

import http.server
import json
import re
import socket
import sqlite3
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import requests
from lxml import etree

from conftest import SAMPLES, describe, make_resource, store_digest, undefault_ns
from test_hostile import CASES, laughs_doctype, run_measured, xxe_doctype
from test_oai_server import dechunk, free_port, start_server
from test_publish import add_user, enc, login

AUTH = "hostile.test"
TIME_LIMIT = 10.0          # seconds for any one refusal
RSS_LIMIT_MB = 300         # resident memory of a voreg process
GIB = 1 << 30
NS_VOT = "http://www.ivoa.net/xml/VOTable/v1.3"
LEAK = "root:"             # the first bytes of /etc/passwd: must never come back


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Reg:
    def __init__(self, server, db: Path, token: str):
        self.server, self.db, self.token = server, db, token
        self.base = f"http://127.0.0.1:{server.port}"
        self.peak_rss = 0.0

    def sample_rss(self) -> float:
        r = rss_mb(self.server.proc.pid)
        self.peak_rss = max(self.peak_rss, r)
        return r


@pytest.fixture(scope="module")
def reg(tmp_path_factory, voreg):
    tmp = tmp_path_factory.mktemp("hardening")
    db = tmp / "reg.sqlite"
    add_user(db, "mallory", f"ivo://{AUTH}")
    server = start_server(tmp, db, "--idle-timeout", "2", "--max-connections", "24",
                          "--tap-sync-timeout", "3", "--managed-authority", AUTH,
                          "--managed-authority", "voregistry.example")
    status, body = login(f"http://127.0.0.1:{server.port}", name="mallory")
    assert status == 200, body
    r = Reg(server, db, body["token"])
    yield r
    alive = server.proc.poll() is None
    server.proc.kill()
    server.proc.wait()
    assert alive, "the server died during the hardening tests:\n" + server.log.read_text()[-3000:]


def timed(fn, *a, **kw):
    t0 = time.monotonic()
    out = fn(*a, **kw)
    return out, time.monotonic() - t0


def hostile_bytes(label: str) -> bytes:
    data = CASES[label]()
    return data.encode("utf-8") if isinstance(data, str) else data


# --- publishing -------------------------------------------------------------------------------

@pytest.mark.parametrize("label", list(CASES))
def test_hostile_publication_is_refused(reg, label):
    data = hostile_bytes(label)
    ident = re.search(rb"<identifier>([^<]+)</identifier>", data)
    ivoid = ident.group(1).decode() if ident else f"ivo://{AUTH}/{label}"
    before = store_digest(reg.db)
    r, elapsed = timed(requests.put, f"{reg.base}/api/records/{enc(ivoid)}", data=data,
                       headers={"Authorization": f"Bearer {reg.token}", "Content-Type": "application/xml"},
                       timeout=30)
    assert 400 <= r.status_code < 500, f"{label}: {r.status_code} {r.text[:500]}"
    body = r.json()
    assert body["message"].strip(), body
    assert LEAK not in r.text
    assert elapsed < TIME_LIMIT, f"{label}: {elapsed:.1f} s"
    assert reg.sample_rss() < RSS_LIMIT_MB
    print(f"\nhostile publish {label}: {r.status_code} in {elapsed * 1000:.0f} ms, server RSS {reg.sample_rss():.0f} MB")
    assert store_digest(reg.db) == before, f"{label} changed the store"


def post_stream(url: str, total: int, head: bytes = b"", headers: dict | None = None,
                declare_length: bool = True, method: str = "POST") -> tuple[int | None, bytes, float, int]:
    """Sends `head` then filler up to `total` bytes over a raw socket (the server may stop
    reading at any time); returns (status, body, seconds, bytes sent)."""
    u = urllib.parse.urlsplit(url)
    s = socket.create_connection((u.hostname, u.port), timeout=20)
    lines = [f"{method} {u.path}{'?' + u.query if u.query else ''} HTTP/1.1", f"Host: {u.hostname}"]
    for k, v in (headers or {}).items():
        lines.append(f"{k}: {v}")
    lines.append(f"Content-Length: {total}" if declare_length else "Transfer-Encoding: chunked")
    t0 = time.monotonic()
    sent = 0
    filler = b"A" * (1 << 20)
    try:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        for piece in [head] + [filler] * ((total - len(head)) // len(filler) + 1):
            piece = piece[: total - sent]
            if not piece:
                break
            s.sendall(piece if declare_length else b"%x\r\n%s\r\n" % (len(piece), piece))
            sent += len(piece)
    except OSError:
        pass  # the server stopped reading: what we want
    status, body = read_response(s)
    return status, body, time.monotonic() - t0, sent


def read_response(s: socket.socket) -> tuple[int | None, bytes]:
    """Reads what the server sends until it closes; the status and the (de-chunked) body."""
    out = b""
    try:
        while chunk := s.recv(65536):
            out += chunk
    except OSError:
        pass
    s.close()
    m = re.match(rb"HTTP/1\.1 (\d{3})", out)
    head, _, body = out.partition(b"\r\n\r\n")
    if re.search(rb"(?im)^transfer-encoding:\s*chunked", head):
        body = dechunk(body)
    return (int(m.group(1)) if m else None), body


@pytest.mark.parametrize("declare_length", [True, False], ids=["content-length", "chunked"])
def test_one_gigabyte_publication_is_refused_with_413(reg, declare_length):
    before = store_digest(reg.db)
    head = make_resource(f"ivo://{AUTH}/huge", description="").encode()
    status, body, elapsed, sent = post_stream(
        f"{reg.base}/api/records/{enc(f'ivo://{AUTH}/huge')}", GIB, head,
        {"Authorization": f"Bearer {reg.token}", "Content-Type": "application/xml"}, declare_length, "PUT")
    assert status == 413, (status, body[:300])
    assert json.loads(body)["status"] == 413
    assert elapsed < 15, f"{elapsed:.1f} s, {sent >> 20} MiB sent"
    assert reg.sample_rss() < RSS_LIMIT_MB
    print(f"\n1 GB publish ({'declared' if declare_length else 'chunked'}): 413 after {elapsed:.2f} s, "
          f"{sent >> 20} MiB sent, server RSS {reg.sample_rss():.0f} MB")
    assert store_digest(reg.db) == before


# --- TAP uploads -----------------------------------------------------------------------------

def votable(cell: str = "x", *, prolog: str = '<?xml version="1.0" encoding="UTF-8"?>\n',
            ns: str = NS_VOT, rows: str | None = None) -> str:
    rows = rows if rows is not None else f"<TR><TD>{cell}</TD></TR>"
    return (f'{prolog}<VOTABLE version="1.4" xmlns="{ns}"><RESOURCE type="results"><TABLE name="t">'
            f'<FIELD name="a" datatype="char" arraysize="*"/><DATA><TABLEDATA>{rows}</TABLEDATA></DATA>'
            f'</TABLE></RESOURCE></VOTABLE>')


UPLOAD_CASES = {
    "external-entity": lambda: votable("&x;", prolog=f'<?xml version="1.0"?>\n{xxe_doctype("VOTABLE")}\n'),
    "billion-laughs": lambda: votable("&lol9;", prolog=f'<?xml version="1.0"?>\n{laughs_doctype("VOTABLE")}\n'),
    "quadratic-blowup": lambda: votable(
        "&a;" * 20_000, prolog=f'<?xml version="1.0"?>\n<!DOCTYPE VOTABLE [<!ENTITY a "{"A" * 200_000}">]>\n'),
    "deep-nesting": lambda: votable("<b>" * 100_000 + "x" + "</b>" * 100_000),
    "invalid-utf8": lambda: votable("MARK").encode().replace(b"MARK", b"bad \xff\xfe\xc3\x28"),
    "wrong-namespace": lambda: votable("x", ns="http://example.org/not-votable"),
    "truncated": lambda: votable("x")[:150],
}


def upload(reg: Reg, data: bytes, query: str = "SELECT * FROM TAP_UPLOAD.t") -> requests.Response:
    return requests.post(f"{reg.base}/tap/sync",
                         data={"REQUEST": "doQuery", "LANG": "ADQL", "QUERY": query, "UPLOAD": "t,param:f"},
                         files={"f": ("t.xml", data)}, timeout=30)


def assert_tap_error(r: requests.Response, status: int | tuple = 400) -> str:
    statuses = status if isinstance(status, tuple) else (status,)
    assert r.status_code in statuses, f"{r.status_code}: {r.text[:500]}"
    doc = etree.fromstring(r.content)
    info = doc.find(f".//{{{NS_VOT}}}INFO[@name='QUERY_STATUS']")
    assert info is not None and info.get("value") == "ERROR", r.text[:500]
    message = (info.text or "").strip()
    assert message, r.text[:500]
    return message


def test_a_good_upload_still_works(reg):
    r = upload(reg, votable("hello").encode(), "SELECT a FROM TAP_UPLOAD.t")
    assert r.status_code == 200, r.text[:500]
    assert b"hello" in r.content


@pytest.mark.parametrize("label", list(UPLOAD_CASES))
def test_hostile_upload_is_refused(reg, label):
    data = UPLOAD_CASES[label]()
    data = data.encode() if isinstance(data, str) else data
    r, elapsed = timed(upload, reg, data)
    message = assert_tap_error(r)
    assert LEAK not in r.text and "lol" * 20 not in r.text
    assert elapsed < TIME_LIMIT, f"{label}: {elapsed:.1f} s"
    assert reg.sample_rss() < RSS_LIMIT_MB, label
    print(f"\nhostile upload {label}: 400 in {elapsed * 1000:.0f} ms, server RSS {reg.sample_rss():.0f} MB: {message[:90]}")


@pytest.mark.parametrize("path", ["/tap/sync", "/tap/async"])
def test_one_gigabyte_upload_is_refused_with_413(reg, path):
    boundary = "xyzBOUNDARY"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"QUERY\"\r\n\r\nSELECT * FROM TAP_UPLOAD.t\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"UPLOAD\"\r\n\r\nt,param:f\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"f\"; filename=\"t.xml\"\r\n\r\n"
            ).encode() + votable("x").encode()[:-40]
    for declare in (True, False):
        status, body, elapsed, sent = post_stream(
            reg.base + path, GIB, head, {"Content-Type": f"multipart/form-data; boundary={boundary}"}, declare)
        assert status == 413, (declare, status, body[:300])
        doc = etree.fromstring(body)
        assert doc.find(f".//{{{NS_VOT}}}INFO[@name='QUERY_STATUS']").get("value") == "ERROR"
        assert elapsed < 15, f"{elapsed:.1f} s"
        assert reg.sample_rss() < RSS_LIMIT_MB
        print(f"\n1 GB upload {path} ({'declared' if declare else 'chunked'}): 413 after {elapsed:.2f} s, "
              f"{sent >> 20} MiB sent, server RSS {reg.sample_rss():.0f} MB")


def test_one_gigabyte_oai_post_is_refused_with_413(reg):
    status, body, elapsed, _ = post_stream(
        reg.base + "/oai", GIB, b"verb=Identify&x=", {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413 and b"larger than" in body, (status, body[:300])
    assert elapsed < 15
    assert reg.sample_rss() < RSS_LIMIT_MB


# --- harvesting ------------------------------------------------------------------------------

IDENTIFY = """<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2026-01-01T00:00:00Z</responseDate>
<request verb="Identify">{base}</request><Identify><repositoryName>Hostile peer</repositoryName>
<baseURL>{base}</baseURL><protocolVersion>2.0</protocolVersion><adminEmail>x@example.org</adminEmail>
<earliestDatestamp>2000-01-01T00:00:00Z</earliestDatestamp><deletedRecord>transient</deletedRecord>
<granularity>YYYY-MM-DDThh:mm:ssZ</granularity></Identify></OAI-PMH>"""


def hostile_page(label: str) -> bytes:
    """A ListRecords page carrying the hostile record: a DOCTYPE moves to the page's prolog."""
    data = hostile_bytes(label)
    doctype = b""
    m = re.search(rb"<!DOCTYPE.*?\]>", data, re.S)
    if m:
        doctype, data = m.group(0), data.replace(m.group(0), b"")
    record = data.split(b"?>", 1)[1].lstrip() if data.startswith(b"<?xml") else data
    # the record's unqualified children must not fall into the OAI default namespace
    name_end = min(i for i in (record.find(b" "), record.find(b">"), record.find(b"\n")) if i > 0)
    record = record[:name_end] + b' xmlns=""' + record[name_end:]
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n' + doctype + b"\n"
            b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2026-01-01T00:00:00Z'
            b'</responseDate><request verb="ListRecords">x</request><ListRecords><record><header>'
            b'<identifier>ivo://hostile.peer/x</identifier><datestamp>2026-01-01T00:00:00Z</datestamp>'
            b'</header><metadata>' + record + b"</metadata></record></ListRecords></OAI-PMH>")


class HostileServer(http.server.ThreadingHTTPServer):
    """A server that answers GET with what `route(path, query)` returns: bytes (sent with a
    Content-Length), an iterator of bytes (sent chunked until the client hangs up; `streamed`
    counts what went out) or None (404)."""
    daemon_threads = True

    def __init__(self, route, path: str):
        self.route, self.streamed = route, 0
        super().__init__(("127.0.0.1", free_port()), HostileHandler)
        self.base = f"http://127.0.0.1:{self.server_address[1]}{path}"
        threading.Thread(target=self.serve_forever, daemon=True).start()


class HostileHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def do_GET(self):
        srv: HostileServer = self.server
        u = urllib.parse.urlsplit(self.path)
        answer = srv.route(u.path, urllib.parse.parse_qs(u.query))
        if answer is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        if isinstance(answer, bytes):
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)
            return
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            for piece in answer:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                srv.streamed += len(piece)
            self.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass  # the client hung up: what we want


def endless(head: bytes, filler: bytes, total: int = GIB):
    """`head`, then `filler` until `total` bytes."""
    yield head
    for _ in range(total // len(filler) + 1):
        yield filler


def hostile_peer(page: bytes | None) -> HostileServer:
    """An OAI-PMH peer: a proper Identify; ListRecords answered with `page`, or with an endless
    page (a record whose description never ends) when `page` is None."""
    def route(path, query):
        if query.get("verb") == ["Identify"]:
            return IDENTIFY.format(base=server.base).encode()
        if page is not None:
            return page
        return endless(hostile_page("wrong-namespace").split(b"<description>")[0],
                       b"A never ending description. " * 36000)
    server = HostileServer(route, "/oai")
    return server


@pytest.fixture
def harvester_db(tmp_path, voreg):
    db = tmp_path / "harvester.sqlite"
    cp = subprocess.run([str(voreg), "import", "--database", str(db), str(SAMPLES / "tap.xml")],
                        capture_output=True, text=True)
    assert cp.returncode == 0, describe(cp)
    return db


@pytest.mark.parametrize("label", list(CASES))
def test_hostile_harvest_is_refused(harvester_db, label):
    peer = hostile_peer(hostile_page(label))
    try:
        before = store_digest(harvester_db)
        r = run_measured("harvest", peer.base, "--database", harvester_db, "--json", "--retries", "0",
                         timeout=60)
    finally:
        peer.shutdown()
    info = f"{label}: exit {r['rc']}, {r['elapsed']:.2f} s, {r['maxrss_kb'] // 1024} MB\n" \
           f"stdout: {r['out'][:1500]}\nstderr: {r['err'][:1500]}"
    assert r["rc"] in (0, 1), info
    assert r["elapsed"] < TIME_LIMIT, info
    assert r["maxrss_kb"] < RSS_LIMIT_MB * 1024, info
    assert LEAK not in r["out"] + r["err"], info
    print(f"\nhostile harvest {label}: exit {r['rc']} in {r['elapsed'] * 1000:.0f} ms, "
          f"peak RSS {r['maxrss_kb'] // 1024} MB")
    if r["rc"] == 0:   # the page was readable: the record itself must have been refused
        report = json.loads(r["out"])
        c = report["counts"]
        assert c["added"] == 0 and c["updated"] == 0 and c["deleted"] == 0, info
        assert c["rejected"] == 1 and report["rejections"][0]["reason"].strip(), info
    else:
        assert (r["out"] + r["err"]).strip(), info
    assert store_digest(harvester_db) == before, info


def test_one_gigabyte_oai_page_is_refused(harvester_db):
    peer = hostile_peer(None)
    try:
        before = store_digest(harvester_db)
        r = run_measured("harvest", peer.base, "--database", harvester_db, "--json", "--retries", "0",
                         timeout=120)
    finally:
        peer.shutdown()
    info = f"exit {r['rc']}, {r['elapsed']:.2f} s, {r['maxrss_kb'] // 1024} MB, peer sent " \
           f"{peer.streamed >> 20} MiB\nstdout: {r['out'][:1500]}\nstderr: {r['err'][:1500]}"
    assert r["rc"] == 1, info
    assert re.search(r"large|limit|bytes", r["out"] + r["err"], re.I), info
    assert peer.streamed < GIB // 4, "the harvester read far beyond its page limit\n" + info
    assert r["elapsed"] < 20, info
    assert r["maxrss_kb"] < RSS_LIMIT_MB * 1024, info
    print(f"\n1 GB OAI page: harvest failed in {r['elapsed']:.2f} s after the peer sent "
          f"{peer.streamed >> 20} MiB, peak RSS {r['maxrss_kb'] // 1024} MB")
    assert store_digest(harvester_db) == before, info


# --- HTTP: malformed requests ----------------------------------------------------------------

def raw_request(port: int, data: bytes, timeout: float = 10) -> tuple[int | None, bytes]:
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(data)
    return read_response(s)


def get_raw(port: int, target: str) -> tuple[int | None, bytes]:
    return raw_request(port, f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())


def oai_error_code(body: bytes) -> str | None:
    doc = etree.fromstring(body)
    err = doc.find("{http://www.openarchives.org/OAI/2.0/}error")
    return None if err is None else err.get("code")


# OAI-PMH answers protocol errors with HTTP 200 and an <error code=…> element (OAI-PMH 2.0 §3.6)
MALFORMED_OAI = {
    "/oai?verb=%ZZ": "badVerb",
    "/oai?%": "badVerb",
    "/oai?verb=Identify&verb=Identify": "badVerb",
    "/oai?verb=ListRecords&metadataPrefix=ivo_vor&from=2020-13-45": "badArgument",
    "/oai?verb=ListRecords&metadataPrefix=ivo_vor&from=2020-01-01&until=2019": "badArgument",
    "/oai?verb=ListRecords&resumptionToken=%ff%fe": "badResumptionToken",
    "/oai?verb=ListRecords&resumptionToken=" + "A" * 5000: "badResumptionToken",
    "/oai?verb=GetRecord&metadataPrefix=ivo_vor&identifier=%00": "badArgument",   # NUL is no identifier
    "/oai?verb=GetRecord&metadataPrefix=ivo_vor&identifier=ivo://nowhere/x": "idDoesNotExist",
    "/oai?verb=GetRecord&metadataPrefix=%C3%28&identifier=ivo://x": "badArgument",  # not UTF-8
    "/oai?verb=GetRecord&metadataPrefix=oai_bogus&identifier=ivo://x": "cannotDisseminateFormat",
    "/oai?verb=ListIdentifiers": "badArgument",
    "/oai?verb=ListSets&bogus=%E0%80": "badArgument",
}

MALFORMED_TAP = [
    "/tap/sync?REQUEST=doQuery&LANG=ADQL&QUERY=%E0%80",
    "/tap/sync?REQUEST=doQuery&LANG=ADQL&QUERY=SELECT",
    "/tap/sync?REQUEST=doQuery&LANG=ADQL&QUERY=SELECT%20*%20FROM%20rr.resource&MAXREC=-5",
    "/tap/sync?REQUEST=doQuery&LANG=ADQL&QUERY=SELECT%20*%20FROM%20rr.resource&MAXREC=99999999999999999999999",
    "/tap/sync?REQUEST=doQuery&LANG=SQL&QUERY=SELECT%201",
    "/tap/sync?REQUEST=bogus&LANG=ADQL&QUERY=SELECT%201",
    "/tap/sync?REQUEST=doQuery&LANG=ADQL&QUERY=SELECT%201&RESPONSEFORMAT=application/x-bogus",
    "/tap/sync?REQUEST=doQuery&LANG=ADQL&QUERY=SELECT%20*%20FROM%20rr.resource%20WHERE%20(((((",
    "/tap/sync?REQUEST=doQuery&LANG=ADQL&QUERY=" + "(" * 20000 + "1",
    "/tap/sync?%=%",
    "/tap/nothing",
]

MALFORMED_API = {
    "/api/search?pagesize=abc": 400,
    "/api/search?page=0": 400,
    "/api/search?page=99999999999999999999999": 400,
    "/api/search?servicetype=%ff": 400,
    "/api/search?q=" + "x" * 5000: 400,
    "/api/resources/%ff%fe": 404,
    "/api/nothing": 404,
}

MALFORMED_HTTP = {
    "garbage request line": b"GARBAGE\r\n\r\n",
    "unknown HTTP version": b"GET / HTTP/9.9\r\n\r\n",
    "space in the target": b"GET /oai?verb=Identify x HTTP/1.1\r\nHost: x\r\n\r\n",
    "control character in the target": b"GET /oai?verb=\x01 HTTP/1.1\r\nHost: x\r\n\r\n",
    "raw UTF-8 in the target": "GET /api/search?q=é HTTP/1.1\r\nHost: x\r\n\r\n".encode(),
    "header of 100 KB": b"GET /oai HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n",
    "2,000 headers": b"GET /oai HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(2000)) + b"\r\n",
    "bad Content-Length": b"POST /oai HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
    "negative Content-Length": b"POST /oai HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
    "two Content-Lengths": b"POST /oai HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
    "bad chunk size": b"POST /oai HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
}


def test_malformed_oai_requests_get_oai_errors(reg):
    for target, code in MALFORMED_OAI.items():
        status, body = get_raw(reg.server.port, target)
        assert status == 200, (target, status, body[:300])
        assert oai_error_code(body) == code, (target, body[:500])


def test_malformed_tap_requests_get_error_votables(reg):
    for target in MALFORMED_TAP:
        status, body = get_raw(reg.server.port, target)
        assert status in (400, 404), (target[:100], status, body[:300])
        doc = etree.fromstring(body)
        info = doc.find(f".//{{{NS_VOT}}}INFO[@name='QUERY_STATUS']")
        assert info is not None and info.get("value") == "ERROR" and (info.text or "").strip(), (target[:100], body[:300])


def test_malformed_api_requests_get_json_errors(reg):
    for target, expected in MALFORMED_API.items():
        status, body = get_raw(reg.server.port, target)
        assert status == expected, (target[:100], status, body[:300])
        doc = json.loads(body)
        assert doc["status"] == expected and doc["message"].strip(), (target[:100], doc)


def test_malformed_http_is_400_and_never_500(reg):
    for label, data in MALFORMED_HTTP.items():
        status, body = raw_request(reg.server.port, data)
        assert status == 400, (label, status, body[:200])
        assert b"could not be read" in body, (label, body[:200])
    for target in ["/resources/%ff%fe", "/nothing/%00", "/?page=abc", "/status?%=%"]:
        status, body = get_raw(reg.server.port, target)
        assert status in (200, 400, 404) and body.strip(), (target, status, body[:200])
    status, _ = get_raw(reg.server.port, "/oai?verb=Identify")
    assert status == 200
    metrics = requests.get(reg.base + "/metrics", timeout=10).text
    assert not re.search(r'voreg_http_requests_total\{[^}]*status="5\d\d"', metrics), \
        [line for line in metrics.splitlines() if 'status="5' in line]


# --- HTTP: slow clients and too many connections ---------------------------------------------

def test_slow_header_clients_are_dropped_without_starving_others(reg):
    """16 clients send their headers one byte every 0.3 s; the idle timeout (2 s here) drops
    them, and meanwhile ordinary requests are answered as fast as usual."""
    results: dict[int, tuple[str, float]] = {}

    def loris(i: int):
        s = socket.create_connection(("127.0.0.1", reg.server.port), timeout=30)
        t0 = time.monotonic()
        request = b"GET /oai?verb=Identify HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200
        try:
            for b in request:
                s.send(bytes([b]))
                time.sleep(0.3)
            results[i] = ("never dropped", time.monotonic() - t0)
        except OSError as e:
            results[i] = (type(e).__name__, time.monotonic() - t0)
        finally:
            s.close()

    threads = [threading.Thread(target=loris, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    latencies = []
    for _ in range(20):
        r, dt = timed(requests.get, reg.base + "/oai?verb=Identify", timeout=5)
        assert r.status_code == 200
        latencies.append(dt)
    for t in threads:
        t.join(timeout=30)
    assert statistics.median(latencies) < 0.25, latencies
    assert len(results) == 16
    drops = sorted(sec for _, sec in results.values())
    print(f"\nslow clients: 16 dropped after {drops[0]:.1f}-{drops[-1]:.1f} s (idle timeout 2 s); meanwhile 20 "
          f"Identify requests, p50 {statistics.median(latencies) * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms")
    for i, (outcome, seconds) in results.items():
        assert outcome != "never dropped", results
        assert seconds < 2 + 3, results   # the idle timeout plus the byte in flight


def test_too_many_connections_get_503_then_recover(reg):
    limit = 24
    held = [socket.create_connection(("127.0.0.1", reg.server.port), timeout=10) for _ in range(limit)]
    try:
        time.sleep(0.3)
        r = requests.get(reg.base + "/oai?verb=Identify", timeout=10)
        assert r.status_code == 503, r.status_code
        assert r.headers.get("Retry-After") and "too many open connections" in r.text
        print(f"\nconnection {limit + 1} of {limit}: {r.status_code}, Retry-After {r.headers['Retry-After']}: {r.text.strip()}")
        # the held connections send nothing: the idle timeout (2 s) frees their slots
        time.sleep(3)
        r = requests.get(reg.base + "/oai?verb=Identify", timeout=10)
        assert r.status_code == 200
        for s in held:
            s.settimeout(2)
            assert s.recv(1) == b"", "an idle connection was not closed"
    finally:
        for s in held:
            s.close()


# --- expensive ADQL ----------------------------------------------------------------------------

KEYWORD_QUERY = ("SELECT ivoid, res_title FROM rr.resource WHERE 1=ivo_hasword(res_description, 'service') "
                 "OR 1=ivo_hasword(res_title, 'service')")
CROSS_JOIN = ("SELECT COUNT(*) FROM rr.table_column AS a CROSS JOIN rr.table_column AS b "
              "WHERE a.column_description || b.name LIKE '%never-there%'")


def tap_sync(reg: Reg, query: str, timeout: float = 30) -> tuple[requests.Response, float]:
    return timed(requests.post, reg.base + "/tap/sync",
                 data={"REQUEST": "doQuery", "LANG": "ADQL", "QUERY": query}, timeout=timeout)


def wide_record(columns: int) -> str:
    cols = "".join(f"<column><name>c{i}</name><description>Column number {i} of the wide table</description></column>"
                   for i in range(columns))
    body = (f'<tableset><schema><name>wide</name><table><name>wide.t</name>{cols}</table></schema></tableset>')
    return make_resource(f"ivo://{AUTH}/wide", title="A very wide table", body=body)


def test_expensive_query_ends_at_the_time_limit_and_keyword_search_keeps_its_latency(reg):
    r = requests.put(f"{reg.base}/api/records/{enc(f'ivo://{AUTH}/wide')}", data=wide_record(4000).encode(),
                     headers={"Authorization": f"Bearer {reg.token}", "Content-Type": "application/xml"}, timeout=60)
    assert r.status_code == 200, r.text[:500]
    for _ in range(5):
        tap_sync(reg, KEYWORD_QUERY)

    busy_results: list[tuple[int, float, str]] = []

    def expensive(stop: threading.Event):
        while not stop.is_set():
            r, dt = tap_sync(reg, CROSS_JOIN, timeout=60)
            busy_results.append((r.status_code, dt, r.text))

    def sample(n: int) -> list[float]:
        out = []
        for _ in range(n):
            r, dt = tap_sync(reg, KEYWORD_QUERY)
            assert r.status_code == 200
            out.append(dt)
        return out

    # idle and busy phases alternate, so that a change in the machine's load from other
    # processes does not pass for an effect of the cross join
    idle, busy = [], []
    for _ in range(2):
        idle += sample(20)
        stop = threading.Event()
        t = threading.Thread(target=expensive, args=(stop,))
        t.start()
        time.sleep(0.3)
        try:
            busy += sample(20)
        finally:
            stop.set()
            t.join(timeout=60)
    status, seconds, text = busy_results[0]
    print(f"\ncross join: HTTP {status} after {seconds:.1f} s (limit 3 s)")
    assert status >= 400, "the cross join was expected to hit the 3 s limit"
    assert 2.5 < seconds < 3 + 2, f"the cross join ended after {seconds:.1f} s"
    doc = etree.fromstring(text.encode())
    info = doc.find(f".//{{{NS_VOT}}}INFO[@name='QUERY_STATUS']")
    assert info.get("value") == "ERROR" and re.search(r"time|limit", info.text or "", re.I), text[:500]
    idle_p50, busy_p50 = statistics.median(idle), statistics.median(busy)
    print(f"keyword search p50: idle {idle_p50 * 1000:.1f} ms, during the cross join {busy_p50 * 1000:.1f} ms")
    assert busy_p50 <= 2 * idle_p50, (idle_p50, busy_p50)
    assert reg.sample_rss() < RSS_LIMIT_MB


# --- VOSI: the capability publisher reads XML from a service too --------------------------------

def vosi_capabilities(prolog: str = '<?xml version="1.0"?>\n', marker: str = "TAP service") -> str:
    return (f'{prolog}<vosi:capabilities xmlns:vosi="http://www.ivoa.net/xml/VOSICapabilities/v1.0" '
            'xmlns:vr="http://www.ivoa.net/xml/VOResource/v1.0" xmlns:vs="http://www.ivoa.net/xml/VODataService/v1.1" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            '<capability standardID="ivo://ivoa.net/std/TAP"><interface xsi:type="vs:ParamHTTP" role="std">'
            f'<accessURL use="base">http://example.org/tap</accessURL></interface><description>{marker}</description>'
            '</capability></vosi:capabilities>')


VOSI_CASES = {
    "external-entity": lambda: vosi_capabilities(f'<?xml version="1.0"?>\n{xxe_doctype("vosi:capabilities")}\n', "&x;"),
    "billion-laughs": lambda: vosi_capabilities(
        f'<?xml version="1.0"?>\n{laughs_doctype("vosi:capabilities")}\n', "&lol9;"),
    "deep-nesting": lambda: vosi_capabilities(marker="<b>" * 100_000 + "x" + "</b>" * 100_000),
    "invalid-utf8": lambda: vosi_capabilities(marker="MARK").encode().replace(b"MARK", b"\xff\xfe"),
    "1 GB": None,
}


def vosi_service(capabilities: bytes | None) -> HostileServer:
    """A VOSI service whose /capabilities is `capabilities`, or an endless document when None."""
    def route(path, query):
        if not path.endswith("/capabilities"):
            return None
        return capabilities if capabilities is not None else endless(b"", b"<!-- never ending -->" * 50_000)
    return HostileServer(route, "/tap")


@pytest.mark.parametrize("label", list(VOSI_CASES))
def test_hostile_vosi_service_is_refused(tmp_path, voreg, label):
    make = VOSI_CASES[label]
    data = None if make is None else make()
    svc = vosi_service(data.encode() if isinstance(data, str) else data)
    db = tmp_path / "vosi.sqlite"
    try:
        r = run_measured("publish", "--from-vosi", svc.base, "--ivoid", f"ivo://{AUTH}/vosi", "--title", "x",
                         "--database", db, timeout=60)
    finally:
        svc.shutdown()
    info = f"{label}: exit {r['rc']}, {r['elapsed']:.2f} s, {r['maxrss_kb'] // 1024} MB, " \
           f"{svc.streamed >> 20} MiB streamed\nstdout: {r['out'][:800]}\nstderr: {r['err'][:800]}"
    assert r["rc"] > 0, info
    assert (r["out"] + r["err"]).strip(), info
    assert LEAK not in r["out"] + r["err"], info
    assert r["elapsed"] < 15, info
    assert r["maxrss_kb"] < RSS_LIMIT_MB * 1024, info
    if label == "1 GB":
        assert svc.streamed < GIB // 4, info
    print(f"\nhostile VOSI {label}: exit {r['rc']} in {r['elapsed'] * 1000:.0f} ms, peak RSS {r['maxrss_kb'] // 1024} MB")
    if db.exists():
        con = sqlite3.connect(db)
        assert con.execute("SELECT count(*) FROM records WHERE ivoid = ?", (f"ivo://{AUTH}/vosi",)).fetchone()[0] == 0
        con.close()
