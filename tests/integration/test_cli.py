"""Command-line behaviour: error exits and validate's report format."""

from __future__ import annotations

import re

from conftest import SAMPLES, connect, describe, import_json, make_resource, run_voreg, write

INVALID_LINE = re.compile(r"^(?P<ivoid>[^\t]*)\tINVALID\t(?P<file>.+?):(?P<line>\d+): (?P<msg>.+)$")


def test_import_missing_path(tmp_path, voreg):
    missing = tmp_path / "does-not-exist.xml"
    db = tmp_path / "m.sqlite"
    cp = run_voreg("import", "--database", db, missing)
    assert cp.returncode != 0, describe(cp)
    out = cp.stderr + cp.stdout
    assert "does-not-exist.xml" in out, describe(cp)
    if db.exists():
        con = connect(db)
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
        if "records" in names:
            assert con.execute("SELECT count(*) FROM records").fetchone()[0] == 0


def test_import_missing_path_among_good_ones(tmp_path, voreg):
    """A missing path is an error even when other paths are fine."""
    db = tmp_path / "m2.sqlite"
    cp = run_voreg("import", "--database", db, SAMPLES / "tap.xml", tmp_path / "nope.xml")
    assert cp.returncode != 0, describe(cp)
    assert "nope.xml" in cp.stderr + cp.stdout, describe(cp)


def _invalid_lines(cp):
    lines = [ln for ln in cp.stdout.splitlines() if ln.strip()]
    return [INVALID_LINE.match(ln) for ln in lines], lines


def test_validate_schema_error_reports_line(tmp_path, voreg):
    src = (SAMPLES / "tap.xml").read_text(encoding="utf-8").splitlines(keepends=True)
    pos = next(i for i, ln in enumerate(src) if "<shortName>" in ln)
    src.insert(pos + 1, "  <bogusElement>not allowed here</bogusElement>\n")
    bad_line = pos + 2  # 1-based line of the inserted element
    f = write(tmp_path / "bad-schema.xml", "".join(src))
    cp = run_voreg("validate", f)
    assert cp.returncode == 1, describe(cp)
    matches, lines = _invalid_lines(cp)
    assert len(lines) == 1 and matches[0], describe(cp)
    m = matches[0]
    assert m["ivoid"].lower() == "ivo://example-dc.org/tap", describe(cp)
    assert m["file"].endswith("bad-schema.xml"), describe(cp)
    assert int(m["line"]) == bad_line, f"expected line {bad_line}\n{describe(cp)}"
    assert "bogusElement" in m["msg"], describe(cp)


def test_validate_not_well_formed_reports_line(tmp_path, voreg):
    xml = make_resource("ivo://cli.test/broken").splitlines(keepends=True)
    pos = next(i for i, ln in enumerate(xml) if "<title>" in ln)
    xml[pos] = "  <title>Broken</titel>\n"
    f = write(tmp_path / "broken.xml", "".join(xml))
    cp = run_voreg("validate", f)
    assert cp.returncode == 1, describe(cp)
    assert "\tINVALID\t" in cp.stdout, describe(cp)
    line = next(ln for ln in cp.stdout.splitlines() if "\tINVALID\t" in ln)
    m = re.search(r"broken\.xml:(\d+): ", line)
    assert m, describe(cp)
    assert int(m.group(1)) == pos + 1, f"expected line {pos + 1}\n{describe(cp)}"


def test_validate_mixed_valid_and_invalid(tmp_path, voreg):
    good = write(tmp_path / "good.xml", make_resource("ivo://cli.test/good"))
    bad = write(tmp_path / "bad.xml",
                make_resource("ivo://cli.test/bad").replace("<curation>", "<curation><oops/>"))
    cp = run_voreg("validate", good, bad)
    assert cp.returncode == 1, describe(cp)
    verdicts = {ln.split("\t")[0]: ln.split("\t")[1] for ln in cp.stdout.splitlines() if ln}
    assert verdicts == {"ivo://cli.test/good": "VALID", "ivo://cli.test/bad": "INVALID"}, \
        describe(cp)
    cp = run_voreg("validate", good)
    assert cp.returncode == 0, describe(cp)


def test_validate_missing_file(tmp_path, voreg):
    cp = run_voreg("validate", tmp_path / "absent.xml")
    assert cp.returncode != 0, describe(cp)
    assert "absent.xml" in cp.stdout + cp.stderr, describe(cp)


def test_validate_without_schemas_fails(tmp_path, voreg):
    """No schemas: an error, never a VALID verdict."""
    empty = tmp_path / "no-schemas"
    empty.mkdir()
    cp = run_voreg("validate", "--schemas", empty, SAMPLES / "tap.xml")
    assert cp.returncode != 0, describe(cp)
    assert "\tVALID" not in cp.stdout, describe(cp)
    assert (cp.stderr + cp.stdout).strip(), describe(cp)


def test_import_json_rejection_has_all_keys(tmp_path, voreg):
    """--json rejections are objects {file, index, ivoid, reason} (index/ivoid may be null)."""
    f = write(tmp_path / "broken.xml", "<ri:Resource xmlns:ri='x'><title>unterminated")
    s = import_json(tmp_path / "j.sqlite", f)
    assert s["rejected"] == 1 and len(s["rejections"]) == 1, s
    for key in ("read", "stored", "unchanged", "deleted", "rejected"):
        assert isinstance(s[key], int), (key, s)
    rej = s["rejections"][0]
    missing = {"file", "index", "ivoid", "reason"} - set(rej)
    assert not missing, f"rejection object lacks keys {sorted(missing)}: {rej}"
