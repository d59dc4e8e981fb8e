"""Shared fixtures and helpers for the voreg integration tests.

The tests drive the real `voreg` executable (env VOREG, default .build/debug/voreg) through
subprocess, on SQLite files in pytest tmp dirs, and check the results independently: the
store with Python's sqlite3, the XML with lxml.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from lxml import etree

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "Resources" / "records"
SCHEMAS = REPO / "Schemas"
CORPUS = (REPO / ".." / "shared" / "corpus").resolve()

NS_RI = "http://www.ivoa.net/xml/RegistryInterface/v1.0"
NS_VR = "http://www.ivoa.net/xml/VOResource/v1.0"
NS_OAI = "http://www.openarchives.org/OAI/2.0/"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
RESOURCE_TAGS = {f"{{{NS_RI}}}Resource", f"{{{NS_VR}}}Resource"}

# The 17 RegTAP 1.2 tables (the view rr.tap_table is not a table and not counted by stats).
RR_TABLES = [
    "resource", "res_role", "res_subject", "capability", "res_schema", "res_table",
    "table_column", "interface", "intf_param", "relationship", "validation", "res_date",
    "res_detail", "alt_identifier", "stc_spatial", "stc_temporal", "stc_spectral",
]

# RegTAP 1.2 App. C vocabulary translations (applied before lower-casing).
RELATIONSHIP_TRANSLATION = {
    "mirror-of": "IsIdenticalTo",
    "service-for": "IsServiceFor",
    "served-by": "IsServedBy",
    "derived-from": "IsDerivedFrom",
}


def voreg_path() -> Path:
    return Path(os.environ.get("VOREG", REPO / ".build" / "debug" / "voreg")).resolve()


@pytest.fixture(scope="session")
def voreg() -> Path:
    p = voreg_path()
    if not (p.is_file() and os.access(p, os.X_OK)):
        pytest.fail(f"voreg executable not found at {p} (build it, or set VOREG)")
    return p


def run_voreg(*args, timeout: float = 60, env: dict | None = None, cwd: Path | None = None):
    """Run voreg with the given arguments; returns CompletedProcess (text) with .elapsed."""
    cmd = [str(voreg_path()), *[str(a) for a in args]]
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    t0 = time.monotonic()
    cp = subprocess.run(cmd, capture_output=True, timeout=timeout, env=full_env,
                        cwd=str(cwd or REPO))
    cp.elapsed = time.monotonic() - t0
    cp.stdout = cp.stdout.decode("utf-8", "replace")
    cp.stderr = cp.stderr.decode("utf-8", "replace")
    return cp


def launch_serve(tmp: Path, name: str, config: dict, *, append_log: bool = False
                 ) -> tuple[subprocess.Popen, str, Path]:
    """Start `voreg serve --config <tmp>/<name>.json` (config must have "listen") without waiting
    for it to answer; stdout and stderr go to <tmp>/<name>.log (appended to with append_log).
    VOREG_* variables of the environment are not passed on. Returns (process, base URL, log)."""
    config = {"database": str(tmp / f"{name}.sqlite"), **config}
    cfg = tmp / f"{name}.json"
    cfg.write_text(json.dumps(config))
    log = tmp / f"{name}.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("VOREG_")}
    with open(log, "ab" if append_log else "wb") as out:
        proc = subprocess.Popen([str(voreg_path()), "serve", "--config", str(cfg)], cwd=str(REPO), env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    return proc, f"http://{config['listen']}", log


def describe(cp) -> str:
    return (f"command: {' '.join(map(str, cp.args))}\nexit: {cp.returncode}\n"
            f"stdout:\n{cp.stdout[-4000:]}\nstderr:\n{cp.stderr[-4000:]}")


def import_json(db: Path, *paths, extra=(), timeout: float = 120, expect_ok: bool = True) -> dict:
    """`voreg import --json`; returns the parsed summary (asserting exit 0 by default)."""
    cp = run_voreg("import", "--database", db, "--json", *extra, *paths, timeout=timeout)
    if expect_ok:
        assert cp.returncode == 0, describe(cp)
    try:
        summary = json.loads(cp.stdout)
    except json.JSONDecodeError:
        pytest.fail("voreg import --json did not print JSON\n" + describe(cp))
    summary["_cp"] = cp
    return summary


def connect(db: Path) -> sqlite3.Connection:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    return con


def count(con: sqlite3.Connection, sql: str, *params) -> int:
    return con.execute(sql, params).fetchone()[0]


def store_tables(con: sqlite3.Connection) -> list[str]:
    """records + every rr_* table (incl. the FTS table itself, not its shadow tables)."""
    names = [r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND "
        "(name='records' OR name LIKE 'rr\\_%' ESCAPE '\\') ORDER BY name")]
    return [n for n in names if not n.startswith("rr_fts_")]


def store_digest(db: Path) -> str:
    """A hash over all rows of records, the rr_* tables and rr_fts (order-independent)."""
    con = connect(db)
    try:
        h = hashlib.sha256()
        for t in store_tables(con):
            rows = sorted(repr(r) for r in con.execute(f'SELECT rowid, * FROM "{t}"')
                          ) if t == "rr_fts" else sorted(
                repr(r) for r in con.execute(f'SELECT * FROM "{t}"'))
            h.update(t.encode())
            for r in rows:
                h.update(r.encode("utf-8", "surrogatepass"))
        return h.hexdigest()
    finally:
        con.close()


def store_dump(db: Path) -> str:
    con = connect(db)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def rr_rows_for(con: sqlite3.Connection, ivoid: str) -> dict[str, int]:
    """Number of rows per rr_ table for a (lower-cased) ivoid; only the non-zero ones."""
    out = {}
    for t in RR_TABLES:
        n = count(con, f"SELECT count(*) FROM rr_{t} WHERE ivoid = ?", ivoid)
        if n:
            out[t] = n
    return out


# ---------------------------------------------------------------------------- XML helpers

def text(el) -> str | None:
    if el is None:
        return None
    return "".join(el.itertext())


def norm(s: str | None) -> str | None:
    """RegTAP string normalisation: strip; empty -> None."""
    if s is None:
        return None
    s = s.strip()
    return s or None


def ws_collapse(s: str | None) -> str | None:
    return None if s is None else " ".join(s.split())


def resource_elements(tree) -> list:
    """All ri:Resource / vr:Resource elements of a parsed document, in document order."""
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    return [e for e in root.iter() if isinstance(e.tag, str) and e.tag in RESOURCE_TAGS]


def identifier_of(res) -> str | None:
    return norm(text(res.find("identifier")))


def parse(path: Path):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    return etree.parse(str(path), parser)


def sample_files() -> list[Path]:
    return sorted(SAMPLES.glob("*.xml"))


def all_tables(res) -> list:
    """Tables of a resource: tableset/schema/table, tableset/table, and legacy ./table."""
    return (res.findall("tableset/schema/table") + res.findall("tableset/table")
            + res.findall("table"))


def security_authenticated_only(intf) -> int:
    sms = intf.findall("securityMethod")
    if not sms or any(sm.get("standardID") is None for sm in sms):
        return 0
    return 1


# ---------------------------------------------------------------------------- manifests

def read_tsv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not (CORPUS / "MANIFEST-records.tsv").is_file():
        pytest.skip(f"shared corpus not found at {CORPUS} (no MANIFEST-records.tsv)")
    return CORPUS


@pytest.fixture
def samples_db(tmp_path, voreg) -> Path:
    """A fresh store holding Resources/records."""
    db = tmp_path / "samples.sqlite"
    s = import_json(db, SAMPLES)
    assert s["rejected"] == 0, s
    return db


def compare_core(con: sqlite3.Connection, res) -> list[str]:
    """Compare the stored rr rows of one record with an lxml reading of its XML.

    Checks res_title, capability standard_ids, interface access URLs, number of tables and
    of columns. Returns a list of human-readable mismatches (empty when all agree).
    """
    problems = []
    ident = identifier_of(res)
    ivoid = ident.lower()
    row = con.execute("SELECT res_title FROM rr_resource WHERE ivoid = ?", (ivoid,)).fetchone()
    if row is None:
        return [f"{ident}: no rr_resource row for {ivoid!r}"]

    title = norm(text(res.find("title")))
    got = row[0]
    if got is not None and got != got.strip():
        problems.append(f"{ident}: res_title not stripped: {got!r}")
    if ws_collapse(got) != ws_collapse(title):
        problems.append(f"{ident}: res_title {got!r} != XML {title!r}")

    caps = res.findall("capability")
    want_std = sorted((norm(c.get("standardID")) or "").lower() for c in caps)
    got_std = sorted((r[0] or "") for r in con.execute(
        "SELECT standard_id FROM rr_capability WHERE ivoid = ?", (ivoid,)))
    if want_std != got_std:
        problems.append(f"{ident}: capability standard_ids {got_std} != XML {want_std}")

    intfs = res.findall("capability/interface")
    all_urls, single_urls = set(), set()
    for i in intfs:
        urls = [norm(text(u)) for u in i.findall("accessURL")]
        urls = [u for u in urls if u]
        all_urls.update(urls)
        if len(urls) == 1:
            single_urls.add(urls[0])
    got_rows = [r[0] for r in con.execute(
        "SELECT access_url FROM rr_interface WHERE ivoid = ?", (ivoid,))]
    if len(got_rows) != len(intfs):
        problems.append(f"{ident}: {len(got_rows)} rr_interface rows != {len(intfs)} "
                        "capability/interface elements")
    got_urls = {u for u in got_rows if u is not None}
    if not (single_urls <= got_urls <= all_urls):
        problems.append(f"{ident}: access_urls {sorted(got_urls)} do not match XML "
                        f"{sorted(all_urls)}")

    tables = all_tables(res)
    n_cols = sum(len(t.findall("column")) for t in tables)
    got_t = count(con, "SELECT count(*) FROM rr_res_table WHERE ivoid = ?", ivoid)
    got_c = count(con, "SELECT count(*) FROM rr_table_column WHERE ivoid = ?", ivoid)
    if got_t != len(tables):
        problems.append(f"{ident}: {got_t} rr_res_table rows != {len(tables)} tables in XML")
    if got_c != n_cols:
        problems.append(f"{ident}: {got_c} rr_table_column rows != {n_cols} columns in XML")
    return problems


def make_resource(identifier: str, title: str = "A test resource", *, status: str = "active",
                  updated: str = "2025-03-01T10:00:00Z", res_type: str = "vs:CatalogService",
                  content_extra: str = "", body: str = "", description: str = "A test record.",
                  root: str = "ri:Resource", xmlns_root: str | None = None,
                  prolog: str = '<?xml version="1.0" encoding="UTF-8"?>\n') -> str:
    """A small, schema-valid VOResource record (ri:Resource) as a string."""
    ns_decl = (f'xmlns:ri="{NS_RI}"' if xmlns_root is None else xmlns_root)
    return f"""{prolog}<{root} {ns_decl}
    xmlns:vr="{NS_VR}"
    xmlns:vs="http://www.ivoa.net/xml/VODataService/v1.1"
    xmlns:xsi="{NS_XSI}"
    xsi:type="{res_type}" created="2024-01-01T00:00:00Z" updated="{updated}" status="{status}">
  <title>{title}</title>
  <identifier>{identifier}</identifier>
  <curation>
    <publisher>Integration Test Publisher</publisher>
    <contact><name>Test Contact</name><email>test@example.org</email></contact>
  </curation>
  <content>
    <subject>Testing</subject>
    <description>{description}</description>
    <referenceURL>https://example.org/test</referenceURL>{content_extra}
  </content>{body}
</{root}>
"""


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def strip_prolog(xml: str) -> str:
    return xml.split("?>", 1)[1].lstrip() if xml.startswith("<?xml") else xml


def undefault_ns(xml: str) -> str:
    """Add xmlns="" to the record's root so that its unqualified children stay unqualified
    inside an OAI-PMH page (whose default namespace is the OAI one)."""
    xml = strip_prolog(xml)
    name_end = min(i for i in (xml.find(" "), xml.find(">"), xml.find("\n")) if i > 0)
    return xml[:name_end] + ' xmlns=""' + xml[name_end:]


def oai_list_records(items: list[tuple[str, str, str | None]]) -> str:
    """An OAI-PMH ListRecords page. items: (oai identifier, datestamp, record xml or None
    for a `<header status="deleted">`)."""
    recs = []
    for ident, ds, xml in items:
        if xml is None:
            recs.append(f"""  <record>
    <header status="deleted"><identifier>{ident}</identifier><datestamp>{ds}</datestamp>
      <setSpec>ivo_managed</setSpec></header>
  </record>""")
        else:
            recs.append(f"""  <record>
    <header><identifier>{ident}</identifier><datestamp>{ds}</datestamp>
      <setSpec>ivo_managed</setSpec></header>
    <metadata>
{undefault_ns(xml)}
    </metadata>
  </record>""")
    body = "\n".join(recs)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="{NS_OAI}" xmlns:xsi="{NS_XSI}"
    xsi:schemaLocation="{NS_OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">
  <responseDate>2025-03-02T00:00:00Z</responseDate>
  <request verb="ListRecords" metadataPrefix="ivo_vor">https://peer.example/oai</request>
  <ListRecords>
{body}
  </ListRecords>
</OAI-PMH>
"""
