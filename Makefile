# Imbizo: `make run` serves the product, `make test` checks it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

.PHONY: run test test-sqlite test-postgres lint install install-test demo worker clean \
        catalogues messages \
        bench-intake bench-sweep bench-crash bench-soak bench-outage bench-dashboards bench-places \
        bench-channels bench-province bench-partition bench-rebuild

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

install: $(VENV)/.installed catalogues
install-test: $(VENV)/.installed-test catalogues

# The .mo files Django reads, built from the translators' .po files (Babel,
# only the stale ones). `make messages` extracts new text into every .po
# (needs GNU gettext's xgettext and msgmerge: apt-get install gettext).
catalogues: $(VENV)/.installed
	@$(BIN)/imbizo compile-catalogues >/dev/null

## messages: extract marked text into every language's catalogue (see docs/translations.md)
messages: install
	cd imbizo && ../$(BIN)/imbizo makemessages --all --no-obsolete -i "static/*" >/dev/null
	$(BIN)/imbizo compile-catalogues

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

# The suite runs in TEST_WORKERS processes (pytest-xdist), one per core of the
# 2-core machines that developers and CI have; `make test TEST_WORKERS=4` on a
# bigger one, TEST_WORKERS=0 for one process. Tests are handed out in runs of
# neighbouring tests and an idle worker steals from the other (worksteal):
# durations range from milliseconds to half a minute.
TEST_WORKERS ?= 2
XDIST := -n $(TEST_WORKERS) --dist worksteal

test-sqlite: install-test
	@echo "== tests on SQLite =="
	$(BIN)/pytest -q $(XDIST)

# The browser journeys run once, in the SQLite pass: they drive the same views
# through Chromium for half the suite's time, while what differs between the
# databases (locks, constraints, SQL) is what the other tests check on both.
test-postgres: install-test
	@scripts/test-postgres $(XDIST) -m "not browser"

## bench-intake: report form over HTTP (2 gunicorn workers, wrk) vs a one-row ceiling
bench-intake: install-test
	@command -v wrk >/dev/null || { echo "bench-intake needs wrk (apt-get install wrk)"; exit 1; }
	$(BIN)/python bench/intake.py --seconds $${SECONDS_PER_RUN:-30}

## bench-taskqueue: the worker's claim and reclaim queries over FINISHED_TASKS (10,000,000) finished rows (PostgreSQL)
.PHONY: bench-taskqueue
bench-taskqueue: install-test
	$(BIN)/python bench/taskqueue.py --finished $${FINISHED_TASKS:-10000000}

## bench-intake-profile: one report's queries, INSERT server time, index costs, Python per layer (PostgreSQL)
.PHONY: bench-intake-profile
bench-intake-profile: install-test
	$(BIN)/python bench/intake_profile.py --reports $${PROFILE_REPORTS:-500}

## bench-sweep: clock sweep with 1,000,000 open cases of which 1% fall due
bench-sweep: install-test
	$(BIN)/python bench/sweep.py --open $${OPEN_CASES:-1000000}

## bench-triage: train on the demo's history, evaluate on the hand-written fixture
.PHONY: bench-triage
bench-triage: install-test
	$(BIN)/python bench/triage.py --cases $${TRIAGE_CASES:-20000}

## bench-crash: SIGKILL web and task workers under load; nothing acknowledged lost or doubled
bench-crash: install-test
	$(BIN)/python bench/crash.py --seconds $${CRASH_SECONDS:-60} --kills $${CRASH_KILLS:-10}

## bench-outage: cut the database (a TCP proxy) under load; 503s only, recovery without a restart
bench-outage: install-test
	$(BIN)/python bench/outage.py --cut $${OUTAGE_SECONDS:-10}

## bench-soak: half the measured capacity for SOAK_MINUTES (20): zero errors, flat memory
bench-soak: install-test
	$(BIN)/python bench/soak.py --minutes $${SOAK_MINUTES:-20} $${SOAK_CAPACITY:+--capacity $$SOAK_CAPACITY}
## bench-dashboards: the insight pages with 2,000,000 cases and 10,000,000 contacts (PostgreSQL)
bench-dashboards: install-test
	$(BIN)/python bench/dashboards.py --cases $${CASES:-2000000} --contacts $${CONTACTS:-10000000}

## bench-replica: a province of CASES (2,000,000) cases in a throwaway primary and streaming replica; pages' p95 from each while wrk posts REPORT_RATE (100) reports/s
.PHONY: bench-replica
bench-replica: install-test
	@command -v wrk >/dev/null || { echo "bench-replica needs wrk (apt-get install wrk)"; exit 1; }
	$(BIN)/python bench/replica.py --cases $${CASES:-2000000} --contacts $${CONTACTS:-10000000} --rate $${REPORT_RATE:-100}

## bench-province: build a province (CASES, default 12,000,000; CONTACTS, default 60,000,000) in PROVINCE_DB, or reuse it (KEEP=1, SKIP_REBUILD=1), and time the pages while wrk posts REPORT_RATE (100) reports/s
.PHONY: bench-province
bench-province: install-test
	@command -v wrk >/dev/null || { echo "bench-province needs wrk (apt-get install wrk)"; exit 1; }
	$(BIN)/python bench/province.py --cases $${CASES:-12000000} --contacts $${CONTACTS:-60000000} --db $${PROVINCE_DB:-imbizo_province} --rate $${REPORT_RATE:-100} $${KEEP:+--keep} $${SKIP_REBUILD:+--skip-rebuild}

## bench-partition: the partition migration on a copy of a CASES (200,000) case database: rows and rollups equal
bench-partition: install-test
	$(BIN)/python bench/partition_check.py --cases $${CASES:-200000} --contacts $${CONTACTS:-1000000}

## bench-rebuild: the full rollup rebuild over CASES (2,000,000) cases (PostgreSQL); REBUILD_OLD=main also times main's
bench-rebuild: install-test
	$(BIN)/python bench/rebuild.py --cases $${CASES:-2000000} $${REBUILD_OLD:+--old $$REBUILD_OLD}

## bench-places: the place search over PLACES (100,000) places on PostgreSQL: p50/p95, queries
bench-places: install-test
	$(BIN)/python bench/places.py --places $${PLACES:-100000} --runs $${PLACE_RUNS:-5}

clean:
	rm -rf $(VENV) var staticfiles test-artifacts

## bench-alerts: one interruption over 10 wards, SUBSCRIBERS (100,000): enqueue time, delivery rate, ack delay
.PHONY: bench-alerts
bench-alerts: install-test
	$(BIN)/python bench/alerts.py --subscribers $${SUBSCRIBERS:-100000} --deliver-seconds $${DELIVER_SECONDS:-60}

## bench-queues: filtered, sorted staff queue pages over the 200,000-case demo (PostgreSQL)
.PHONY: bench-queues
bench-queues: install-test
	$(BIN)/python bench/queues.py --cases $${CASES:-200000} --runs $${QUEUE_RUNS:-40}

## bench-staff: issue 13's measure: the place search (bench-places), then the staff queues (bench-queues)
.PHONY: bench-staff
bench-staff: bench-places bench-queues

## bench-import: import 1,000,000 demo-shaped cases from CSV, beside the raw COPY ceiling
.PHONY: bench-import
bench-import: install-test
	$(BIN)/python bench/import.py --rows $${IMPORT_ROWS:-1000000}

## bench-index-audit: which index of the case, event and contact tables each query uses (ADR 0049)
.PHONY: bench-index-audit
bench-index-audit: install-test
	$(BIN)/python bench/index_audit.py --cases $${AUDIT_CASES:-500000}

## bench-fuzz: hostile values on every URL, the forms and the REST API, FUZZ_EXAMPLES (200) each, both databases
.PHONY: bench-fuzz
bench-fuzz: install-test
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-200} $(BIN)/pytest -q -p no:logging tests/trust/test_hostile_walk.py tests/portal/test_fuzz.py tests/api/test_schemathesis.py
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-200} scripts/test-postgres -p no:logging tests/trust/test_hostile_walk.py tests/portal/test_fuzz.py tests/api/test_schemathesis.py

## bench-field: FIELD_SUBMISSIONS (10,000) OpenRosa submissions from 20 phones, 10% repeats, 5% split (PostgreSQL)
.PHONY: bench-field
bench-field: install-test
	$(BIN)/python bench/field.py --submissions $${FIELD_SUBMISSIONS:-10000} --clients $${FIELD_CLIENTS:-20}

## bench-channels: SESSIONS (200) concurrent five-step USSD sessions, SMS_PER_MINUTE (1,000) inbound SMS for a minute (PostgreSQL)
bench-channels: install-test
	$(BIN)/python bench/channels.py --sessions $${SESSIONS:-200} --sms-per-minute $${SMS_PER_MINUTE:-1000} --sms-seconds $${SMS_SECONDS:-60}
