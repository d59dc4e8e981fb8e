"""Harvesting between real processes.

* Two `voreg serve` instances harvest each other (their schedulers, real HTTP on 127.0.0.1):
  B ends up with A's public records, content for content (OAI-PMH and RegTAP rows), none of
  A's internal records, and does not re-export them in its ivo_managed set; A refuses B's
  copies of its own records (authority rules) and counts them as conflicts.
* `voreg harvest` killed with SIGKILL in the middle of a harvest leaves a consistent store
  (integrity check, no partial page or record) and the next run completes.
"""

from __future__ import annotations

import http.server
import json
import signal
import sqlite3
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from lxml import etree

from conftest import (NS_OAI, NS_RI, REPO, SAMPLES, connect, describe, launch_serve, make_resource,
                      oai_list_records, run_voreg, voreg_path)
from test_oai_server import free_port, get, internal_identifiers

OAI = f"{{{NS_OAI}}}"


def list_records(base: str, **args) -> dict[str, etree._Element | None]:
    """identifier → record payload element (None for a deleted header), following tokens."""
    out: dict[str, etree._Element | None] = {}
    params = {"verb": "ListRecords", "metadataPrefix": "ivo_vor", **args}
    while True:
        _, body = get(base + "?" + urllib.parse.urlencode(params))
        doc = etree.fromstring(body)
        err = doc.find(f"{OAI}error")
        if err is not None:
            assert err.get("code") == "noRecordsMatch", body[:500]
            return out
        lr = doc.find(f"{OAI}ListRecords")
        for rec in lr.findall(f"{OAI}record"):
            header = rec.find(f"{OAI}header")
            ident = header.findtext(f"{OAI}identifier").strip()
            md = rec.find(f"{OAI}metadata")
            out[ident] = None if header.get("status") == "deleted" else md[0]
        token = lr.findtext(f"{OAI}resumptionToken")
        if not token:
            return out
        params = {"verb": "ListRecords", "resumptionToken": token}


def canonical(el) -> bytes:
    return etree.tostring(el, method="c14n", exclusive=True, with_comments=False)


def start_serve(tmp: Path, name: str, config: dict) -> tuple[subprocess.Popen, str, Path]:
    proc, base, log = launch_serve(tmp, name, {"listen": f"127.0.0.1:{free_port()}", **config})
    deadline = time.monotonic() + 30
    while True:
        if proc.poll() is not None:
            pytest.fail(f"{name} exited:\n{log.read_text()[-3000:]}")
        try:
            if get(base + "/oai?verb=Identify", timeout=2)[0] == 200:
                return proc, base, log
        except OSError:
            pass
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"{name} did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.1)


def status(base: str) -> dict:
    return json.loads(get(base + "/api/harvest/status")[1])


def wait_for(predicate, what: str, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = predicate()
        if v:
            return v
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def stop(proc: subprocess.Popen) -> int:
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        pytest.fail("voreg serve did not stop on SIGTERM")


def test_two_registries_harvest_each_other(tmp_path, voreg):
    harvest = {"interval": "1h", "retryAfterFailure": "1s", "retries": 1, "backoff": "0", "connectTimeout": 2}
    a_db, b_db = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    a_port_cfg = {"sampleRecords": str(SAMPLES), "pageSize": 3, "harvest": harvest}
    b_cfg = {"sampleRecords": "", "pageSize": 4, "registryIvoid": "ivo://b-registry.example/registry",
             "managedAuthorities": ["b-registry.example"], "title": "Registry B", "harvest": harvest}
    a, a_base, a_log = start_serve(tmp_path, "a", a_port_cfg)
    b = None
    try:
        b_port = free_port()
        b_cfg["listen"] = f"127.0.0.1:{b_port}"
        b_oai = f"http://127.0.0.1:{b_port}/oai"
        # Peers are added before B starts (B's store is created by `peers add`).
        cp = run_voreg("peers", "add", "--database", b_db, a_base + "/oai")
        assert cp.returncode == 0, describe(cp)
        cp = run_voreg("peers", "add", "--database", a_db, b_oai)
        assert cp.returncode == 0, describe(cp)
        b, b_base, b_log = start_serve(tmp_path, "b", b_cfg)
        assert b_base == f"http://127.0.0.1:{b_port}"

        peer_a = wait_for(lambda: next((p for p in status(b_base)["peers"] if p.get("last_success")), None),
                          "B's first harvest of A")
        assert peer_a["url"] == a_base + "/oai"
        assert "last_error" not in peer_a or peer_a["last_error"] is None

        # B serves A's public records with the same content.
        a_records = list_records(a_base + "/oai")
        b_records = list_records(b_base + "/oai")
        a_live = {k: v for k, v in a_records.items() if v is not None}
        assert len(a_live) >= 8
        for ident, el in a_live.items():
            assert ident in b_records, ident
            assert canonical(b_records[ident]) == canonical(el), ident
        assert peer_a["records_held"] == len(a_live)
        # None of A's internal records, anywhere in B.
        internal = internal_identifiers()
        assert internal
        assert not internal & {k.lower() for k in b_records}
        con = connect(b_db)
        held = {r[0] for r in con.execute("SELECT identifier FROM records")}
        assert not {i.lower() for i in internal} & {h.lower() for h in held}
        # RegTAP: the same rr rows in B as in A for every harvested record.
        acon = connect(a_db)
        for ident in a_live:
            key = ident.lower()
            for table in ("rr_resource", "rr_capability", "rr_interface", "rr_res_subject", "rr_res_detail"):
                rows_a = sorted(map(repr, acon.execute(f"SELECT * FROM {table} WHERE ivoid = ?", (key,))))
                rows_b = sorted(map(repr, con.execute(f"SELECT * FROM {table} WHERE ivoid = ?", (key,))))
                assert rows_a == rows_b, (table, ident)
        origins = {r[0] for r in con.execute("SELECT DISTINCT origin FROM records WHERE ivoid IN (%s)" %
                                             ",".join("?" * len(a_live)), [k.lower() for k in a_live])}
        assert origins == {a_base + "/oai"}
        # B's ivo_managed set: only B's own records.
        managed = list_records(b_base + "/oai", set="ivo_managed")
        assert managed and all(k.lower().startswith("ivo://b-registry.example") for k in managed)
        # Per-peer metrics.
        metrics = get(b_base + "/metrics")[1].decode()
        assert f'voreg_harvest_records_held{{peer="{a_base}/oai"}} {len(a_live)}' in metrics

        # A harvests B (which now re-exports A's records): A keeps its own and counts conflicts.
        before = {r[0]: r[1] for r in acon.execute("SELECT ivoid, content_hash FROM records")}
        cp = run_voreg("harvest", "--database", a_db, "--full", "--json", b_oai)
        assert cp.returncode == 0, describe(cp)
        report = json.loads(cp.stdout)
        assert report["counts"]["conflicts"] == len(a_live)
        assert report["counts"]["added"] == 2  # B's registry and authority records
        after = {r[0]: r[1] for r in acon.execute("SELECT ivoid, content_hash FROM records")}
        assert {k: v for k, v in after.items() if k in before} == before
        assert "ivo://b-registry.example/registry" in after
        peer_b = next(p for p in status(a_base)["peers"] if p["url"] == b_oai)
        assert peer_b["totals"]["conflicts"] >= len(a_live)
    finally:
        for p in (a, b):
            if p is not None:
                assert stop(p) == 0


class SlowPeer(http.server.ThreadingHTTPServer):
    """An OAI-PMH peer with `pages` pages of `per_page` records, each page served after `delay` s."""

    def __init__(self, pages: int, per_page: int, delay: float):
        self.pages, self.per_page, self.delay = pages, per_page, delay
        super().__init__(("127.0.0.1", 0), SlowPeerHandler)

    def page(self, n: int) -> bytes:
        items = []
        for i in range(n * self.per_page, (n + 1) * self.per_page):
            ident = f"ivo://slow.example/r{i:05d}"
            items.append((ident, "2025-01-01T00:00:00Z", make_resource(ident, f"Slow record {i}")))
        body = oai_list_records(items)
        token = f"<resumptionToken>p{n + 1}</resumptionToken>" if n + 1 < self.pages else "<resumptionToken/>"
        return body.replace("</ListRecords>", token + "</ListRecords>").encode()


class SlowPeerHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_GET(self):
        q = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(self.path).query))
        if q.get("verb") == "Identify":
            body = (f'<?xml version="1.0"?><OAI-PMH xmlns="{NS_OAI}"><responseDate>2025-01-01T00:00:00Z'
                    '</responseDate><request>x</request><Identify><repositoryName>slow</repositoryName>'
                    '<baseURL>x</baseURL><protocolVersion>2.0</protocolVersion><adminEmail>a@b.c</adminEmail>'
                    '<earliestDatestamp>2000-01-01T00:00:00Z</earliestDatestamp><deletedRecord>transient'
                    '</deletedRecord><granularity>YYYY-MM-DDThh:mm:ssZ</granularity></Identify></OAI-PMH>').encode()
        else:
            time.sleep(self.server.delay)
            token = q.get("resumptionToken", "p0")
            body = self.server.page(int(token[1:]))
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_kill_during_harvest_leaves_a_consistent_store(tmp_path, voreg):
    peer = SlowPeer(pages=30, per_page=20, delay=0.15)
    threading.Thread(target=peer.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{peer.server_address[1]}/oai"
    db = tmp_path / "kill.sqlite"
    try:
        proc = subprocess.Popen([str(voreg_path()), "harvest", "--database", str(db), url], cwd=str(REPO),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)

        def stored() -> int:
            if not db.exists():
                return 0
            try:
                con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
                try:
                    return con.execute("SELECT count(*) FROM records").fetchone()[0]
                finally:
                    con.close()
            except sqlite3.OperationalError:
                return 0

        wait_for(lambda: stored() >= 100, "the harvest to store 100 records", timeout=60)
        proc.send_signal(signal.SIGKILL)
        proc.wait()

        con = sqlite3.connect(str(db))
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        n = con.execute("SELECT count(*) FROM records").fetchone()[0]
        assert 100 <= n < 600
        assert n % 20 == 0, "a page is one transaction: no partial page"
        # No partial record: every active record has its rr and full-text rows, and nothing else has.
        assert con.execute("SELECT count(*) FROM records WHERE status = 'active'").fetchone()[0] == n
        assert con.execute("SELECT count(*) FROM rr_resource").fetchone()[0] == n
        assert con.execute("SELECT count(*) FROM rr_fts").fetchone()[0] == n
        assert con.execute("SELECT count(*) FROM rr_resource WHERE ivoid NOT IN (SELECT ivoid FROM records)"
                           ).fetchone()[0] == 0
        row = con.execute("SELECT running_pid, last_success FROM harvest_peers WHERE url = ?", (url,)).fetchone()
        assert row[0] == proc.pid and row[1] is None  # the dead harvest's lease, no success
        con.close()

        peer.delay = 0
        cp = run_voreg("harvest", "--database", db, "--json", url, timeout=120)
        assert cp.returncode == 0, describe(cp)
        report = json.loads(cp.stdout)
        assert report["mode"] == "full" and report["succeeded"]
        assert report["counts"]["added"] == 600 - n
        assert report["counts"]["unchanged"] == n
        con = sqlite3.connect(str(db))
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT count(*) FROM records WHERE status = 'active'").fetchone()[0] == 600
        assert con.execute("SELECT count(*) FROM rr_resource").fetchone()[0] == 600
        row = con.execute("SELECT running_pid, last_success FROM harvest_peers WHERE url = ?", (url,)).fetchone()
        assert row[0] is None and row[1] is not None
        con.close()
    finally:
        peer.shutdown()


def test_peers_commands(tmp_path, voreg):
    db = tmp_path / "p.sqlite"
    cp = run_voreg("peers", "add", "--database", db, "--set", "ivo_managed", "--interval", "6h",
                   "http://127.0.0.1:9/oai")
    assert cp.returncode == 0 and "added peer" in cp.stdout, describe(cp)
    cp = run_voreg("peers", "list", "--database", db, "--json")
    peers = json.loads(cp.stdout)
    assert [(p["url"], p["set"], p["interval"], p["scheduled"]) for p in peers] == [
        ("http://127.0.0.1:9/oai", "ivo_managed", 21600, True)]
    cp = run_voreg("harvest", "--database", db, "--retries", "0", "--connect-timeout", "1",
                   "http://127.0.0.1:9/oai")
    assert cp.returncode == 1 and "FAILED" in cp.stdout, describe(cp)
    cp = run_voreg("peers", "list", "--database", db)
    assert "last error" in cp.stdout and "records held   0" in cp.stdout, describe(cp)
    cp = run_voreg("peers", "remove", "--database", db, "http://127.0.0.1:9/oai")
    assert cp.returncode == 0, describe(cp)
    assert json.loads(run_voreg("peers", "list", "--database", db, "--json").stdout) == []
    cp = run_voreg("peers", "remove", "--database", db, "http://127.0.0.1:9/oai")
    assert cp.returncode == 1
