"""OAI-PMH ListRecords pages: deleted headers, re-import, inactive records, --origin and
--visibility."""

from __future__ import annotations

import time

import pytest

from conftest import (
    connect, count, describe, import_json, make_resource, oai_list_records,
    rr_rows_for, run_voreg, store_digest, write,
)

A = "ivo://oai.test/Alpha"
B = "ivo://oai.test/beta"
C = "ivo://oai.test/Gamma"
DS = "2025-03-01T12:00:00Z"


def fts_rows(con, ivoid) -> int:
    rid = con.execute("SELECT rid FROM records WHERE ivoid = ?", (ivoid,)).fetchone()
    assert rid is not None
    return count(con, "SELECT count(*) FROM rr_fts WHERE rowid = ?", rid[0])


def page_abc() -> str:
    return oai_list_records([
        (A, DS, make_resource(A, title="Alpha resource")),
        (B, DS, make_resource(B, title="Beta resource")),
        (C, DS, None),
    ])


@pytest.fixture
def db_with_c(tmp_path, voreg):
    db = tmp_path / "oai.sqlite"
    f = write(tmp_path / "c.xml", make_resource(C, title="Gamma resource", body="""
  <capability standardID="ivo://ivoa.net/std/ConeSearch">
    <interface xsi:type="vs:ParamHTTP" role="std"><accessURL use="base">https://oai.test/cone?</accessURL></interface>
  </capability>"""))
    s = import_json(db, f)
    assert s["stored"] == 1, s
    con = connect(db)
    assert con.execute("SELECT status FROM records WHERE ivoid = ?", (C.lower(),)).fetchone() \
        == ("active",)
    assert {"resource", "capability", "interface"} <= set(rr_rows_for(con, C.lower()))
    assert fts_rows(con, C.lower()) == 1
    return db


def test_deleted_header_removes_record(db_with_c, tmp_path):
    db = db_with_c
    page = write(tmp_path / "page.xml", page_abc())
    s = import_json(db, page)
    assert s["stored"] == 2, s
    assert s["deleted"] == 1, s
    assert s["rejected"] == 0, s
    con = connect(db)
    status, xml = con.execute("SELECT status, xml FROM records WHERE ivoid = ?",
                              (C.lower(),)).fetchone()
    assert status == "deleted"
    assert xml is None
    assert rr_rows_for(con, C.lower()) == {}, "deleted record still has rr rows"
    assert fts_rows(con, C.lower()) == 0, "deleted record still in rr_fts"
    for ident, title in ((A, "Alpha resource"), (B, "Beta resource")):
        row = con.execute("SELECT status, identifier FROM records WHERE ivoid = ?",
                          (ident.lower(),)).fetchone()
        assert row == ("active", ident)
        assert con.execute("SELECT res_title FROM rr_resource WHERE ivoid = ?",
                           (ident.lower(),)).fetchone() == (title,)
        assert fts_rows(con, ident.lower()) == 1
    con.close()

    # the same page again changes nothing
    before = store_digest(db)
    con = connect(db)
    stamps = dict(con.execute("SELECT ivoid, datestamp FROM records"))
    con.close()
    time.sleep(1.2)
    s2 = import_json(db, page)
    assert s2["stored"] == 0 and s2["deleted"] == 0 and s2["rejected"] == 0, s2
    assert s2["unchanged"] >= 2, s2
    assert store_digest(db) == before, "re-importing the same page changed the store"
    con = connect(db)
    assert dict(con.execute("SELECT ivoid, datestamp FROM records")) == stamps


def test_deleted_header_for_unknown_record(tmp_path, voreg):
    """A deleted header for an identifier never seen leaves no rr rows (a tombstone is fine)."""
    db = tmp_path / "u.sqlite"
    page = write(tmp_path / "page.xml", oai_list_records([(C, DS, None)]))
    import_json(db, page)
    con = connect(db)
    row = con.execute("SELECT status, xml FROM records WHERE ivoid = ?", (C.lower(),)).fetchone()
    assert row is None or row == ("deleted", None)
    assert rr_rows_for(con, C.lower()) == {}


def test_inactive_record(tmp_path, voreg):
    db = tmp_path / "i.sqlite"
    d_id = "ivo://oai.test/delta"
    e_id = "ivo://oai.test/epsilon"
    # D is first active, then becomes inactive; E arrives inactive
    s = import_json(db, write(tmp_path / "d1.xml", make_resource(d_id, updated=DS)))
    assert s["stored"] == 1
    con = connect(db)
    assert rr_rows_for(con, d_id)
    con.close()
    page = oai_list_records([
        (d_id, "2025-04-01T00:00:00Z",
         make_resource(d_id, status="inactive", updated="2025-04-01T00:00:00Z")),
        (e_id, "2025-04-01T00:00:00Z", make_resource(e_id, status="inactive")),
    ])
    s = import_json(db, write(tmp_path / "inactive.xml", page))
    assert s["rejected"] == 0, s
    con = connect(db)
    for ident in (d_id, e_id):
        row = con.execute("SELECT status, xml FROM records WHERE ivoid = ?", (ident,)).fetchone()
        assert row is not None, f"{ident} not in records"
        assert row[0] == "inactive", (ident, row[0])
        assert row[1], f"{ident}: an inactive record keeps its XML"
        assert rr_rows_for(con, ident) == {}, f"{ident} (inactive) has rr rows"
        assert fts_rows(con, ident) == 0, f"{ident} (inactive) is in rr_fts"


def test_origin_sets_records_origin(tmp_path, voreg):
    db = tmp_path / "o.sqlite"
    page = write(tmp_path / "page.xml", page_abc())
    s = import_json(db, page, extra=["--origin", "ivo://peer/registry"])
    assert s["stored"] == 2, s
    con = connect(db)
    origins = dict(con.execute("SELECT ivoid, origin FROM records"))
    assert origins[A.lower()] == "ivo://peer/registry"
    assert origins[B.lower()] == "ivo://peer/registry"
    vis = {r[0] for r in con.execute("SELECT visibility FROM records")}
    assert vis == {"public"}


def test_local_import_default_origin_and_internal_visibility(tmp_path, voreg):
    db = tmp_path / "v.sqlite"
    f = write(tmp_path / "a.xml", make_resource(A))
    s = import_json(db, f, extra=["--visibility", "internal"])
    assert s["stored"] == 1, s
    con = connect(db)
    assert con.execute("SELECT origin, visibility FROM records WHERE ivoid = ?",
                       (A.lower(),)).fetchone() == ("local", "internal")


def test_internal_visibility_with_origin_refused(tmp_path, voreg):
    db = tmp_path / "r.sqlite"
    page = write(tmp_path / "page.xml", page_abc())
    cp = run_voreg("import", "--database", db, "--origin", "ivo://peer/registry",
                   "--visibility", "internal", page)
    assert cp.returncode != 0, describe(cp)
    assert (cp.stderr + cp.stdout).strip(), "refusal without a message"
    if db.exists():
        con = connect(db)
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "records" in tables:
            assert count(con, "SELECT count(*) FROM records") == 0
