# Imbizo: `make run` serves the product, `make test` checks it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

.PHONY: run test test-sqlite test-postgres lint install install-test demo worker clean \
        bench-intake bench-sweep

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Imbizo needs Python 3.11 ($(PYTHON) not found; set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## run: web server and worker on SQLite, with the demo municipality (HOST, PORT honoured)
run: install
	$(BIN)/imbizo run --host $(HOST) --port $(PORT)

worker: install
	$(BIN)/imbizo worker

demo: install
	$(BIN)/imbizo demo

## test: lint, then the whole suite on SQLite, then on PostgreSQL (required when CI=true)
test: install-test lint test-sqlite test-postgres

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test-sqlite: install-test
	@echo "== tests on SQLite =="
	$(BIN)/pytest -q

test-postgres: install-test
	@scripts/test-postgres

clean:
	rm -rf $(VENV) var staticfiles test-artifacts
