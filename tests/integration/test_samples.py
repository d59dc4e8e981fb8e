"""Import of the project's sample records (Resources/records) and the RegTAP rows they give.

Expectations come from reading the sample XML with lxml, never from voreg's own output.
"""

from __future__ import annotations

import json
import time

import pytest

from conftest import (
    NS_XSI, RELATIONSHIP_TRANSLATION, RR_TABLES, SAMPLES, all_tables, compare_core, connect,
    count, describe, identifier_of, import_json, make_resource, norm, parse, resource_elements,
    run_voreg, sample_files, security_authenticated_only, text, write,
)


def sample_records():
    """[(file, Resource element)] for every sample file (one ri:Resource per file)."""
    out = []
    for f in sample_files():
        res = resource_elements(parse(f))
        assert len(res) == 1, f"{f} should hold exactly one ri:Resource"
        out.append((f, res[0]))
    return out


@pytest.fixture(scope="module")
def samples():
    recs = sample_records()
    assert len(recs) >= 5, "expected several sample records in Resources/records"
    return recs


@pytest.fixture(scope="module")
def db(tmp_path_factory, voreg, samples):
    db = tmp_path_factory.mktemp("samples") / "store.sqlite"
    s = import_json(db, SAMPLES)
    n = len(samples)
    assert s["read"] == n, s
    assert s["stored"] == n, s
    assert s["rejected"] == 0, s["rejections"]
    return db


def test_every_sample_stored_active(db, samples):
    con = connect(db)
    rows = {r[0]: r for r in con.execute(
        "SELECT ivoid, identifier, status, origin, visibility, xml, content_hash FROM records")}
    for f, res in samples:
        ident = identifier_of(res)
        assert ident, f"{f} has no identifier"
        r = rows.get(ident.lower())
        assert r is not None, f"{f.name}: {ident} not in records (ivoid must be lower-cased)"
        assert r[1] == ident, f"{f.name}: records.identifier {r[1]!r} != {ident!r}"
        assert r[2] == "active", (f.name, r[2])
        assert r[3] == "local", (f.name, r[3])
        assert r[5], f"{f.name}: records.xml is empty"
        assert r[6], f"{f.name}: records.content_hash is empty"
        assert con.execute("SELECT 1 FROM rr_resource WHERE ivoid = ?",
                           (ident.lower(),)).fetchone(), f"{ident} missing in rr_resource"
    assert count(con, "SELECT count(*) FROM records") == len(samples)
    assert count(con, "SELECT count(*) FROM rr_resource") == len(samples)


def test_reimport_is_unchanged(tmp_path, voreg, samples):
    db = tmp_path / "re.sqlite"
    first = import_json(db, SAMPLES)
    assert first["stored"] == len(samples), first
    con = connect(db)
    before = {r[0]: r[1:] for r in con.execute(
        "SELECT ivoid, datestamp, content_hash, xml, updated FROM records")}
    con.close()
    time.sleep(1.2)  # datestamps are unix seconds: make a re-stamp observable
    second = import_json(db, SAMPLES)
    assert second["stored"] == 0, second
    assert second["unchanged"] == len(samples), second
    assert second["rejected"] == 0 and second["deleted"] == 0, second
    con = connect(db)
    after = {r[0]: r[1:] for r in con.execute(
        "SELECT ivoid, datestamp, content_hash, xml, updated FROM records")}
    assert after.keys() == before.keys()
    changed = {k: (before[k][0], after[k][0]) for k in before if before[k][0] != after[k][0]}
    assert not changed, f"records.datestamp changed on an unchanged re-import: {changed}"
    assert after == before


def test_stats_counts_match_tables(db):
    cp = run_voreg("stats", "--database", db, "--json")
    assert cp.returncode == 0, describe(cp)
    stats = json.loads(cp.stdout)
    con = connect(db)
    expected_keys = {f"rr.{t}" for t in RR_TABLES}
    assert set(stats["tables"]) == expected_keys
    for t in RR_TABLES:
        n = count(con, f"SELECT count(*) FROM rr_{t}")
        assert stats["tables"][f"rr.{t}"] == n, f"stats rr.{t} = {stats['tables'][f'rr.{t}']}, table has {n}"
    for status in ("active", "inactive", "deleted"):
        n = count(con, "SELECT count(*) FROM records WHERE status = ?", status)
        assert stats["records"].get(status, 0) == n, (status, stats["records"])
    by_type = dict(con.execute("SELECT res_type, count(*) FROM rr_resource GROUP BY res_type"))
    assert {k: v for k, v in stats["res_type"].items() if v} == by_type


def test_resource_rows_match_xml(db, samples):
    con = connect(db)
    problems = []
    for f, res in samples:
        problems += [f"{f.name}: {p}" for p in compare_core(con, res)]
        ivoid = identifier_of(res).lower()
        row = con.execute(
            "SELECT ivoid, res_type, res_title, content_level, creator_seq, short_name "
            "FROM rr_resource WHERE ivoid = ?", (ivoid,)).fetchone()
        assert row is not None, f"{f.name}: no rr_resource row"
        _, res_type, res_title, content_level, creator_seq, short_name = row

        title = norm(text(res.find("title")))
        if res_title != title:  # sample titles are single-line: exact after stripping
            problems.append(f"{f.name}: res_title {res_title!r} != {title!r}")
        if short_name != norm(text(res.find("shortName"))):
            problems.append(f"{f.name}: short_name {short_name!r}")

        xsi_type = res.get(f"{{{NS_XSI}}}type")
        if res_type != xsi_type.lower():  # the samples use the canonical prefixes already
            problems.append(f"{f.name}: res_type {res_type!r} != {xsi_type.lower()!r}")

        levels = [norm(text(e)) for e in res.findall("content/contentLevel")]
        levels = [lv.lower() for lv in levels if lv]
        want = "#".join(levels) if levels else None
        if content_level != want:
            problems.append(f"{f.name}: content_level {content_level!r} != {want!r}")

        names = [norm(text(e)) for e in res.findall("curation/creator/name")]
        names = [n for n in names if n]
        want = "; ".join(names) if names else None
        if creator_seq != want:
            problems.append(f"{f.name}: creator_seq {creator_seq!r} != {want!r}")

        # standard_id lower-cased, in document order of cap_index
        got_caps = [r[0] for r in con.execute(
            "SELECT standard_id FROM rr_capability WHERE ivoid = ? ORDER BY cap_index", (ivoid,))]
        want_caps = [(norm(c.get("standardID")) or "").lower() or None
                     for c in res.findall("capability")]
        if got_caps != want_caps:
            problems.append(f"{f.name}: standard_ids by cap_index {got_caps} != {want_caps}")

        # interfaces: (standard_id, access_url, authenticated_only)
        want_intf = []
        for c in res.findall("capability"):
            for i in c.findall("interface"):
                want_intf.append(((norm(c.get("standardID")) or "").lower() or None,
                                  norm(text(i.find("accessURL"))),
                                  security_authenticated_only(i)))
        got_intf = list(con.execute(
            "SELECT c.standard_id, i.access_url, i.authenticated_only FROM rr_interface i "
            "JOIN rr_capability c ON c.ivoid = i.ivoid AND c.cap_index = i.cap_index "
            "WHERE i.ivoid = ?", (ivoid,)))
        if sorted(got_intf, key=repr) != sorted(want_intf, key=repr):
            problems.append(f"{f.name}: interfaces {sorted(got_intf, key=repr)} != "
                            f"{sorted(want_intf, key=repr)}")

        # relationships: translated, lower-cased type; lower-cased related_id
        want_rel = []
        for rel in res.findall("content/relationship"):
            rtype = norm(text(rel.find("relationshipType")))
            rtype = RELATIONSHIP_TRANSLATION.get(rtype, rtype).lower()
            for rr in rel.findall("relatedResource"):
                rid = norm(rr.get("ivo-id"))
                want_rel.append((rtype, rid.lower() if rid else None, norm(text(rr))))
        got_rel = list(con.execute(
            "SELECT relationship_type, related_id, related_name FROM rr_relationship "
            "WHERE ivoid = ?", (ivoid,)))
        if sorted(got_rel, key=repr) != sorted(want_rel, key=repr):
            problems.append(f"{f.name}: relationships {got_rel} != {want_rel}")

        # tables/columns per table, in table_index order
        want_cols = [len(t.findall("column")) for t in all_tables(res)]
        got_cols = [r[0] for r in con.execute(
            "SELECT (SELECT count(*) FROM rr_table_column c WHERE c.ivoid = t.ivoid "
            "AND c.table_index = t.table_index) FROM rr_res_table t WHERE t.ivoid = ? "
            "ORDER BY t.table_index", (ivoid,))]
        if got_cols != want_cols:
            problems.append(f"{f.name}: columns per table {got_cols} != {want_cols}")
    assert not problems, "\n".join(problems)


def test_authenticated_only_covers_both_cases(db, samples):
    """The samples must exercise both authenticated_only = 0 and 1 (else the check is void)."""
    flags = {security_authenticated_only(i)
             for _, res in samples for i in res.findall("capability/interface")}
    assert flags == {0, 1}
    con = connect(db)
    assert {r[0] for r in con.execute("SELECT DISTINCT authenticated_only FROM rr_interface")} \
        == {0, 1}


def test_datamodel_res_detail(db, samples):
    con = connect(db)
    seen = 0
    for f, res in samples:
        ivoid = identifier_of(res).lower()
        for cap_pos, cap in enumerate(res.findall("capability")):
            ids = [dm.get("ivo-id") for dm in cap.findall("dataModel") if dm.get("ivo-id")]
            if not ids:
                continue
            seen += 1
            std = (norm(cap.get("standardID")) or "").lower()
            rows = list(con.execute(
                "SELECT d.detail_value FROM rr_res_detail d JOIN rr_capability c "
                "ON c.ivoid = d.ivoid AND c.cap_index = d.cap_index "
                "WHERE d.ivoid = ? AND d.detail_xpath = '/capability/dataModel/@ivo-id' "
                "AND c.standard_id = ?", (ivoid, std)))
            # detail values are not case-normalised
            assert sorted(r[0] for r in rows) == sorted(i.strip() for i in ids), \
                f"{f.name}: /capability/dataModel/@ivo-id rows {rows} != {ids}"
    assert seen >= 1, "no sample declares a capability/dataModel (TAP of the registry)"
    # the RegTAP discovery query of the spec finds our registry's TAP service
    found = list(con.execute(
        "SELECT i.access_url FROM rr_interface i NATURAL JOIN rr_capability c "
        "NATURAL JOIN rr_res_detail d WHERE c.standard_id LIKE 'ivo://ivoa.net/std/tap%' "
        "AND i.intf_role = 'std' AND d.detail_xpath = '/capability/dataModel/@ivo-id' "
        "AND lower(d.detail_value) LIKE 'ivo://ivoa.net/std/regtap#1.%' "
        "AND i.authenticated_only = 0"))
    assert found, "RegTAP discovery query (sect. 10) finds no TAP service"


def test_relationship_and_date_vocabulary_translation(tmp_path, voreg):
    """Old relationship/date terms are translated (App. C) before lower-casing."""
    rels = "".join(
        f"\n    <relationship><relationshipType>{old}</relationshipType>"
        f"<relatedResource ivo-id=\"ivo://Test.example/Rel{n}\">R{n}</relatedResource>"
        f"</relationship>" for n, old in enumerate(RELATIONSHIP_TRANSLATION))
    xml = make_resource("ivo://Test.Example/Vocab", content_extra=rels)
    xml = xml.replace("</publisher>", "</publisher>\n    "
                      '<date role="representative">2020-01-01</date>'
                      '<date role="creation">2019-01-01</date>')
    f = write(tmp_path / "vocab.xml", xml)
    db = tmp_path / "v.sqlite"
    s = import_json(db, f)
    assert s["stored"] == 1, s
    con = connect(db)
    got = sorted(con.execute(
        "SELECT relationship_type, related_id FROM rr_relationship WHERE ivoid = ?",
        ("ivo://test.example/vocab",)))
    want = sorted((new.lower(), f"ivo://test.example/rel{n}")
                  for n, new in enumerate(RELATIONSHIP_TRANSLATION.values()))
    assert got == want
    roles = sorted(r[0] for r in con.execute(
        "SELECT value_role FROM rr_res_date WHERE ivoid = ?", ("ivo://test.example/vocab",)))
    assert roles == ["collected", "created"]


def test_validate_samples(voreg, samples):
    cp = run_voreg("validate", SAMPLES)
    assert cp.returncode == 0, describe(cp)
    lines = [ln for ln in cp.stdout.splitlines() if ln.strip()]
    assert len(lines) == len(samples), describe(cp)
    want = sorted(identifier_of(res).lower() for _, res in samples)
    got = []
    for ln in lines:
        parts = ln.split("\t")
        assert len(parts) == 2 and parts[1] == "VALID", ln
        got.append(parts[0].lower())
    assert sorted(got) == want
