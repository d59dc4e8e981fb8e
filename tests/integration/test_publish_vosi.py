"""The capability publisher: `voreg publish --from-vosi` against a small VOSI service the test
starts, and `voreg serve` keeping the record fresh and recording the service's availability."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import describe, run_voreg
from test_oai_server import free_port, start_server

NS = ('xmlns:vr="http://www.ivoa.net/xml/VOResource/v1.0" xmlns:vs="http://www.ivoa.net/xml/VODataService/v1.1" '
      'xmlns:tr="http://www.ivoa.net/xml/TAPRegExt/v1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"')


class FakeVOSI:
    def __init__(self):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/tap"
        self.table = "survey.frames"
        self.up = True
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                if not fake.up:
                    self.send_response(503)
                    self.end_headers()
                    return
                if self.path == "/tap/capabilities":
                    body = fake.capabilities()
                elif self.path == "/tap/tables":
                    body = fake.tables()
                else:
                    self.send_response(404)
                    self.end_headers()
                    return
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def capabilities(self) -> str:
        b = self.base
        return f"""<?xml version="1.0"?>
<vosi:capabilities xmlns:vosi="http://www.ivoa.net/xml/VOSICapabilities/v1.0" {NS}>
  <capability standardID="ivo://ivoa.net/std/TAP" xsi:type="tr:TableAccess">
    <interface xsi:type="vs:ParamHTTP" role="std" version="1.1"><accessURL use="base">{b}</accessURL></interface>
    <language><name>ADQL</name><version ivo-id="ivo://ivoa.net/std/ADQL#v2.0">2.0</version></language>
    <outputFormat><mime>application/x-votable+xml</mime><alias>votable</alias></outputFormat>
  </capability>
  <capability standardID="ivo://ivoa.net/std/VOSI#capabilities">
    <interface xsi:type="vs:ParamHTTP"><accessURL use="full">{b}/capabilities</accessURL></interface>
  </capability>
  <capability standardID="ivo://ivoa.net/std/VOSI#tables">
    <interface xsi:type="vs:ParamHTTP"><accessURL use="full">{b}/tables</accessURL></interface>
  </capability>
</vosi:capabilities>
"""

    def tables(self) -> str:
        return f"""<?xml version="1.0"?>
<vosi:tableset xmlns:vosi="http://www.ivoa.net/xml/VOSITables/v1.0" {NS}>
  <schema><name>survey</name>
    <table type="table"><name>{self.table}</name><description>Frames</description>
      <column><name>frame_id</name><description>Identifier</description>
        <dataType xsi:type="vs:TAPType">VARCHAR</dataType></column>
    </table>
  </schema>
</vosi:tableset>
"""

    def close(self):
        self.httpd.shutdown()


@pytest.fixture
def vosi():
    f = FakeVOSI()
    yield f
    f.close()


def test_record_from_vosi_and_kept_fresh(tmp_path, voreg, vosi):
    db = tmp_path / "v.sqlite"
    ivoid = "ivo://vosi-test.org/tap"
    cp = run_voreg("publish", "--from-vosi", vosi.base, "--ivoid", ivoid, "--title", "VOSI-built TAP",
                   "--database", db)
    assert cp.returncode == 0, describe(cp)
    assert "stored" in cp.stdout
    con = sqlite3.connect(db)
    assert con.execute("SELECT res_type, res_title FROM rr_resource WHERE ivoid=?", (ivoid,)).fetchone() == (
        "vs:catalogservice", "VOSI-built TAP")
    assert con.execute("SELECT table_name FROM rr_res_table WHERE ivoid=?", (ivoid,)).fetchall() == [("survey.frames",)]
    assert con.execute("SELECT count(*) FROM rr_capability WHERE ivoid=? AND standard_id='ivo://ivoa.net/std/tap'",
                       (ivoid,)).fetchone()[0] == 1
    assert con.execute("SELECT schema_valid FROM records WHERE ivoid=?", (ivoid,)).fetchone()[0] == 1
    stamp = con.execute("SELECT datestamp FROM records WHERE ivoid=?", (ivoid,)).fetchone()[0]
    con.close()
    # Again: nothing changed, so the datestamp stays.
    time.sleep(1.1)
    cp = run_voreg("publish", "--from-vosi", vosi.base, "--ivoid", ivoid, "--title", "VOSI-built TAP",
                   "--database", db)
    assert "unchanged" in cp.stdout, describe(cp)
    # serve re-reads the service: a new table shows up; then the service goes down.
    vosi.table = "survey.stacks"
    s = start_server(tmp_path, db, "--vosi-interval", "1")
    try:
        base = f"http://127.0.0.1:{s.port}"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            con = sqlite3.connect(db)
            names = [r[0] for r in con.execute("SELECT table_name FROM rr_res_table WHERE ivoid=?", (ivoid,))]
            new_stamp = con.execute("SELECT datestamp FROM records WHERE ivoid=?", (ivoid,)).fetchone()[0]
            con.close()
            if names == ["survey.stacks"]:
                break
            time.sleep(0.3)
        assert names == ["survey.stacks"] and new_stamp > stamp
        status = json.loads(urllib.request.urlopen(base + "/api/publish/status").read())
        entry = status["vosiServices"][0]
        assert entry["available"] is True and entry["source"]["ivoid"] == ivoid
        vosi.up = False
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            entry = json.loads(urllib.request.urlopen(base + "/api/publish/status").read())["vosiServices"][0]
            if entry["available"] is False:
                break
            time.sleep(0.3)
        assert entry["available"] is False and "503" in entry["lastError"]
        metrics = urllib.request.urlopen(base + "/metrics").read().decode()
        assert f'voreg_vosi_service_up{{ivoid="{ivoid}"}} 0' in metrics, metrics[-2000:]
        # The record stays as last read.
        con = sqlite3.connect(db)
        assert con.execute("SELECT status FROM records WHERE ivoid=?", (ivoid,)).fetchone()[0] == "active"
        con.close()
    finally:
        s.proc.terminate()
        s.proc.wait(timeout=20)
