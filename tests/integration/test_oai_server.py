"""`voreg serve`: start the real server on a free port over a fresh store (which gets the
sample records), harvest it with sickle following resumption tokens, validate every response
against the OAI-PMH + VOResource schemas, check the registry's own records are served and the
internal records never are, then stop it with SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from lxml import etree
from sickle import Sickle

from conftest import NS_OAI, NS_RI, NS_XSI, SAMPLES, SCHEMAS, REPO, voreg_path

REGISTRY = "ivo://voregistry.example/registry"
AUTHORITIES = ["ivo://voregistry.example", "ivo://example-dc.org"]
CATALOG_NS = "{urn:oasis:names:tc:entity:xmlns:xml:catalog}"


class CatalogResolver(etree.Resolver):
    """Resolves schema URLs through Schemas/catalog.xml (system/uri entries and rewrite
    prefixes) to local files, so validation never touches the network."""

    def __init__(self, catalog: Path):
        super().__init__()
        base = catalog.parent
        root = etree.parse(str(catalog)).getroot()
        self.exact: dict[str, Path] = {}
        self.rewrites: list[tuple[str, Path]] = []
        for el in root:
            if el.tag == CATALOG_NS + "system":
                self.exact.setdefault(el.get("systemId"), base / el.get("uri"))
            elif el.tag == CATALOG_NS + "uri":
                self.exact.setdefault(el.get("name"), base / el.get("uri"))
            elif el.tag == CATALOG_NS + "rewriteSystem":
                self.rewrites.append((el.get("systemIdStartString"), base / el.get("rewritePrefix")))
            elif el.tag == CATALOG_NS + "rewriteURI":
                self.rewrites.append((el.get("uriStartString"), base / el.get("rewritePrefix")))

    def resolve(self, url, pubid, context):
        if url in self.exact:
            return self.resolve_filename(str(self.exact[url]), context)
        for prefix, target in self.rewrites:
            if url.startswith(prefix):
                return self.resolve_filename(str(target / url[len(prefix):]), context)
        return None


@pytest.fixture(scope="module")
def oai_schema():
    if not (SCHEMAS / "ivoa" / "OAI-PMH.xsd").is_file():
        pytest.skip("Schemas/ivoa is empty (run make schemas)")
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(CatalogResolver(SCHEMAS / "catalog.xml"))
    doc = etree.parse(str(SCHEMAS / "oai-pmh-registry.xsd"), parser)
    return etree.XMLSchema(doc)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 10) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.status, r.read()


class Server:
    def __init__(self, proc: subprocess.Popen, port: int, log: Path):
        self.proc, self.port, self.log = proc, port, log
        self.oai = f"http://127.0.0.1:{port}/oai"

    def log_lines(self) -> list[dict]:
        return [json.loads(line) for line in self.log.read_text().splitlines() if line.strip()]


@pytest.fixture
def server(tmp_path, voreg):
    s = start_server(tmp_path, tmp_path / "serve.sqlite", "--page-size", "3")
    yield s
    if s.proc.poll() is None:
        s.proc.kill()
        s.proc.wait()


def start_server(tmp_path: Path, db: Path, *args: str) -> Server:
    port = free_port()
    log = tmp_path / "server.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("VOREG_")}
    cmd = [str(voreg_path()), "serve", "--listen", f"127.0.0.1:{port}", "--database", str(db), *args]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=str(REPO), env=env, stdout=out, stderr=subprocess.STDOUT)
    s = Server(proc, port, log)
    deadline = time.monotonic() + 30
    while True:
        if proc.poll() is not None:
            pytest.fail(f"voreg serve exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            status, _ = get(s.oai + "?verb=Identify", timeout=2)
            if status == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("voreg serve did not answer within 30 s:\n" + log.read_text()[-3000:])
        time.sleep(0.1)
    return s


class RecordingSickle(Sickle):
    """Sickle keeping every raw HTTP response body it receives."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.bodies: list[bytes] = []

    def harvest(self, **kwargs):
        r = super().harvest(**kwargs)
        self.bodies.append(r.http_response.content)
        return r


def assert_valid(schema, body: bytes):
    doc = etree.fromstring(body, etree.XMLParser(no_network=True, resolve_entities=False, huge_tree=True))
    if not schema.validate(doc):
        errors = "\n".join(str(e) for e in list(schema.error_log)[:5])
        pytest.fail(f"response is not schema-valid:\n{errors}\n{body[:2000].decode('utf-8', 'replace')}")
    return doc


def internal_identifiers() -> set[str]:
    ids = set()
    for f in SAMPLES.glob("internal-*.xml"):
        ids.add(etree.parse(str(f)).getroot().findtext("identifier").strip().lower())
    assert ids
    return ids


def test_harvest_validate_and_sigterm(server, oai_schema):
    sickle = RecordingSickle(server.oai)

    identify = sickle.Identify()
    assert identify.baseURL == server.oai
    desc = identify.xml.find(f"{{{NS_OAI}}}description/{{{NS_RI}}}Resource")
    assert desc is not None
    assert desc.get(f"{{{NS_XSI}}}type") == "vg:Registry"
    assert desc.findtext("identifier") == REGISTRY
    assert desc.findtext("capability/interface/accessURL") == server.oai
    assert desc.findtext("capability/maxRecords") == "3"

    records = list(sickle.ListRecords(metadataPrefix="ivo_vor", ignore_deleted=False))
    ids = [r.header.identifier for r in records]
    list_pages = len(sickle.bodies) - 1
    assert list_pages >= 3, "page size 3 should give several pages"
    assert len(ids) == len(set(ids))
    for r in records:
        res = r.xml.find(f"{{{NS_OAI}}}metadata/{{{NS_RI}}}Resource")
        assert res is not None, r.header.identifier
        assert res.findtext("identifier").strip() == r.header.identifier

    # the registry's own record and one authority record per managed authority
    assert REGISTRY in ids
    for a in AUTHORITIES:
        assert a in ids
    auth = next(r for r in records if r.header.identifier == AUTHORITIES[0])
    assert auth.xml.find(f".//{{{NS_RI}}}Resource").get(f"{{{NS_XSI}}}type") == "vg:Authority"
    # every public sample, no internal one
    lowered = {i.lower() for i in ids}
    assert not (lowered & internal_identifiers())
    public_samples = {etree.parse(str(f)).getroot().findtext("identifier").strip().lower()
                      for f in SAMPLES.glob("*.xml") if not f.name.startswith("internal-")}
    assert public_samples <= lowered

    # the last page ends the list with an empty resumptionToken element
    last = etree.fromstring(sickle.bodies[-1])
    tok = last.find(f".//{{{NS_OAI}}}resumptionToken")
    assert tok is not None and not (tok.text or "").strip()

    # other verbs and an error, fetched raw
    for query in ("verb=ListIdentifiers&metadataPrefix=oai_dc", "verb=ListSets",
                  "verb=ListMetadataFormats",
                  "verb=GetRecord&metadataPrefix=ivo_vor&identifier=" + urllib.parse.quote(REGISTRY),
                  "verb=GetRecord&metadataPrefix=oai_dc&identifier=" + urllib.parse.quote(AUTHORITIES[1]),
                  "verb=Bogus"):
        status, body = get(server.oai + "?" + query)
        assert status == 200
        sickle.bodies.append(body)
    assert etree.fromstring(sickle.bodies[-1]).find(f"{{{NS_OAI}}}error").get("code") == "badVerb"
    for internal in internal_identifiers():
        status, body = get(server.oai + "?verb=GetRecord&metadataPrefix=ivo_vor&identifier="
                           + urllib.parse.quote(internal))
        assert status == 200
        assert etree.fromstring(body).find(f"{{{NS_OAI}}}error").get("code") == "idDoesNotExist"
        sickle.bodies.append(body)

    for body in sickle.bodies:
        assert_valid(oai_schema, body)

    # metrics
    status, metrics = get(f"http://127.0.0.1:{server.port}/metrics")
    assert status == 200
    text = metrics.decode()
    assert 'voreg_http_requests_total{route="/oai",method="GET",status="200"}' in text
    assert 'voreg_records{status="active",visibility="internal"} 3' in text

    # graceful stop
    server.proc.send_signal(signal.SIGTERM)
    try:
        code = server.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pytest.fail("voreg serve did not stop within 10 s of SIGTERM")
    assert code == 0, server.log.read_text()[-3000:]

    # structured logs: every line a JSON object; one per request with its fields
    lines = server.log_lines()
    requests = [l for l in lines if l.get("message") == "request"]
    assert len(requests) >= len(sickle.bodies)
    r = requests[-1]
    assert {"timestamp", "level", "method", "path", "status", "duration_ms"} <= r.keys()
    assert r["path"] in ("/oai", "/metrics") and r["status"] == 200


def test_post_equals_get(server, oai_schema):
    _, got = get(server.oai + "?verb=ListIdentifiers&metadataPrefix=ivo_vor")
    req = urllib.request.Request(server.oai, data=b"verb=ListIdentifiers&metadataPrefix=ivo_vor",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 200
        assert r.headers["Content-Type"] == "text/xml; charset=utf-8"
        posted = r.read()
    strip = lambda b: etree.tostring(_without_date(assert_valid(oai_schema, b)))  # noqa: E731
    assert strip(got) == strip(posted)


def _without_date(doc):
    """Drops what follows the clock: responseDate, and the token's text and expirationDate
    (tokens carry their issue time)."""
    d = doc.find(f"{{{NS_OAI}}}responseDate")
    d.getparent().remove(d)
    for tok in doc.iter(f"{{{NS_OAI}}}resumptionToken"):
        tok.text = None
        tok.attrib.pop("expirationDate", None)
    return doc


def test_sigterm_finishes_an_inflight_response(tmp_path, voreg):
    """A response being streamed when SIGTERM arrives is sent to its end, then the server exits 0.
    The page (~40 MB) is far larger than the socket buffers, so the server is still writing
    when the signal comes, and the client reads slowly."""
    pages = tmp_path / "gen"
    subprocess.run([sys.executable, str(REPO / "bench" / "generate_registry.py"), "--resources", "2000",
                    "--page-size", "500", "--out", str(pages), "--quiet"], check=True, timeout=120)
    db = tmp_path / "big.sqlite"
    cp = subprocess.run([str(voreg_path()), "import", "--no-validate", "--database", str(db), str(pages)],
                        capture_output=True, text=True, timeout=300)
    assert cp.returncode == 0, cp.stderr
    s = start_server(tmp_path, db, "--page-size", "2000")
    try:
        sock = socket.create_connection(("127.0.0.1", s.port), timeout=30)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
        sock.sendall(b"GET /oai?verb=ListRecords&metadataPrefix=ivo_vor HTTP/1.1\r\n"
                     b"Host: 127.0.0.1\r\nConnection: close\r\n\r\n")
        received = bytearray(sock.recv(65536))
        assert received.startswith(b"HTTP/1.1 200"), bytes(received[:200])
        s.proc.send_signal(signal.SIGTERM)
        time.sleep(1.0)
        assert s.proc.poll() is None, "the server exited with a response still being sent"
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
            time.sleep(0.001)  # a slow client
        sock.close()
        code = s.proc.wait(timeout=20)
        assert code == 0, s.log.read_text()[-3000:]
        head, _, body = bytes(received).partition(b"\r\n\r\n")
        if b"chunked" in head.lower():
            body = dechunk(body)
        assert len(body) > 4 * 1024 * 1024
        doc = etree.fromstring(body, etree.XMLParser(huge_tree=True, no_network=True, resolve_entities=False))
        records = doc.findall(f"{{{NS_OAI}}}ListRecords/{{{NS_OAI}}}record")
        assert len(records) == 2000
        assert doc.find(f"{{{NS_OAI}}}ListRecords/{{{NS_OAI}}}resumptionToken") is not None
    finally:
        if s.proc.poll() is None:
            s.proc.kill()
            s.proc.wait()


def dechunk(data: bytes) -> bytes:
    out, i = bytearray(), 0
    while True:
        j = data.index(b"\r\n", i)
        size = int(data[i:j].split(b";")[0], 16)
        if size == 0:
            return bytes(out)
        out += data[j + 2:j + 2 + size]
        i = j + 2 + size + 2
