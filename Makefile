# VORegistry — the commands a user and CI need. Everything is installed by these targets
# (Debian packages via apt-get, Python packages from PyPI into .venv).

SWIFT        ?= swift
VENV         ?= .venv
PYTHON       ?= python3
DB           ?= var/voreg.sqlite
VOREG_DEBUG   = .build/debug/voreg
VOREG_RELEASE = .build/release/voreg

.PHONY: all build release serve test swift-test integration-test bench fuzz schemas tools venv clean

all: build

## schemas: the official IVOA/OAI XSDs from Debian's python3-gavo into Schemas/ivoa (no install)
schemas:
	bash scripts/fetch-schemas.sh Schemas/ivoa

## tools: system tools the tests and benchmarks use (xmllint; chromium for the browser tests,
## which are skipped with a message when it cannot be installed)
tools:
	bash scripts/ensure-tools.sh xmllint
	bash scripts/ensure-tools.sh chromium || echo "chromium could not be installed: the browser tests will be skipped"


build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release

## serve: build and run the registry on 127.0.0.1:8080 (OAI-PMH at /oai, metrics at /metrics).
## On first start with an empty store it imports Resources/records (internal-*.xml as internal).
serve: schemas build
	$(VOREG_DEBUG) serve --database $(DB)

$(VENV)/.installed: tests/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r tests/requirements.txt
	touch $@

venv: $(VENV)/.installed

swift-test: schemas
	$(SWIFT) test

integration-test: schemas tools build venv
	VOREG=$(abspath $(VOREG_DEBUG)) $(VENV)/bin/python -m pytest -q tests/integration

## test: Swift unit tests, then the Python integration tests against the real binary
test: swift-test integration-test

## bench: generate the 30,000-resource registry, measure ingest against the parse floor,
## then a full OAI-PMH harvest of the resulting store, a peer harvest of it by voreg harvest,
## RegTAP latency with pyvo, /api/search latencies and a 64-client load run with wrk
bench: schemas tools release venv
	VOREG=$(abspath $(VOREG_RELEASE)) bash bench/run.sh
	VOREG=$(abspath $(VOREG_RELEASE)) bash bench/harvest.sh
	VOREG=$(abspath $(VOREG_RELEASE)) bash bench/harvest-peer.sh
	VOREG=$(abspath $(VOREG_RELEASE)) bash bench/tap.sh
	VOREG=$(abspath $(VOREG_RELEASE)) bash bench/coverage.sh
	VOREG=$(abspath $(VOREG_RELEASE)) bash bench/search.sh
	VOREG=$(abspath $(VOREG_RELEASE)) bash bench/contention.sh
	VOREG=$(abspath $(VOREG_RELEASE)) bash bench/load.sh

## fuzz: build the libFuzzer targets (ADQL, VOResource, OAIRequest, ResumptionToken, Upload,
## Descriptor; -sanitize=fuzzer,address, in .build-fuzz) and run each on its seed corpus for
## FUZZ_RUNS (1000000) executions or FUZZ_SECONDS (600) seconds; FUZZ_TARGETS="ADQL Upload"
## runs some only. Findings go to .fuzz/artifacts. Not part of `make test` or CI.
fuzz:
	bash scripts/fuzz.sh $(FUZZ_TARGETS)

clean:
	rm -rf .build .build-fuzz .fuzz var bench/out
