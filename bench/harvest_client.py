#!/usr/bin/env python3
"""Full OAI-PMH ListRecords harvest for the benchmark (standard library only).

usage: harvest_client.py OAI_URL [--prefix ivo_vor]

Follows resumption tokens over one keep-alive connection and counts records without building
a tree (a byte count of <record> elements and a regular expression for the token), so the
figure measures the server rather than the client's XML parser. Prints one line:
  harvest: N records, P pages, B MB in S s = R records/s
"""
import argparse
import html
import http.client
import re
import sys
import time
import urllib.parse

TOKEN = re.compile(rb"<resumptionToken[^>]*?(?:/>|>([^<]*)</resumptionToken>)")
ERROR = re.compile(rb'<error code="([^"]+)"')


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--prefix", default="ivo_vor")
    a = ap.parse_args()
    u = urllib.parse.urlsplit(a.url)
    conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=120)
    params = {"verb": "ListRecords", "metadataPrefix": a.prefix}
    records = pages = nbytes = 0
    start = time.monotonic()
    while True:
        conn.request("GET", u.path + "?" + urllib.parse.urlencode(params))
        r = conn.getresponse()
        body = r.read()
        if r.status != 200:
            print(f"harvest: HTTP {r.status}", file=sys.stderr)
            return 1
        err = ERROR.search(body)
        if err:
            print(f"harvest: OAI error {err.group(1).decode()}", file=sys.stderr)
            return 1
        pages += 1
        nbytes += len(body)
        records += body.count(b"<record>") + body.count(b"<record ")
        m = TOKEN.search(body)
        token = (m.group(1) or b"").strip() if m else b""
        if not token:
            break
        params = {"verb": "ListRecords", "resumptionToken": html.unescape(token.decode())}
    dt = time.monotonic() - start
    print(f"harvest: {records} records, {pages} pages, {nbytes / 1e6:.0f} MB in {dt:.1f} s = {records / dt:.0f} records/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
