"""`voreg validate` must agree with xmllint on every single-record file of the corpus.

Same selection as scripts/check-validate-agreement.sh: MANIFEST-files.tsv rows with
n_voresource_records == 1 whose root is a qualified ri:Resource / vr:Resource (the driver schema
Schemas/registry-records.xsd is the right schema for exactly those documents).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import REPO, SCHEMAS, read_tsv, run_voreg

ROOTS = {
    "{http://www.ivoa.net/xml/RegistryInterface/v1.0}Resource",
    "{http://www.ivoa.net/xml/VOResource/v1.0}Resource",
}


@pytest.fixture(scope="module")
def xmllint():
    exe = shutil.which("xmllint")
    if exe is None:
        pytest.skip("xmllint not installed (make tools / scripts/ensure-tools.sh)")
    if not (SCHEMAS / "ivoa" / "VOResource.xsd").is_file():
        pytest.fail("Schemas/ivoa is empty: run `make schemas` first")
    return exe


def xmllint_verdict(exe, path) -> tuple[str, str]:
    env = dict(os.environ, XML_CATALOG_FILES=str(SCHEMAS / "catalog.xml"))
    cp = subprocess.run([exe, "--nonet", "--noout", "--schema",
                         str(SCHEMAS / "registry-records.xsd"), str(path)],
                        capture_output=True, text=True, env=env, timeout=60, cwd=REPO)
    msgs = [ln for ln in cp.stderr.splitlines()
            if "Skipping import" not in ln and not ln.endswith((" validates", " fails to validate"))]
    if cp.returncode == 0:
        return "VALID", ""
    if cp.returncode in (1, 3):
        return "INVALID", (msgs[0] if msgs else "")[:240]
    return f"ERROR(xmllint exit {cp.returncode})", "\n".join(msgs[:5])


def voreg_verdict(path) -> tuple[str, str]:
    cp = run_voreg("validate", path, timeout=60)
    lines = [ln for ln in cp.stdout.splitlines() if ln.strip()]
    invalid = [ln for ln in lines if ln.split("\t")[1:2] == ["INVALID"]]
    valid = [ln for ln in lines if ln.split("\t")[1:2] == ["VALID"]]
    if invalid:
        verdict = "INVALID" if cp.returncode == 1 else f"INVALID(but exit {cp.returncode})"
        return verdict, invalid[0][:240]
    if valid and len(valid) == len(lines):
        return ("VALID" if cp.returncode == 0 else f"VALID(but exit {cp.returncode})"), ""
    return f"ERROR(no verdict line, exit {cp.returncode})", (cp.stdout + cp.stderr)[:400]


def test_validate_agrees_with_xmllint(corpus, xmllint, voreg):
    files = [row["file"] for row in read_tsv(corpus / "MANIFEST-files.tsv")
             if row["n_voresource_records"] == "1" and row["root_element"] in ROOTS]
    assert len(files) >= 10, f"only {len(files)} single-record files in the manifest"

    # the driver schema must compile offline, or every verdict would be meaningless
    probe_verdict, probe_msg = xmllint_verdict(xmllint, corpus / files[0])
    assert not probe_verdict.startswith("ERROR"), probe_msg

    def check(rel):
        path = corpus / rel
        x, xm = xmllint_verdict(xmllint, path)
        v, vm = voreg_verdict(path)
        return rel, x, xm, v, vm

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(check, files))

    disagreements = []
    for rel, x, xm, v, vm in results:
        if x != v:
            disagreements.append(f"{rel}: xmllint={x} voreg={v}\n    xmllint: {xm}\n"
                                 f"    voreg:   {vm}")
    n_valid = sum(1 for r in results if r[1] == "VALID")
    assert 0 < n_valid < len(results), "expected both valid and invalid files in the corpus"
    assert not disagreements, (f"{len(disagreements)} of {len(results)} files disagree:\n"
                               + "\n".join(disagreements))
