# Whistledesk: the two commands are `make run` and `make test`. Everything else serves them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export WHISTLEDESK_DATA_DIR ?= $(CURDIR)/data

.PHONY: help run test venv assets system-deps lint typecheck bench clean

help:
	@echo "make run    set up and serve Whistledesk with demo data on http://127.0.0.1:$(PORT)/"
	@echo "make test   set up and run the whole test suite (SQLite; DATABASE_URL for PostgreSQL)"
	@echo "make bench  run the benchmarks in bench/"

$(BIN)/whistledesk: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is needed (found $$($(PYTHON) --version))."; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $@

venv: $(BIN)/whistledesk

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the front-end assets: apt-get install nodejs npm"; exit 1; }
	npm ci --silent --no-audit --no-fund
	touch $@

whistledesk/frontend/build/whistledesk.css: node_modules/.package-lock.json whistledesk/frontend/scss/whistledesk.scss scripts/copy-assets.mjs
	npm run --silent build

assets: whistledesk/frontend/build/whistledesk.css

# Chromium (browser tests), mat2 (metadata removal) and the PostgreSQL client come from Debian.
# `make run` needs only mat2 (see run).
system-deps:
	@bash scripts/system-deps.sh

# mat2 removes metadata from uploads; without it every upload is refused, so `make run`
# installs it when it can and otherwise says exactly how (and `whistledesk check` warns).
run: venv assets
	@WARN_ONLY=1 bash scripts/system-deps.sh mat2
	$(BIN)/whistledesk migrate --noinput
	$(BIN)/whistledesk load_demo --if-empty
	$(BIN)/whistledesk load_prescribed_persons
	$(BIN)/whistledesk demo_staff
	@echo
	@echo "  Whistledesk is at http://127.0.0.1:$(PORT)/  (staff: http://127.0.0.1:$(PORT)/staff/)"
	@echo "  The background worker runs beside it; emails are printed here (no EMAIL_HOST set)."
	@echo
	BIN=$(BIN) PORT=$(PORT) bash scripts/run-local.sh

test: venv assets system-deps
	$(BIN)/ruff check .
	$(BIN)/mypy whistledesk
	BIN=$(BIN) bash scripts/security-checks.sh
	$(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/mypy whistledesk

bench: venv
	$(BIN)/python bench/annual_report.py
	$(BIN)/python bench/import.py
	$(BIN)/python bench/uploads.py

clean:
	rm -rf $(VENV) node_modules whistledesk/frontend/build data
