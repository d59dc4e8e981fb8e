"""The RegTAP TAP service as astronomers use it: pyvo's registry searches, TAP sync and async
queries, VOSI documents, error documents, against `voreg serve` over the sample records.
Internal records (Resources/records/internal-*.xml) must never show up."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import pytest
from lxml import etree

pyvo = pytest.importorskip("pyvo")
from pyvo import registry  # noqa: E402
from pyvo.dal import DALQueryError, TAPService  # noqa: E402

from test_oai_server import start_server  # noqa: E402

NS_VOT = "{http://www.ivoa.net/xml/VOTable/v1.3}"


@pytest.fixture(scope="module")
def tap(tmp_path_factory, voreg):
    tmp = tmp_path_factory.mktemp("tap")
    s = start_server(tmp, tmp / "tap.sqlite")
    url = f"http://127.0.0.1:{s.port}/tap"
    registry.choose_RegTAP_service(url)
    yield url
    s.proc.terminate()
    s.proc.wait(timeout=20)


def ivoids(results) -> set[str]:
    return {r.ivoid for r in results}


def test_keyword_search_finds_the_service_by_a_word_of_its_description(tap):
    found = ivoids(registry.search(keywords=["spectroscopic"]))
    assert "ivo://example-dc.org/survey/spectra" in found
    assert not any("internal" in i for i in found)


def test_servicetype_waveband_and_ucd_constraints(tap):
    taps = ivoids(registry.search(servicetype="tap"))
    assert "ivo://example-dc.org/tap" in taps
    assert "ivo://example-dc.org/internal/tap" not in taps
    scs = registry.search(servicetype="scs", waveband="optical")
    assert ivoids(scs) == {"ivo://example-dc.org/survey/cone"}
    by_ucd = ivoids(registry.search(ucd=["pos.eq.ra%"]))
    assert "ivo://example-dc.org/tap" in by_ucd
    assert ivoids(registry.search(ivoid="ivo://example-dc.org/survey/images")) == {"ivo://example-dc.org/survey/images"}


def test_resource_methods(tap):
    res = registry.search(ivoid="ivo://example-dc.org/tap")[0]
    assert res.res_title == "Example DC TAP service"
    svc = res.get_service("tap")
    assert svc.baseurl.startswith("http")
    tables = res.get_tables()
    assert "survey.objects" in tables
    cols = [c.name for c in tables["survey.objects"].columns]
    assert cols[:3] == ["obj_id", "name", "raj2000"]
    contact = res.get_contact() or ""
    assert "Example Data Center user support" in contact and "vo-support@example-dc.org" in contact


def test_internal_words_are_not_findable(tap):
    # "ingestion" only occurs in the internal TAP record's description.
    assert ivoids(registry.search(keywords=["ingestion"])) == set()
    t = TAPService(tap)
    n = t.run_sync("SELECT COUNT(*) AS n FROM rr.resource WHERE ivoid LIKE '%internal%'")
    assert int(n["n"][0]) == 0


def test_sync_formats_and_maxrec(tap):
    t = TAPService(tap)
    r = t.run_sync("SELECT ivoid, res_type FROM rr.resource ORDER BY ivoid", maxrec=3)
    assert len(r) == 3
    # pyvo warns about the overflow; the raw document says so too.
    q = urllib.parse.urlencode({"REQUEST": "doQuery", "LANG": "ADQL", "MAXREC": "3",
                                "QUERY": "SELECT ivoid FROM rr.resource"})
    body = urllib.request.urlopen(tap + "/sync?" + q, timeout=10).read()
    infos = [i.get("value") for i in etree.fromstring(body).iter(NS_VOT + "INFO") if i.get("name") == "QUERY_STATUS"]
    assert infos == ["OK", "OVERFLOW"]
    q2 = urllib.parse.urlencode({"LANG": "ADQL", "RESPONSEFORMAT": "votable/b2",
                                 "QUERY": "SELECT ivoid, cap_index FROM rr.capability ORDER BY ivoid, cap_index"})
    from astropy.io.votable import parse_single_table
    import io
    table_b2 = parse_single_table(io.BytesIO(urllib.request.urlopen(tap + "/sync?" + q2, timeout=10).read())).to_table()
    td = t.run_sync("SELECT ivoid, cap_index FROM rr.capability ORDER BY ivoid, cap_index").to_table()
    assert list(table_b2["ivoid"]) == list(td["ivoid"])
    assert list(table_b2["cap_index"]) == list(td["cap_index"])
    q3 = urllib.parse.urlencode({"LANG": "ADQL", "FORMAT": "csv",
                                 "QUERY": "SELECT ivoid FROM rr.resource WHERE ivoid = 'ivo://example-dc.org/tap'"})
    csv = urllib.request.urlopen(tap + "/sync?" + q3, timeout=10).read().decode()
    assert csv == "ivoid\r\nivo://example-dc.org/tap\r\n"


def test_errors_are_votables_a_person_can_act_on(tap):
    t = TAPService(tap)
    with pytest.raises(DALQueryError) as e:
        t.run_sync("SELECT nosuchcolumn FROM rr.resource")
    assert "nosuchcolumn" in str(e.value) and "column" in str(e.value)
    with pytest.raises(DALQueryError) as e:
        t.run_sync("SELECT * FROM sqlite_master")
    assert "sqlite_master" in str(e.value)
    q = urllib.parse.urlencode({"LANG": "ADQL", "QUERY": "SELEC ivoid FROM rr.resource"})
    with pytest.raises(urllib.error.HTTPError) as he:
        urllib.request.urlopen(tap + "/sync?" + q, timeout=10)
    assert he.value.code == 400
    doc = etree.fromstring(he.value.read())
    info = [i for i in doc.iter(NS_VOT + "INFO") if i.get("name") == "QUERY_STATUS"][0]
    assert info.get("value") == "ERROR" and "line 1" in info.text


def test_async_job_through_pyvo(tap):
    t = TAPService(tap)
    job = t.submit_job("SELECT ivoid, res_title FROM rr.resource ORDER BY ivoid")
    job.run()
    job.wait(phases=["COMPLETED", "ERROR", "ABORTED"], timeout=30)
    assert job.phase == "COMPLETED"
    rows = job.fetch_result()
    assert len(rows) >= 8
    job.delete()
    res = t.run_async("SELECT COUNT(*) AS n FROM rr.capability")
    assert int(res["n"][0]) > 0


def test_vosi_documents(tap):
    t = TAPService(tap)
    names = list(t.tables.keys())
    for required in ["rr.resource", "rr.capability", "rr.interface", "rr.table_column", "tap_schema.columns"]:
        assert required in names
    caps = t.capabilities
    assert any(c.standardid.startswith("ivo://ivoa.net/std/TAP") for c in caps)
    avail = urllib.request.urlopen(tap + "/availability", timeout=10).read()
    assert b"<avl:available>true</avl:available>" in avail
    examples = etree.fromstring(urllib.request.urlopen(tap + "/examples", timeout=10).read())
    queries = [p.text for p in examples.iter("{http://www.w3.org/1999/xhtml}pre") if p.get("property") == "query"]
    assert len(queries) >= 3
    for q in queries:  # every example runs
        t.run_sync(q)


def test_upload_joins_a_client_table(tap):
    from astropy.table import Table
    t = TAPService(tap)
    mine = Table({"id": ["ivo://example-dc.org/tap", "ivo://example-dc.org/survey/cone", "ivo://nowhere/x"],
                  "n": [1, 2, 3]})
    r = t.run_sync("SELECT u.id, u.n, r.res_title FROM TAP_UPLOAD.mine AS u "
                   "JOIN rr.resource AS r ON r.ivoid = u.id ORDER BY u.n", uploads={"mine": mine})
    assert list(r["id"]) == ["ivo://example-dc.org/tap", "ivo://example-dc.org/survey/cone"]
    assert list(r["n"]) == [1, 2]
    # async, too; and the upload does not outlive its query
    job = t.run_async("SELECT COUNT(*) AS c FROM TAP_UPLOAD.mine", uploads={"mine": mine})
    assert int(job["c"][0]) == 3
    with pytest.raises(DALQueryError):
        t.run_sync("SELECT * FROM TAP_UPLOAD.mine")


def test_hostile_upload_is_refused(tap):
    import requests
    evil = (b'<?xml version="1.0"?><!DOCTYPE v [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<VOTABLE><RESOURCE><TABLE><FIELD name="a" datatype="char" arraysize="*"/>'
            b'<DATA><TABLEDATA><TR><TD>&x;</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>')
    r = requests.post(tap + "/sync", data={"LANG": "ADQL", "QUERY": "SELECT * FROM TAP_UPLOAD.t", "UPLOAD": "t,param:f"},
                      files={"f": ("t.xml", evil)}, timeout=10)
    assert r.status_code == 400
    assert b"root:" not in r.content and b"QUERY_STATUS" in r.content
