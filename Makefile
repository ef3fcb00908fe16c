# The two commands of the README: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | md5sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install messages migrate data demo lint check serve fuzz-api bench loadtest wrk clean vendor-js lighthouse

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP) messages

# The compiled catalogues (locale/*/LC_MESSAGES/django.mo) are built, never committed; GNU gettext's msgfmt
# compiles them (Debian's package gettext). Only catalogues changed since their last build are compiled.
messages: $(STAMP)
	@command -v msgfmt >/dev/null 2>&1 || { echo "msgfmt is missing: install GNU gettext (apt-get install gettext)" >&2; exit 1; }
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=staticfiles --ignore=bench-results -v0

migrate: install
	$(BIN)/python manage.py migrate --noinput

data: migrate
	$(BIN)/python manage.py load_real_data

demo: migrate
	$(BIN)/python manage.py create_demo_accounts

run: data demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The suite on every core (pytest-xdist); TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

lint: install
	$(BIN)/ruff check .

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check_catalogues  # after install compiled them: extracted and complete

# Production mode: DEBUG off (SECRET_KEY and ALLOWED_HOSTS required), hashed and compressed static files,
# migrations, then gunicorn (gunicorn.conf.py) on $(HOST):$(PORT). DATABASE_URL, REDIS_URL as in README.
serve: export DEBUG := false
serve: export GUNICORN_BIND ?= $(HOST):$(PORT)
serve: install
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/gunicorn -c gunicorn.conf.py

# wrk (Debian's package) drives the benchmark and the load test.
wrk:
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	@command -v wrk >/dev/null

# Synthetic data at 1x and 50x in databases of their own, then queries, times and load; see bench/README.md.
bench: install wrk
	$(BIN)/python -m bench.run

# 30 s, 16 connections, loopback only: fails on any error or non-2xx answer.
loadtest: install wrk
	$(BIN)/python -m bench.loadtest

# Schemathesis against the API's own OpenAPI schema, longer than the bounded run in the test suite.
fuzz-api: install
	API_FUZZ_EXAMPLES=$${API_FUZZ_EXAMPLES:-200} $(BIN)/python -m pytest -q tests/test_api_fuzz.py

# JavaScript (npm, pinned in package.json and package-lock.json): the plotly.js partial bundles, vendored and
# committed (so `make run` needs no npm), and Lighthouse for `make bench`. `npm ci` once per lock file.
NODE_STAMP := node_modules/.installed-$(shell cat package-lock.json | md5sum | cut -c1-12)
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@rm -f node_modules/.installed-*
	@touch $(NODE_STAMP)

node_modules: $(NODE_STAMP)

# Copy the plotly.js bundles from node_modules into initiatives/static/ and check them against vendor.sha256.
vendor-js: node_modules
	$(PYTHON) tools/vendor_js.py

# Lighthouse on the five public pages of a server already running in production mode (`make serve`).
LIGHTHOUSE_URL ?= http://$(HOST):$(PORT)
lighthouse: install node_modules
	$(BIN)/python -m bench.lighthouse $(LIGHTHOUSE_URL)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache node_modules
