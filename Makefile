# Freiraum: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# One stamp per set of packages: `make run` needs only what the app needs, `make test` and
# `make lint` the dev extras too. Installing the dev set also satisfies the run set, so
# switching between the two in one checkout installs each set once.
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev
FLASK  := $(BIN)/flask --app suggestions
PORT   ?= 5000
# Links in the printed mails point at the port served here.
DEV    := FREIRAUM_ENV=development BASE_URL=$${BASE_URL:-http://127.0.0.1:$(PORT)}
CATALOGS := $(wildcard suggestions/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)

.PHONY: run reset-demo test install install-run lint messages bench bench-scale profile wrk clean

# The web server and, beside it, the worker (outbox every 5 s, scheduled jobs). Without
# MAIL_SERVER/MAIL_PORT the worker prints each mail here; Ctrl+C stops both.
run: install-run
	$(DEV) $(FLASK) init-db
	$(DEV) $(FLASK) seed-demo --if-empty
	@echo "Serving Freiraum on http://127.0.0.1:$(PORT) (Ctrl+C stops it and the worker)"
	@$(DEV) $(FLASK) worker --interval 5 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEV) $(FLASK) run --host 127.0.0.1 --port $(PORT)

# Delete the demo database's rows and load the demo again (refused with FREIRAUM_ENV=production).
reset-demo: install-run
	$(DEV) $(FLASK) init-db
	$(DEV) $(FLASK) seed-demo --reset

test: install
	@[ -x /usr/bin/chromium ] || command -v chromium >/dev/null || \
	  echo "NOTE: no Chromium found: the browser tests will be skipped (apt-get install chromium)."
	@# The OpenID Connect provider for tests/auth (npm oidc-provider), installed once.
	@if command -v npm >/dev/null; then \
	  [ -d tests/auth/oidc/node_modules ] || npm ci --prefix tests/auth/oidc --no-audit --no-fund --silent; \
	else echo "NOTE: no node/npm found: the OpenID Connect sign-in tests will be skipped (apt-get install nodejs npm)."; fi
	@[ -x /usr/sbin/slapd ] || command -v slapd >/dev/null || \
	  echo "NOTE: no slapd found: the LDAP sign-in tests will be skipped (apt-get install slapd ldap-utils)."
	@# The browser-free tests on every core (each worker has its own database), then the
	@# browser journeys two at a time (each worker has its own server, database and Chromium).
	@# Exit code 5 is "nothing selected" (e.g. PYTEST_ARGS).
	$(BIN)/python -m pytest -n auto --dist loadgroup -m "not browser" $(PYTEST_ARGS) || [ $$? -eq 5 ]
	$(BIN)/python -m pytest -n 2 --dist loadgroup -m browser $(PYTEST_ARGS) || [ $$? -eq 5 ]

# Everything, dev extras included (tests, lint); `make install-run` only what serving needs.
install: $(STAMP_DEV) $(COMPILED)

install-run: $(STAMP_RUN) $(COMPILED)

$(STAMP_RUN): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP_RUN)

$(STAMP_DEV): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP_RUN) $(STAMP_DEV)

%.mo: %.po $(STAMP_RUN)
	$(BIN)/pybabel compile -i $< -o $@

lint: install
	$(BIN)/ruff check suggestions tests migrations bench
	$(BIN)/ruff format --check suggestions tests migrations bench

# Re-extract every translatable string and merge it into the catalogues.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o suggestions/translations/messages.pot .
	$(BIN)/pybabel update -i suggestions/translations/messages.pot -d suggestions/translations --no-fuzzy-matching

# Benchmark (bench/run.py, README "Performance"): gunicorn with the production settings on
# 127.0.0.1, driven by wrk. SQLite by default; PostgreSQL with BENCH_DATABASE_URL=postgresql+psycopg://...
# BENCH_ARGS passes options, e.g. BENCH_ARGS="--only list,idea --duration 5".
bench: install wrk
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# The scale curve: 10,000, 100,000 and 1,000,000 ideas (the largest takes a while to generate once).
bench-scale: install wrk
	$(BIN)/python bench/run.py --scale $(BENCH_ARGS)

# Server CPU per request, in-process and one at a time (bench/inprocess.py); PROFILE_ARGS passes
# options, e.g. PROFILE_ARGS="--only idea --profile idea".
profile: install
	$(BIN)/python bench/inprocess.py $(PROFILE_ARGS)

wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "wrk is missing: installing it (apt-get install -y wrk)"; \
	  (apt-get install -y -qq wrk || (apt-get update -qq && apt-get install -y -qq wrk)) >/dev/null 2>&1; \
	}
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "wrk could not be installed here. Install it (Debian/Ubuntu: apt-get install wrk;"; \
	  echo "macOS: brew install wrk), then run make bench again."; exit 1; }

clean:
	rm -rf $(VENV) .pytest_cache
