# Two commands on a fresh machine:  make run  (set up + run on seeds/)  and  make test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= data/news.duckdb
REPORTS ?= data/reports
CRON ?= 0 6 * * *

export PREFECT_SERVER_ANALYTICS_ENABLED := false
export GX_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1

.PHONY: run serve test test-fast install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test,dask]"
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: install
	$(BIN)/newsetl run --input seeds --db $(DB) --report-dir $(REPORTS)

serve: install   # scheduled runs from this process until Ctrl-C: make serve CRON="*/30 * * * *"
	$(BIN)/newsetl serve --cron "$(CRON)" --input seeds --db $(DB) --report-dir $(REPORTS)

test: install-test   # the whole suite, slow end-to-end tests included (what CI runs)
	$(BIN)/pytest

test-fast: install-test   # the fast loop for every edit: everything not marked slow, under a minute
	$(BIN)/pytest -m "not slow"

clean:
	rm -rf $(VENV) .cache $(REPORTS) $(DB) $(DB).wal $(DB).lock test-artifacts
