# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip

.PHONY: run test bench bench-r lint docs clean env-run env-test chromium

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Stamp files re-install only when pyproject.toml changes.
$(VENV)/.run-installed: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e ".[app,report,plot]"
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e ".[dev,app,report,plot]"
	touch $@

env-run: $(VENV)/.run-installed
env-test: $(VENV)/.test-installed

# Browser tests drive Debian's chromium (never a downloaded browser).
chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  echo "installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi

run: env-run
	$(BIN)/sp2lnob app

test: env-test chromium
	$(BIN)/python -m pytest -q

bench: env-test
	$(BIN)/python -m benchmarks.run --out docs/benchmarks.md

# sp2lnob beside R on the same files (needs Debian's r-base-core r-cran-laeken r-cran-survey r-cran-rpart)
bench-r: env-test
	$(BIN)/python -m benchmarks.compare_r

lint: env-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
