# The README's commands. Everything runs inside .venv, created on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1
CATALOGS := $(wildcard crm/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)

.PHONY: run test test-sqlite test-postgres lint bandit translations extract-messages fuzz clean bench bench-postgres load crash

$(BIN)/flask: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.test-extras: $(BIN)/flask
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

%.mo: %.po $(BIN)/flask
	$(BIN)/pybabel compile --use-fuzzy --statistics -i $< -o $@ 2>&1 | grep -v '^$$' || true
	@test -s $@

translations: $(COMPILED)

## run: install, migrate, and serve on http://$(HOST):$(PORT)
run: $(BIN)/flask translations
	$(BIN)/flask --app crm db upgrade
	$(BIN)/flask --app crm run --host $(HOST) --port $(PORT)

## test: the whole suite on SQLite, then on PostgreSQL when CRM_TEST_DATABASE_URL is set
test: $(VENV)/.test-extras translations
	CRM_TEST_DATABASE_URL= $(BIN)/pytest
	@if [ -n "$$CRM_TEST_DATABASE_URL" ]; then \
		echo "== the suite again on PostgreSQL ($$CRM_TEST_DATABASE_URL) =="; \
		$(BIN)/pytest -m "not e2e"; \
	else \
		echo "CRM_TEST_DATABASE_URL is not set: the PostgreSQL run was skipped."; \
	fi

## fuzz: generated input on every form as every role, many more examples than `make test` runs
FUZZ_EXAMPLES ?= 3000
fuzz: $(VENV)/.test-extras translations
	CRM_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -q -p no:cacheprovider tests/hardening/test_fuzz.py

lint: $(VENV)/.test-extras
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -c pyproject.toml -r crm

## extract-messages: refresh the catalogs after changing user-visible strings
extract-messages: $(BIN)/flask
	$(BIN)/pybabel extract -F crm/translations/babel.cfg -k _l -k lazy_gettext --ignore-dirs ".*" -o crm/translations/messages.pot \
		--no-location --sort-output --project crm .
	$(BIN)/pybabel update -i crm/translations/messages.pot -d crm/translations --no-fuzzy-matching


## bench: synthetic data at scale 1 in a fresh SQLite file, then every page measured under gunicorn
BENCH_DIR ?= /tmp/crm-bench
SCALE ?= 1
bench: $(VENV)/.test-extras translations
	rm -rf $(BENCH_DIR) && mkdir -p $(BENCH_DIR)
	CRM_INSTANCE_PATH=$(BENCH_DIR) $(BIN)/python -m bench.generate --scale $(SCALE)
	CRM_INSTANCE_PATH=$(BENCH_DIR) $(BIN)/python -m bench.measure --json bench/results-sqlite-scale$(SCALE).json

## bench-postgres: the same on PostgreSQL (BENCH_DATABASE_URL, emptied first), e.g. SCALE=10 (compared with
## bench/results-postgres-scale1.json: run SCALE=1 first)
bench-postgres: $(VENV)/.test-extras translations
	CRM_DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -m bench.reset_postgres
	CRM_DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -m bench.generate --scale $(SCALE)
	CRM_DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -m bench.measure --json bench/results-postgres-scale$(SCALE).json \
		$(if $(filter-out 1,$(SCALE)),$(if $(wildcard bench/results-postgres-scale1.json),--baseline bench/results-postgres-scale1.json))

## load / crash: 20 officers saving for 60 s on 4 workers; kill -9 mid-write (full size; CI runs them small)
load: $(VENV)/.test-extras translations
	$(BIN)/python -m bench.load --officers 20 --workers 4 --seconds 60
	@if [ -n "$$CRM_TEST_DATABASE_URL" ]; then $(BIN)/python -m bench.load --officers 20 --workers 4 --seconds 60 \
		--database-url "$${CRM_TEST_DATABASE_URL}_load" --reset-database; fi

crash: $(VENV)/.test-extras translations
	$(BIN)/python -m bench.crash --officers 8 --workers 4 --seconds 20

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
