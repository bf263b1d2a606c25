# One virtual environment, made and refreshed by the targets that need it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NODE_STAMP := openapi/node_modules/.package-lock.json
HARBOR_SPEC ?= https://raw.githubusercontent.com/goharbor/harbor/v2.15.2/api/v2.0/swagger.yaml

.PHONY: help venv test lint typecheck docs smoke pytest generate demo bench clean

help:
	@echo "make demo      run a replication against the embedded simulator (the main job)"
	@echo "make test      lint, type-check and run the test suite"
	@echo "make generate  rebuild openapi/harbor-replication.yaml, generated/ and the sync client (HARBOR_SPEC=path-or-url)"
	@echo "make bench     benchmarks against raw httpx and the reference clients"
	@echo "make docs      build the documentation site into .venv/site (strict: warnings fail)"

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python 3.11 or newer is needed (set PYTHON=...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $@

venv: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

# node_modules lets tests/test_generated.py rerun the spec pipeline (it skips without node).
# A HARBOR_SPEC given to make is the description the contract tests check against.
pytest: $(STAMP) $(NODE_STAMP)
	$(if $(filter command line environment,$(origin HARBOR_SPEC)),HARBOR_SPEC='$(HARBOR_SPEC)' )$(BIN)/pytest

test: lint typecheck docs smoke pytest

# Strict: a broken link, a missing page or reference, or a docstring that cannot be rendered fails.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

# `make demo` itself, with quick tasks, as a smoke test; its output goes to .venv/demo.log.
smoke: $(STAMP)
	@$(MAKE) --no-print-directory demo DEMO_OPTIONS="--task-duration 0.2" > $(VENV)/demo.log 2>&1 \
	  && echo "make demo: ok" || { cat $(VENV)/demo.log; echo "make demo: FAILED"; exit 1; }

$(NODE_STAMP): openapi/package.json openapi/package-lock.json
	@if command -v npm >/dev/null; then cd openapi && npm ci --no-audit --no-fund --silent; \
	else echo "npm not found: the spec pipeline (make generate, its test) cannot run"; fi

generate: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m openapi.generate --spec "$(HARBOR_SPEC)"
	$(BIN)/python -m openapi.unasync

DEMO_OPTIONS ?=
demo: $(STAMP)
	$(BIN)/python -m harbor_replication.demo $(DEMO_OPTIONS)

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) openapi/node_modules .mypy_cache .ruff_cache .pytest_cache
