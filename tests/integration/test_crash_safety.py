"""Crash safety (issue 9): `voreg serve`, harvesting a peer and taking publications, killed
with SIGKILL at 20 random moments; after each kill the store is consistent (integrity check,
no half-written record: records, rr and FTS rows agree) and holds every acknowledged
publication; after the last restart the harvest completes and the victim holds exactly the
peer's records. The work is done by scripts/crash-safety.py (run it by hand with more kills:
`--kills 200 --seed 7`); this test runs it with a fixed seed and reads its report.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sqlite3
import subprocess
import sys

import pytest

from conftest import REPO, describe, run_voreg, voreg_path, write

SCRIPT = REPO / "scripts" / "crash-safety.py"


def test_sigkill_at_random_moments(tmp_path, voreg):
    report_path = tmp_path / "report.json"
    cmd = [sys.executable, str(SCRIPT), "--kills", "20", "--seed", os.environ.get("CRASH_SEED", "1"),
           "--voreg", str(voreg_path()), "--workdir", str(tmp_path / "work"), "--report", str(report_path)]
    cp = subprocess.run(cmd, capture_output=True, text=True, timeout=900, cwd=str(REPO))
    assert report_path.exists(), f"no report\nstdout:\n{cp.stdout[-3000:]}\nstderr:\n{cp.stderr[-6000:]}"
    report = json.loads(report_path.read_text())
    assert cp.returncode == 0 and not report["failures"], (
        "\n".join(report["failures"]) + f"\nstderr:\n{cp.stderr[-4000:]}")
    s = report["summary"]
    assert s["kills"] == 20 and s["checks_passed"] == 20
    # The kills hit the interesting moments: during harvests, and with publications acknowledged.
    assert s["killed_mid_harvest"] >= 3, s
    assert report["publications_acknowledged"] >= 20, report["publications_acknowledged"]
    final = report["final"]
    assert final["victim_copies"] == final["peer_records"] > 0
    assert final["exit_status"] == 0


def load_script():
    spec = importlib.util.spec_from_file_location("crash_safety", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("damage, expect", [
    ("DELETE FROM rr_capability WHERE rowid = (SELECT min(rowid) FROM rr_capability)", "capability standard_ids"),
    ("DELETE FROM rr_fts WHERE rowid = (SELECT max(rowid) FROM rr_fts)", "rr_fts rowids"),
    ("UPDATE records SET xml = replace(xml, 'version 0', 'version 9') WHERE rid = 1", "title"),
    ("UPDATE records SET status = 'deleted', xml = NULL WHERE rid = 2", "not active"),
    ("DELETE FROM records WHERE rid = 3", "not active"),
    ("DELETE FROM rr_stc_cell WHERE rowid = (SELECT min(rowid) FROM rr_stc_cell)", "rr_stc_cell_rtree"),
], ids=["rr-row", "fts-row", "xml-version", "tombstone-with-rr", "records-row", "coverage-cell"])
def test_the_checks_see_a_half_written_record(tmp_path, voreg, damage, expect):
    """The store checks of the crash script are not vacuous: each kind of damage is reported."""
    cs = load_script()
    src = tmp_path / "recs"
    for n in range(6):
        ident = f"ivo://{cs.PEER_AUTH}/rec/{n:05d}"
        write(src / f"r{n}.xml", cs.record_xml(ident, f"Peer record {n} version 0", n))
    db = tmp_path / "s.sqlite"
    cp = run_voreg("import", "--database", db, src)
    assert cp.returncode == 0, describe(cp)
    assert cs.check_store(db, None)["active"] == 6
    con = sqlite3.connect(str(db))
    con.execute(damage)
    con.commit()
    con.close()
    with pytest.raises(cs.CheckFailed, match=expect):
        cs.check_store(db, None)


def test_the_checks_see_a_lost_publication(tmp_path, voreg):
    cs = load_script()
    db = tmp_path / "s.sqlite"
    ident = f"ivo://{cs.VICTIM_AUTH}/pub/000"
    write(tmp_path / "p.xml", cs.record_xml(ident, "Publication 000 version 1", 1))
    cp = run_voreg("import", "--database", db, tmp_path / "p.xml")
    assert cp.returncode == 0, describe(cp)
    ledger = cs.Ledger()
    for state in [("active", "public", "Publication 000 version 1"), ("active", "public", "Publication 000 version 2")]:
        ledger.sent(ident, state)
        ledger.answered(ident, state, True)
    with pytest.raises(cs.CheckFailed, match="acknowledged"):
        cs.check_store(db, ledger)
    # The version in flight when the process died may be the one stored.
    ledger.sent(ident, ("deleted",))
    ledger.unknown(ident)
    with pytest.raises(cs.CheckFailed):
        cs.check_store(db, ledger)
    ledger2 = cs.Ledger()
    ledger2.sent(ident, ("active", "public", "Publication 000 version 0"))
    ledger2.answered(ident, ("active", "public", "Publication 000 version 0"), True)
    ledger2.sent(ident, ("active", "public", "Publication 000 version 1"))
    ledger2.unknown(ident)
    assert cs.check_store(db, ledger2)["stored_in_flight"] == 1
