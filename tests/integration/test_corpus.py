"""Import of the shared corpus of real VOResource records (../shared/corpus).

Expectations come from the corpus manifests and from lxml readings of the original files.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from conftest import (
    NS_OAI, all_tables, compare_core, connect, identifier_of, import_json, parse, read_tsv,
    resource_elements, text,
)

SAMPLE_SIZE = 20
N_TABLESETS = 5
SUPPORTED_ROOTS = {
    "{http://www.ivoa.net/xml/RegistryInterface/v1.0}Resource",
    "{http://www.ivoa.net/xml/VOResource/v1.0}Resource",
    "{http://www.ivoa.net/xml/RegistryInterface/v1.0}VOResources",
    "{http://www.openarchives.org/OAI/2.0/}OAI-PMH",
}


@pytest.fixture(scope="module")
def manifest(corpus):
    return read_tsv(corpus / "MANIFEST-records.tsv")


@pytest.fixture(scope="module")
def qualified(manifest):
    """Manifest rows of records with a qualified (ri:/vr:Resource) record element."""
    rows = [r for r in manifest if r["unqualified_root"] == "False"]
    assert rows, "manifest lists no qualified records"
    return rows


@pytest.fixture(scope="module")
def imported(tmp_path_factory, voreg, corpus):
    db = tmp_path_factory.mktemp("corpus") / "corpus.sqlite"
    summary = import_json(db, corpus, timeout=120)
    return db, summary


def _same_file(rejected_file: str, corpus: Path, rel: str) -> bool:
    p = Path(rejected_file)
    if not p.is_absolute():
        p = (Path.cwd() / p)
    try:
        return p.resolve() == (corpus / rel).resolve()
    except OSError:
        return rejected_file.endswith(rel)


def test_every_qualified_record_stored_or_rejected(imported, qualified, corpus):
    db, summary = imported
    con = connect(db)
    stored = {r[0] for r in con.execute("SELECT ivoid FROM records")}
    rejections = summary["rejections"]
    for r in rejections:
        assert (r.get("reason") or "").strip(), f"rejection without a reason: {r}"

    unaccounted = []
    for row in qualified:
        ident = row["identifier"].strip()
        if ident.lower() in stored:
            continue
        hits = [r for r in rejections if _same_file(r["file"], corpus, row["file"])]
        # a rejection naming the record, or one for the whole file (no index, no ivoid:
        # e.g. a container element voreg does not read), accounts for the record
        ok = [r for r in hits
              if (r.get("ivoid") or "").strip().lower() == ident.lower()
              or (r.get("index") is None and not r.get("ivoid"))]
        if not ok:
            unaccounted.append(f"{row['file']}#{row['index_in_file']} {ident}: neither in "
                               f"records nor rejected (rejections for file: {hits})")
    assert not unaccounted, "\n".join(unaccounted)


def test_read_covers_manifest(imported, qualified):
    _, summary = imported
    assert summary["read"] >= len(qualified), (
        f"read {summary['read']} < {len(qualified)} qualified records in the manifest")
    assert summary["stored"] + summary["unchanged"] > 0, summary


def _deleted_header_ids(corpus: Path) -> set[str]:
    out = set()
    for row in read_tsv(corpus / "MANIFEST-files.tsv"):
        if row["n_oai_deleted"] not in ("", "0"):
            tree = parse(corpus / row["file"])
            for h in tree.iter(f"{{{NS_OAI}}}header"):
                if h.get("status") == "deleted":
                    out.add((text(h.find(f"{{{NS_OAI}}}identifier")) or "").strip().lower())
    return out


def _pick_sample(manifest, corpus) -> list[dict]:
    ids = Counter(r["identifier"].strip().lower() for r in manifest)
    deleted = _deleted_header_ids(corpus)
    # only files whose root is a container the contract lists (bare record, ri:VOResources,
    # OAI-PMH); not e.g. AstroGrid's AstrogridResource wrapper
    supported = {row["file"] for row in read_tsv(corpus / "MANIFEST-files.tsv")
                 if row["root_element"] in SUPPORTED_ROOTS}
    cand = [r for r in manifest
            if r["file"] in supported and r["unqualified_root"] == "False" and r["valid_prev_bundle"] == "True"
            and r["status"] == "active" and ids[r["identifier"].strip().lower()] == 1
            and r["identifier"].strip().lower() not in deleted]
    cand.sort(key=lambda r: (r["file"], int(r["index_in_file"])))
    if len(cand) <= SAMPLE_SIZE:
        return cand
    # evenly spaced over the manifest, plus the records with the largest tablesets
    n_even = SAMPLE_SIZE - N_TABLESETS
    step = len(cand) / n_even
    picked = [cand[int(i * step)] for i in range(n_even)]

    def n_columns(row):
        els = [e for e in resource_elements(parse(corpus / row["file"]))
               if identifier_of(e) == row["identifier"].strip()]
        return sum(len(t.findall("column")) for e in els for t in all_tables(e))

    rest = [r for r in cand if r not in picked]
    rest.sort(key=lambda r: (-n_columns(r), r["file"], int(r["index_in_file"])))
    return picked + [r for r in rest[:N_TABLESETS] if n_columns(r) > 0]


def test_sample_records_match_xml(imported, manifest, corpus):
    db, _ = imported
    sample = _pick_sample(manifest, corpus)
    assert len(sample) >= 10, f"only {len(sample)} sample candidates in the manifest"
    con = connect(db)
    problems = []
    for row in sample:
        ident = row["identifier"].strip()
        path = corpus / row["file"]
        els = [e for e in resource_elements(parse(path)) if identifier_of(e) == ident]
        assert len(els) == 1, f"{row['file']}: {len(els)} record elements with {ident}"
        rec = con.execute("SELECT status, identifier FROM records WHERE ivoid = ?",
                          (ident.lower(),)).fetchone()
        if rec is None:
            problems.append(f"{row['file']}: {ident} (schema-valid, active) not stored")
            continue
        if rec[0] != "active":
            problems.append(f"{row['file']}: {ident} stored with status {rec[0]!r}")
            continue
        problems += [f"{row['file']}: {p}" for p in compare_core(con, els[0])]
    assert not problems, "\n".join(problems)
