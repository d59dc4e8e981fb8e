#!/usr/bin/env python3
"""Crash safety of `voreg serve` (issue 9): SIGKILL at random moments while it harvests a
peer and takes publications, and check the store after every kill.

    .venv/bin/python scripts/crash-safety.py [--kills 20] [--seed 1] [--records 4000]
        [--first-start-kills 6] [--voreg .build/debug/voreg] [--report report.json] [--workdir DIR]

First, --first-start-kills times: a fresh store with the sample records, `voreg serve` killed
in its first 0.15 s (creating the schema, importing the samples, publishing its own records),
then restarted: the store must end up as an uninterrupted first start leaves it.

Set-up: a peer (`voreg serve` on a store of --records generated records, small OAI pages),
and the victim (`voreg serve` on its own store, the peer added with `voreg peers add`, a
publisher account). Then, --kills times: start the victim; a publisher thread PUTs and
DELETEs records of the victim's authority (remembering what the server acknowledged, and
what it sent without an answer), a second thread changes and deletes records on the peer
(so harvests have updates and deletions to carry); SIGKILL the victim at a random moment
(seeded: most 0.2-4 s after the start, some in its first 0.2 s); before restarting it,
check a copy of its files (database, -wal, -shm: the copy is opened by Python, the
original is left for the victim's own WAL recovery):

  * PRAGMA integrity_check is ok;
  * no record is half-written: every active record has exactly one rr_resource row and one
    rr_fts row (rowid = records.rid) whose titles are the title of the stored XML, and the
    rr rows of its capabilities, interfaces, tables and columns agree with that XML
    (conftest.compare_core); inactive and deleted records have no rr or FTS rows, deleted
    ones no XML; no rr row, FTS row, coverage cell or staged identifier belongs to nothing;
  * every publication acknowledged (2xx) before the kill is there as acknowledged (the
    acknowledged version, visibility, or the tombstone), or as a later version whose
    request was in flight when the process died.

After the last kill: restart, let the harvest catch up, and check that it completes (a
successful harvest that started after the peer's last change, lease released, staging
emptied) and that the victim holds exactly the peer's records (identifiers, status,
content), then stop it with SIGTERM and check the store once more.

Exit status 0 when every check passed; the report (JSON) has one entry per kill.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import sqlite3
import sys
import tempfile
import threading
import time
import urllib.error
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "integration"))

from lxml import etree  # noqa: E402

from conftest import (RR_TABLES, SAMPLES, compare_core, launch_serve, make_resource,  # noqa: E402
                      run_voreg, describe, write)
from test_harvest import start_serve, status  # noqa: E402
from test_oai_server import free_port, get  # noqa: E402
from test_publish import add_user, enc, login, request  # noqa: E402

PEER_AUTH = "crash-peer.example"
VICTIM_AUTH = "crash-victim.example"


class CheckFailed(AssertionError):
    pass


# ---------------------------------------------------------------------------- records

def record_xml(ident: str, title: str, n: int, *, updated: str = "2025-03-01T10:00:00Z") -> str:
    """A schema-valid vs:CatalogService with a capability, a coverage (every third record)
    and a table of two columns, so a record has rows in several rr tables."""
    coverage = ("\n  <coverage><spatial>3/%d 4/%d-%d</spatial><waveband>Optical</waveband></coverage>"
                % (n % 768, (n * 7) % 3000, (n * 7) % 3000 + 2)) if n % 3 == 0 else ""
    body = f"""
  <capability standardID="ivo://ivoa.net/std/TAP">
    <interface xsi:type="vs:ParamHTTP" role="std"><accessURL use="base">https://{PEER_AUTH}/tap/{n}</accessURL></interface>
  </capability>{coverage}
  <tableset><schema><name>s{n}</name>
    <table><name>s{n}.main</name><description>Table {n}</description>
      <column><name>ra</name><ucd>pos.eq.ra</ucd></column><column><name>dec</name><ucd>pos.eq.dec</ucd></column>
    </table></schema></tableset>"""
    return make_resource(ident, title, updated=updated, description=f"Crash-safety record {n}.", body=body)


def stamp(t: float | None = None) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t if t is not None else time.time() - 1))


# ---------------------------------------------------------------------------- publications

class Ledger:
    """What the publishers asked for, per identifier: the last acknowledged state, and the
    states sent since without an answer (each may or may not have been stored). A state is
    ("active", visibility, title) or ("deleted",); None = never stored."""

    def __init__(self):
        self.lock = threading.Lock()
        self.acked: dict[str, tuple | None] = {}
        self.pending: dict[str, list[tuple]] = {}
        self.acks = 0
        self.unanswered = 0

    def sent(self, ident: str, state: tuple):
        with self.lock:
            self.pending.setdefault(ident, []).append(state)

    def answered(self, ident: str, state: tuple, ok: bool):
        with self.lock:
            self.pending[ident].remove(state)
            if ok:
                self.acked[ident] = state
                self.pending[ident] = []  # what went before this answer is superseded
                self.acks += 1

    def unknown(self, ident: str):
        """The request got no answer: its state stays possible."""
        with self.lock:
            self.unanswered += 1

    def snapshot(self):
        with self.lock:
            return dict(self.acked), {k: list(v) for k, v in self.pending.items() if v}, self.acks


class Publisher(threading.Thread):
    """PUTs new versions of, and DELETEs, records under one authority, one request at a time;
    stops when `stop` is set. `ids`: identifier → visibility."""

    def __init__(self, base: str, token: str, ids: dict[str, str], ledger: Ledger, rng: random.Random,
                 stop: threading.Event, versions: dict[str, int], delete_share: float = 0.15, pause: float = 0):
        super().__init__(daemon=True)
        self.pause = pause
        self.base, self.token, self.ids, self.ledger, self.rng = base, token, ids, ledger, rng
        self.stop, self.versions, self.delete_share = stop, versions, delete_share
        self.requests = 0

    def run(self):
        idents = sorted(self.ids)
        while not self.stop.is_set():
            ident = self.rng.choice(idents)
            vis = self.ids[ident]
            url = f"{self.base}/api/records/{enc(ident)}"
            acked = self.ledger.acked.get(ident)
            if acked and acked[0] == "active" and self.rng.random() < self.delete_share:
                method, state, body = "DELETE", ("deleted",), None
            else:
                v = self.versions[ident] = self.versions.get(ident, 0) + 1
                title = f"Publication {ident.rsplit('/', 1)[1]} version {v}"
                method, state = "PUT", ("active", vis, title)
                body = record_xml(ident, title, v, updated=stamp()).encode()
                if vis == "internal":
                    url += "?visibility=internal"
            self.ledger.sent(ident, state)
            try:
                code, resp, _ = request(method, url, body, self.token, timeout=20)
            except ConnectionRefusedError:
                self.ledger.answered(ident, state, False)  # nothing reached the server
                time.sleep(0.05)
                continue
            except (OSError, urllib.error.URLError, ValueError) as e:
                if isinstance(getattr(e, "reason", None), ConnectionRefusedError):
                    self.ledger.answered(ident, state, False)
                    time.sleep(0.05)
                    continue
                self.ledger.unknown(ident)  # killed with the request in flight
                time.sleep(0.05)
                continue
            self.requests += 1
            if method == "DELETE" and code == 404:
                self.ledger.answered(ident, state, True)  # already a tombstone: the same state
            elif 200 <= code < 300:
                self.ledger.answered(ident, state, True)
            else:
                self.ledger.answered(ident, state, False)
                if code not in (401, 503):
                    print(f"publisher: {method} {ident} -> {code} {resp[:300]!r}", file=sys.stderr)
                time.sleep(0.1)
            if self.pause:
                self.stop.wait(self.pause)


# ---------------------------------------------------------------------------- the store checks

def copy_store(db: Path, dest: Path) -> Path:
    """Copy the database with its -wal and -shm as the killed process left them."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for suffix in ("", "-wal", "-shm"):
        src = Path(str(db) + suffix)
        if src.exists():
            shutil.copyfile(src, dest / (db.name + suffix))
    return dest / db.name


def check_store(db: Path, ledger: Ledger | None, *, deep: bool = True) -> dict:
    """The checks on a store (a copy: opening it may recover the WAL). Raises CheckFailed."""
    con = sqlite3.connect(str(db), timeout=30)
    problems: list[str] = []
    facts: dict = {}
    try:
        ic = [r[0] for r in con.execute("PRAGMA integrity_check")]
        facts["integrity_check"] = ic[0] if len(ic) == 1 else ic[:10]
        if ic != ["ok"]:
            problems.append(f"integrity_check: {ic[:10]}")
        fk = con.execute("PRAGMA foreign_key_check").fetchall()
        if fk:
            problems.append(f"foreign_key_check: {fk[:10]}")
        rows = con.execute("SELECT rid, ivoid, status, xml, visibility, origin FROM records").fetchall()
        recs = {r[1]: r for r in rows}
        active = {r[1]: r[0] for r in rows if r[2] == "active"}
        facts["records"] = len(rows)
        facts["active"] = len(active)
        for r in rows:
            if r[2] == "deleted" and r[3] is not None:
                problems.append(f"{r[1]}: tombstone with XML")
            if r[2] != "deleted" and r[3] is None:
                problems.append(f"{r[1]}: {r[2]} record without XML")
        # rr rows: only of active records; one rr_resource row per active record.
        for t in RR_TABLES:
            orphans = con.execute(
                f"SELECT DISTINCT ivoid FROM rr_{t} WHERE ivoid NOT IN "
                "(SELECT ivoid FROM records WHERE status = 'active') LIMIT 5").fetchall()
            if orphans:
                problems.append(f"rr_{t} rows of records that are not active: {[o[0] for o in orphans]}")
        per = dict(con.execute("SELECT ivoid, count(*) FROM rr_resource GROUP BY ivoid"))
        missing = [i for i in active if per.get(i) != 1]
        if missing:
            problems.append(f"{len(missing)} active records without exactly one rr_resource row: {missing[:5]}")
        # FTS: one row per active record, rowid = rid, same title as rr_resource and the XML.
        fts = dict(con.execute("SELECT rowid, title FROM rr_fts"))
        if set(fts) != set(active.values()):
            extra = set(fts) - set(active.values())
            lacking = set(active.values()) - set(fts)
            problems.append(f"rr_fts rowids differ from the active rids: {len(extra)} extra, {len(lacking)} missing")
        titles = dict(con.execute("SELECT ivoid, res_title FROM rr_resource"))
        # Coverage cells: of rr_stc_spatial rows only; the r-tree holds exactly the cells.
        bad_cells = con.execute("SELECT count(*) FROM rr_stc_cell WHERE ivoid NOT IN "
                                "(SELECT ivoid FROM rr_stc_spatial)").fetchone()[0]
        if bad_cells:
            problems.append(f"{bad_cells} rr_stc_cell rows without an rr_stc_spatial row")
        cells = {r[0] for r in con.execute("SELECT id FROM rr_stc_cell")}
        rtree = {r[0] for r in con.execute("SELECT id FROM rr_stc_cell_rtree")}
        if cells != rtree:
            problems.append(f"rr_stc_cell_rtree ({len(rtree)}) and rr_stc_cell ({len(cells)}) differ")
        facts["stc_cells"] = len(cells)
        # Staging: of existing peers only.
        staged = con.execute("SELECT count(*) FROM harvest_staged WHERE peer_id NOT IN "
                             "(SELECT id FROM harvest_peers)").fetchone()[0]
        if staged:
            problems.append(f"{staged} staged identifiers of no peer")
        facts["staged"] = con.execute("SELECT count(*) FROM harvest_staged").fetchone()[0]
        # Each active record: rr rows and FTS of the stored XML's version.
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        checked = 0
        for ivoid, rid in active.items():
            xml = recs[ivoid][3]
            try:
                res = etree.fromstring(xml.encode("utf-8"), parser)
            except etree.XMLSyntaxError as e:
                problems.append(f"{ivoid}: stored XML does not parse: {e}")
                continue
            title = (res.findtext("title") or "").strip()
            if titles.get(ivoid) != title:
                problems.append(f"{ivoid}: rr_resource title {titles.get(ivoid)!r} != XML title {title!r}")
            if rid in fts and (fts[rid] or "").strip() != title:
                problems.append(f"{ivoid}: rr_fts title {fts[rid]!r} != XML title {title!r}")
            if deep:
                problems.extend(compare_core(con, res))
            checked += 1
        facts["records_checked"] = checked
        facts["peer_records"] = con.execute(
            "SELECT count(*) FROM records WHERE origin != 'local' AND status = 'active'").fetchone()[0]
        peer = con.execute("SELECT running_pid, last_mode, last_success, staged_full_start, harvests "
                           "FROM harvest_peers").fetchone()
        if peer:
            facts["harvest"] = dict(zip(("running_pid", "last_mode", "last_success", "staged_full_start",
                                         "harvests"), peer))
        # Publications.
        if ledger is not None:
            acked, pending, n_acks = ledger.snapshot()
            facts["acknowledged_requests"] = n_acks
            facts["publications_checked"] = 0
            in_flight = 0
            for ident, state in acked.items():
                r = recs.get(ident.lower())
                got = None if r is None else (("deleted",) if r[2] == "deleted" else
                                              (r[2], r[4], titles.get(ident.lower())))
                allowed = [state, *pending.get(ident, [])]
                if got not in allowed:
                    problems.append(f"publication {ident}: stored {got}, acknowledged {state}"
                                    + (f", in flight {pending[ident]}" if ident in pending else ""))
                elif got != state:
                    in_flight += 1
                facts["publications_checked"] += 1
            facts["stored_in_flight"] = in_flight
            for ident, states in pending.items():
                if ident in acked:
                    continue
                r = recs.get(ident.lower())
                got = None if r is None else (("deleted",) if r[2] == "deleted" else
                                              (r[2], r[4], titles.get(ident.lower())))
                if got not in [None, *states]:
                    problems.append(f"publication {ident}: stored {got}, never acknowledged, sent {states}")
    finally:
        con.close()
    if problems:
        raise CheckFailed("\n".join(problems[:40]) + (f"\n... {len(problems)} problems" if len(problems) > 40 else ""))
    return facts


def peer_state(db: Path) -> dict[str, tuple]:
    """ivoid → (status, title, updated) of the peer's own records (public, local)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        out = {}
        for ivoid, st, xml, upd in con.execute(
                "SELECT ivoid, status, xml, updated FROM records WHERE origin = 'local' AND visibility = 'public' "
                "AND ivoid LIKE ?", (f"ivo://{PEER_AUTH}/rec/%",)):
            title = None if xml is None else etree.fromstring(xml.encode()).findtext("title")
            out[ivoid] = (st, title, upd if st != "deleted" else None)
        return out
    finally:
        con.close()


def victim_copy_of_peer(db: Path, origin: str) -> dict[str, tuple]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        out = {}
        for ivoid, st, xml, upd in con.execute(
                "SELECT ivoid, status, xml, updated FROM records WHERE origin = ? AND ivoid LIKE ?",
                (origin, f"ivo://{PEER_AUTH}/rec/%")):
            title = None if xml is None else etree.fromstring(xml.encode()).findtext("title")
            out[ivoid] = (st, title, upd if st != "deleted" else None)
        return out
    finally:
        con.close()


# ---------------------------------------------------------------------------- the run

def record_counts(db: Path) -> list:
    con = sqlite3.connect(str(db), timeout=30)
    try:
        return con.execute("SELECT visibility, origin, status, count(*) FROM records GROUP BY 1, 2, 3").fetchall()
    finally:
        con.close()


def first_start_kills(work: Path, n: int, rng: random.Random, failures: list[str]) -> list[dict]:
    """Kills during a first start (store created, sample records imported, own records
    published): after a restart the store must be what an uninterrupted first start makes."""
    port = free_port()
    cfg = {"listen": f"127.0.0.1:{port}", "sampleRecords": str(SAMPLES), "harvest": {"enabled": False}}
    proc, base, _ = launch_serve(work, "first-ref", cfg)
    try:
        wait_answering(base, proc)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    want = record_counts(work / "first-ref.sqlite")
    con = sqlite3.connect(str(work / "first-ref.sqlite"))
    migrations = con.execute("SELECT count(*) FROM grdb_migrations").fetchone()[0]
    con.close()
    out = []
    for i in range(1, n + 1):
        db = work / f"first-{i}.sqlite"
        delay = rng.uniform(0.01, 0.15)
        rd = {"kill": i, "delay": round(delay, 3)}
        proc, base, _ = launch_serve(work, "first", {**cfg, "database": str(db)}, append_log=True)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        try:
            if not db.exists():
                rd["left"] = "no database file"
            else:
                copy = copy_store(db, work / "check")
                con = sqlite3.connect(str(copy))
                ic = [r[0] for r in con.execute("PRAGMA integrity_check")]
                has = con.execute("SELECT count(*) FROM sqlite_master WHERE name = 'grdb_migrations'").fetchone()[0]
                done = con.execute("SELECT count(*) FROM grdb_migrations").fetchone()[0] if has else 0
                con.close()
                if ic != ["ok"]:
                    raise CheckFailed(f"integrity_check: {ic[:10]}")
                if done < migrations:
                    rd["left"] = f"{done} of {migrations} migrations"
                else:
                    rd["left"] = f"{check_store(copy, None)['records']} records"
            t0 = time.monotonic()
            proc, base, _ = launch_serve(work, "first", {**cfg, "database": str(db)}, append_log=True)
            rd["restart_answering_after"] = round(wait_answering(base, proc), 3)
            proc.send_signal(signal.SIGTERM)
            if proc.wait(timeout=30) != 0:
                raise CheckFailed(f"exit status {proc.returncode} after SIGTERM")
            rd["restart_seconds"] = round(time.monotonic() - t0, 3)
            got = record_counts(db)
            if got != want:
                raise CheckFailed(f"after the restart the store holds {got}, an uninterrupted first start {want}")
            check_store(copy_store(db, work / "check"), None)
            rd["checks"] = "passed"
        except (CheckFailed, sqlite3.Error) as e:
            rd["checks"] = f"FAILED: {e}"
            failures.append(f"first start, kill {i}: {e}")
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        out.append(rd)
        print(json.dumps({"first_start": rd}), file=sys.stderr, flush=True)
    return out


def wait_answering(base: str, proc, timeout: float = 60) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if proc.poll() is not None:
            raise CheckFailed(f"the server exited with {proc.returncode}")
        try:
            if get(base + "/oai?verb=Identify", timeout=2)[0] == 200:
                return time.monotonic() - t0
        except OSError:
            pass
        time.sleep(0.02)
    raise CheckFailed(f"{base} did not answer in {timeout} s")


def run(args, report: dict) -> dict:
    rng = random.Random(args.seed)
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="voreg-crash-"))
    work.mkdir(parents=True, exist_ok=True)
    t_start = time.monotonic()
    report.update({"seed": args.seed, "kills": args.kills, "records": args.records, "page_size": args.page_size,
                   "delay": [args.min_delay, args.max_delay], "workdir": str(work), "rounds": []})
    failures: list[str] = []
    report["failures"] = failures

    # The peer: generated records, small pages, a publisher for the mutator.
    rec_dir = work / "peer-records"
    for n in range(args.records):
        ident = f"ivo://{PEER_AUTH}/rec/{n:05d}"
        write(rec_dir / f"r{n:05d}.xml", record_xml(ident, f"Peer record {n} version 0", n))
    peer_db = work / "peer.sqlite"
    cp = run_voreg("import", "--database", peer_db, rec_dir, timeout=600)
    if cp.returncode != 0:
        raise CheckFailed(describe(cp))
    add_user(peer_db, "peeradmin", f"ivo://{PEER_AUTH}")
    peer_cfg = {"sampleRecords": "", "pageSize": args.page_size, "registryIvoid": f"ivo://{PEER_AUTH}/registry",
                "managedAuthorities": [PEER_AUTH], "title": "Crash peer", "harvest": {"enabled": False}}
    peer, peer_base, _ = start_serve(work, "peer", peer_cfg)
    peer_oai = peer_base + "/oai"
    report["setup_seconds"] = {"peer": round(time.monotonic() - t_start, 1)}

    proc = None
    try:
        # The victim: its store, a publisher account, a token (logged in once; tokens are stored).
        victim_db = work / "victim.sqlite"
        add_user(victim_db, "pub", f"ivo://{VICTIM_AUTH}")
        port = free_port()
        victim_cfg = {"listen": f"127.0.0.1:{port}", "database": str(victim_db), "sampleRecords": "",
                      "registryIvoid": f"ivo://{VICTIM_AUTH}/registry", "managedAuthorities": [VICTIM_AUTH],
                      "title": "Crash victim", "pageSize": 100,
                      "harvest": {"enabled": False}}
        proc, base, vlog = launch_serve(work, "victim", victim_cfg)
        wait_answering(base, proc)
        st, tok = login(base, "pub")
        if st != 200:
            raise CheckFailed(f"login: {st} {tok}")
        token = tok["token"]
        st, tok = login(peer_base, "peeradmin")
        peer_token = tok["token"]
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        cp = run_voreg("peers", "add", "--database", victim_db, peer_oai)
        if cp.returncode != 0:
            raise CheckFailed(describe(cp))
        victim_cfg["harvest"] = {"interval": args.interval, "jitter": 0, "overlap": "0", "fullInterval": args.full_interval,
                                 "retryAfterFailure": "1s", "retries": 2, "backoff": "0.2", "connectTimeout": 2}
        report["setup_seconds"]["total"] = round(time.monotonic() - t_start, 1)

    except BaseException:
        for p in (proc, peer):
            if p is not None and p.poll() is None:
                p.kill()
                p.wait()
        raise

    ledger = Ledger()
    pub_ids = {f"ivo://{VICTIM_AUTH}/pub/{i:03d}": ("internal" if i % 5 == 4 else "public")
               for i in range(args.publications)}
    versions: dict[str, int] = {}
    peer_ledger = Ledger()
    peer_ids = {f"ivo://{PEER_AUTH}/rec/{n:05d}": "public" for n in range(0, args.records, 7)}
    peer_versions: dict[str, int] = {}
    last_peer_change = 0.0
    try:
        report["first_start"] = first_start_kills(work, args.first_start_kills, rng, failures)
        for k in range(1, args.kills + 1):
            # Most kills while it runs; some while it starts (store opened, own records written).
            early = rng.random() < args.early_share
            delay = rng.uniform(0.01, 0.2) if early else rng.uniform(args.min_delay, args.max_delay)
            rd: dict = {"kill": k, "delay": round(delay, 3)}
            acks_before = ledger.snapshot()[2]
            t0 = time.monotonic()
            proc, _, _ = launch_serve(work, "victim", victim_cfg, append_log=True)
            stop = threading.Event()
            pubs = Publisher(base, token, pub_ids, ledger, random.Random(rng.random()), stop, versions)
            mut = Publisher(peer_base, peer_token, peer_ids, peer_ledger, random.Random(rng.random()), stop,
                            peer_versions, delete_share=0.2, pause=args.peer_change_every)
            pubs.start()
            mut.start()
            answered = None
            while time.monotonic() - t0 < delay:
                if answered is None:
                    try:
                        if get(base + "/oai?verb=Identify", timeout=0.5)[0] == 200:
                            answered = time.monotonic() - t0
                    except OSError:
                        pass
                time.sleep(0.01)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            rd["killed_at"] = round(time.monotonic() - t0, 3)
            rd["was_answering"] = answered is not None
            if answered is not None:
                rd["answering_after"] = round(answered, 3)
            stop.set()
            pubs.join(30)
            mut.join(30)
            last_peer_change = time.time()
            rd["acks_this_run"] = ledger.snapshot()[2] - acks_before
            c0 = time.monotonic()
            copy = copy_store(victim_db, work / "check")
            try:
                facts = check_store(copy, ledger, deep=True)
                rd.update(facts)
                rd["mid_harvest"] = facts.get("harvest", {}).get("running_pid") == proc.pid
                rd["checks"] = "passed"
            except (CheckFailed, sqlite3.Error) as e:
                rd["checks"] = f"FAILED: {e}"
                failures.append(f"kill {k}: {e}")
                shutil.copytree(work / "check", work / f"failed-kill-{k}", dirs_exist_ok=True)
            rd["check_seconds"] = round(time.monotonic() - c0, 2)
            report["rounds"].append(rd)
            print(json.dumps(rd), file=sys.stderr, flush=True)
            if failures and args.stop_on_failure:
                break

        # Recovery: restart, the harvest catches up and completes, the victim holds the peer's records.
        t0 = time.monotonic()
        proc, _, _ = launch_serve(work, "victim", victim_cfg, append_log=True)
        final: dict = {}
        final["answering_after"] = round(wait_answering(base, proc), 3)
        want = peer_state(peer_db)
        deadline = time.monotonic() + args.final_timeout
        p = None
        while time.monotonic() < deadline:
            s = status(base)
            p = next((x for x in s["peers"] if x["url"] == peer_oai), None)
            if p and p.get("last_success") and p["last_success"] > last_peer_change and not s["running"]:
                break
            time.sleep(0.2)
        else:
            raise CheckFailed(f"the harvest did not complete in {args.final_timeout} s: {p}")
        final["harvest_completed_after"] = round(time.monotonic() - t0, 2)
        final["peer_status"] = {k: p.get(k) for k in ("last_mode", "last_success", "last_error", "harvests",
                                                      "failures", "records_held", "running_since")}
        if p.get("running_since") is not None:
            failures.append(f"final: the lease is still held: {p}")
        got = victim_copy_of_peer(victim_db, peer_oai)
        want_live = {k: v for k, v in want.items() if v[0] != "deleted"}
        got_live = {k: v for k, v in got.items() if v[0] != "deleted"}
        final["peer_records"] = len(want_live)
        final["victim_copies"] = len(got_live)
        if got_live != want_live:
            diff = sorted(set(want_live.items()) ^ set(got_live.items()))[:10]
            failures.append(f"final: the victim's copy differs from the peer ({len(want_live)} vs "
                            f"{len(got_live)}): {diff}")
        for ident, (st_, _, _) in want.items():
            if st_ == "deleted" and ident in got_live:
                failures.append(f"final: {ident} deleted at the peer, active in the victim")
        final["publications"] = len(ledger.acked)
        proc.send_signal(signal.SIGTERM)
        final["exit_status"] = proc.wait(timeout=60)
        if final["exit_status"] != 0:
            failures.append(f"final: exit status {final['exit_status']} after SIGTERM")
        try:
            facts = check_store(copy_store(victim_db, work / "check"), ledger, deep=True)
            facts["staged_for_peer"] = facts.get("staged")
            if facts["staged"]:
                failures.append(f"final: {facts['staged']} staged identifiers left after a completed harvest")
            final["store"] = facts
        except CheckFailed as e:
            failures.append(f"final: {e}")
        report["final"] = final
        report["peer_changes_acknowledged"] = peer_ledger.snapshot()[2]
        report["publications_acknowledged"] = ledger.snapshot()[2]
        report["unanswered_requests"] = ledger.unanswered
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        peer.send_signal(signal.SIGTERM)
        try:
            peer.wait(timeout=30)
        except Exception:
            peer.kill()
    report["failures"] = failures
    report["seconds"] = round(time.monotonic() - t_start, 1)
    rounds = report["rounds"]
    report["summary"] = {
        "kills": len(rounds),
        "first_start_kills": len(report.get("first_start", [])),
        "first_start_checks_passed": sum(r["checks"] == "passed" for r in report.get("first_start", [])),
        "checks_passed": sum(r["checks"] == "passed" for r in rounds),
        "killed_mid_harvest": sum(bool(r.get("mid_harvest")) for r in rounds),
        "killed_before_answering": sum(not r["was_answering"] for r in rounds),
        "acknowledged_publications_checked": sum(r.get("publications_checked", 0) for r in rounds),
    }
    if not args.keep and not failures:
        shutil.rmtree(work, ignore_errors=True)
    return report


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--records", type=int, default=4000, help="records of the peer")
    ap.add_argument("--page-size", type=int, default=25, help="the peer's OAI-PMH page size")
    ap.add_argument("--publications", type=int, default=40, help="identifiers the publisher writes")
    ap.add_argument("--min-delay", type=float, default=0.2, help="earliest kill, seconds after start")
    ap.add_argument("--max-delay", type=float, default=4.0, help="latest kill, seconds after start")
    ap.add_argument("--early-share", type=float, default=0.15, help="share of kills in the first 0.2 s")
    ap.add_argument("--first-start-kills", type=int, default=6,
                    help="kills during the first start of a fresh store with sample records")
    ap.add_argument("--interval", default="1s", help="the victim's harvest interval")
    ap.add_argument("--full-interval", default="6s", help="the victim's full-harvest interval")
    ap.add_argument("--peer-change-every", type=float, default=0.3, help="seconds between changes at the peer")
    ap.add_argument("--final-timeout", type=float, default=120)
    ap.add_argument("--workdir", help="keep the files here (default: a temporary directory)")
    ap.add_argument("--keep", action="store_true", help="keep the work directory even when all checks pass")
    ap.add_argument("--stop-on-failure", action="store_true")
    ap.add_argument("--voreg", help="the voreg executable (default: $VOREG or .build/debug/voreg)")
    ap.add_argument("--report", help="write the JSON report here")
    args = ap.parse_args(argv)
    if args.voreg:
        import os
        os.environ["VOREG"] = str(Path(args.voreg).resolve())
    report: dict = {}
    try:
        run(args, report)
    except Exception:
        import traceback
        report.setdefault("failures", []).append("the run stopped: " + traceback.format_exc())
        report.setdefault("summary", {})
        report.setdefault("seconds", None)
    text = json.dumps(report, indent=1)
    if args.report:
        Path(args.report).write_text(text)
    print(json.dumps({"summary": report.get("summary"), "final": report.get("final"),
                      "failures": report.get("failures"), "seconds": report.get("seconds")}, indent=1))
    return 1 if report["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
