"""Hostile and broken inputs: each is rejected with a reason, quickly, with bounded memory, and
leaves the store (records, rr_* tables, rr_fts) exactly as it was."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import (
    SAMPLES, connect, describe, import_json, make_resource,
    oai_list_records, run_voreg, store_digest, store_dump, voreg_path, write,
)

TIME_LIMIT = 10.0        # seconds per hostile import
RSS_LIMIT_MB = 300       # peak resident memory of the voreg process

DOCTYPE_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def with_doctype(doctype: str, title: str, ident: str) -> str:
    """A valid-looking ri:Resource preceded by an internal DTD subset; title may use entities."""
    return make_resource(ident, title=title, prolog=DOCTYPE_HEAD + doctype + "\n")


def xxe_doctype(root: str) -> str:
    """A DTD declaring &x; as /etc/passwd (used by the other hostile-input tests too)."""
    return f'<!DOCTYPE {root} [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


def laughs_doctype(root: str) -> str:
    """A DTD whose &lol9; expands to 10^9 "lol"s (used by the other hostile-input tests too)."""
    ents = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10)]
    return f"<!DOCTYPE {root} [\n" + "\n".join(ents) + "\n]>"


def xxe() -> str:
    return with_doctype(xxe_doctype("ri:Resource"), "Leak &x; here", "ivo://hostile.test/xxe")


def billion_laughs() -> str:
    return with_doctype(laughs_doctype("ri:Resource"), "&lol9;", "ivo://hostile.test/laughs")


def quadratic() -> str:
    big = "A" * 200_000
    return with_doctype(f'<!DOCTYPE ri:Resource [<!ENTITY a "{big}">]>',
                        "&a;" * 20_000, "ivo://hostile.test/quadratic")


def deep_nesting(levels: int = 100_000) -> str:
    xml = make_resource("ivo://hostile.test/deep")
    nest = "<a>" * levels + "x" + "</a>" * levels
    return xml.replace("<title>", nest + "\n  <title>", 1)


def truncated() -> bytes:
    data = (SAMPLES / "tap.xml").read_bytes()
    return data[: len(data) // 2]


def bad_utf8() -> bytes:
    xml = make_resource("ivo://hostile.test/badutf8", title="TITLEMARK").encode("utf-8")
    return xml.replace(b"TITLEMARK", b"Bad \xff\xfe\xc3\x28 title")


def wrong_namespace() -> str:
    return make_resource("ivo://hostile.test/wrongns", root="x:Resource",
                         xmlns_root='xmlns:x="http://example.org/x"')


def unqualified() -> str:
    return make_resource("ivo://hostile.test/unqualified", root="Resource", xmlns_root="")


CASES = {
    "external-entity": xxe,
    "billion-laughs": billion_laughs,
    "quadratic-blowup": quadratic,
    "deep-nesting": deep_nesting,
    "truncated": truncated,
    "invalid-utf8": bad_utf8,
    "wrong-namespace": wrong_namespace,
    "unqualified-root": unqualified,
}

# a wrapper that runs voreg and reports the peak RSS of that one child (KiB on Linux)
RUSAGE_WRAPPER = textwrap.dedent("""
    import json, resource, subprocess, sys, time
    t0 = time.monotonic()
    cp = subprocess.run(sys.argv[1:], capture_output=True)
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    json.dump({"rc": cp.returncode, "out": cp.stdout.decode("utf-8", "replace"),
               "err": cp.stderr.decode("utf-8", "replace"), "maxrss_kb": ru.ru_maxrss,
               "elapsed": time.monotonic() - t0}, sys.stdout)
""")


def run_measured(*args, timeout=60) -> dict:
    cmd = [sys.executable, "-c", RUSAGE_WRAPPER, str(voreg_path()), *map(str, args)]
    cp = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    assert cp.returncode == 0, cp.stderr
    return json.loads(cp.stdout)


def assert_hostile_rejected(db: Path, path: Path, label: str, reason_pattern: str | None = None):
    digest_before = store_digest(db)
    dump_before = store_dump(db)
    try:
        r = run_measured("import", "--database", db, "--json", path, timeout=TIME_LIMIT * 3)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{label}: voreg import did not finish within {TIME_LIMIT * 3} s")
    info = f"{label}: exit {r['rc']}, {r['elapsed']:.2f} s, {r['maxrss_kb'] // 1024} MB\n" \
           f"stdout: {r['out'][:2000]}\nstderr: {r['err'][:2000]}"
    assert r["rc"] >= 0, f"voreg crashed (signal {-r['rc']})\n{info}"
    assert r["rc"] in (0, 1), info
    assert r["elapsed"] < TIME_LIMIT, f"too slow\n{info}"
    assert r["maxrss_kb"] < RSS_LIMIT_MB * 1024, f"too much memory\n{info}"
    if r["rc"] == 0:
        s = json.loads(r["out"])
        assert s["stored"] == 0 and s["unchanged"] == 0 and s["deleted"] == 0, info
        assert s["rejected"] >= 1, info
        reasons = [x.get("reason") or "" for x in s["rejections"]]
        assert reasons and all(x.strip() for x in reasons), info
        if reason_pattern:
            assert any(re.search(reason_pattern, x, re.I) for x in reasons), \
                f"reason does not match /{reason_pattern}/\n{info}"
    else:
        assert (r["err"] + r["out"]).strip(), f"fatal error without a message\n{info}"
    assert store_digest(db) == digest_before, f"store changed\n{info}"
    assert store_dump(db) == dump_before, f"store dump changed\n{info}"
    return r


@pytest.mark.parametrize("label", list(CASES))
def test_hostile_document_rejected(label, samples_db, tmp_path):
    data = CASES[label]()
    path = write(tmp_path / f"{label}.xml", data)
    r = assert_hostile_rejected(samples_db, path, label)
    print(f"\nhostile import {label}: exit {r['rc']} in {r['elapsed'] * 1000:.0f} ms, "
          f"peak RSS {r['maxrss_kb'] // 1024} MB")
    if label == "external-entity":
        assert "root:" not in r["out"] and "root:" not in r["err"], "file content leaked"
        assert "root:" not in store_dump(samples_db)


def test_external_entity_never_expanded_anywhere(samples_db, tmp_path):
    """Also through validate: the /etc/passwd content must never be read into output."""
    path = write(tmp_path / "xxe.xml", xxe())
    cp = run_voreg("validate", path, timeout=TIME_LIMIT)
    assert "root:" not in cp.stdout + cp.stderr, describe(cp)


def test_huge_document_rejected_for_size(samples_db, tmp_path):
    path = tmp_path / "huge.xml"
    head, tail = make_resource("ivo://hostile.test/huge",
                               description="DESCRIPTIONMARK").split("DESCRIPTIONMARK")
    line = ("A very long description that never ends. " * 24 + "\n").encode()
    target = 100 * 1024 * 1024
    with open(path, "wb") as f:
        f.write(head.encode())
        written = len(head)
        while written < target:
            f.write(line)
            written += len(line)
        f.write(tail.encode())
    assert path.stat().st_size >= target
    r = assert_hostile_rejected(samples_db, path, "100 MB document",
                                reason_pattern=r"size|large|big|limit|MiB|MB|bytes")
    assert r["elapsed"] < 5, f"size rejection should be quick: {r['elapsed']:.1f} s"


def test_mixed_oai_page_good_and_broken(samples_db, tmp_path):
    good = make_resource("ivo://hostile.test/good", title="The good record")
    broken = make_resource("ivo://hostile.test/broken", title="The broken record")
    broken = broken.replace("<identifier>ivo://hostile.test/broken</identifier>", "")
    assert "<identifier>" not in broken
    page = oai_list_records([
        ("ivo://hostile.test/good", "2025-03-01T00:00:00Z", good),
        ("ivo://hostile.test/broken", "2025-03-01T00:00:00Z", broken),
    ])
    path = write(tmp_path / "mixed.xml", page)
    con = connect(samples_db)
    n_before = con.execute("SELECT count(*) FROM records").fetchone()[0]
    con.close()
    s = import_json(samples_db, path)
    assert s["stored"] == 1, s
    assert s["rejected"] == 1, s
    rej = s["rejections"][0]
    assert (rej.get("reason") or "").strip(), rej
    assert rej.get("index") == 1, f"rejection should carry the record's index (0-based): {rej}"
    assert rej.get("file") and Path(rej["file"]).name == "mixed.xml", rej
    con = connect(samples_db)
    assert con.execute("SELECT status FROM records WHERE ivoid = 'ivo://hostile.test/good'"
                       ).fetchone() == ("active",)
    assert con.execute("SELECT count(*) FROM records").fetchone()[0] == n_before + 1
    assert con.execute("SELECT res_title FROM rr_resource WHERE ivoid = 'ivo://hostile.test/good'"
                       ).fetchone() == ("The good record",)
    assert con.execute("SELECT count(*) FROM rr_resource WHERE res_title LIKE '%broken%'"
                       ).fetchone()[0] == 0


def test_one_gigabyte_document_rejected_before_reading(samples_db, tmp_path):
    """A 1 GB file (sparse: a record's start, then holes) is refused for its size, at once."""
    path = tmp_path / "gigabyte.xml"
    head = make_resource("ivo://hostile.test/gigabyte", description="DESCRIPTIONMARK").split("DESCRIPTIONMARK")[0]
    with open(path, "wb") as f:
        f.write(head.encode())
        f.truncate(1 << 30)
    r = assert_hostile_rejected(samples_db, path, "1 GB document",
                                reason_pattern=r"size|large|big|limit|MiB|MB|bytes")
    print(f"\nhostile import 1 GB document: exit {r['rc']} in {r['elapsed'] * 1000:.0f} ms, "
          f"peak RSS {r['maxrss_kb'] // 1024} MB")
    assert r["elapsed"] < 2, f"size rejection should not read the file: {r['elapsed']:.1f} s"
