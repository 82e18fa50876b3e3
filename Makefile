# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip

.PHONY: run test bench bench-r bench-scale lint docs clean env-run env-test system-deps

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

# System packages the tests need, from Debian: chromium for the browser tests (never a
# downloaded browser), poppler (pdftoppm/pdftotext) and pango/fonts for the PDF reports.
DEBIAN_TEST_PACKAGES := chromium chromium-driver poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

system-deps:
	@missing=""; for p in $(DEBIAN_TEST_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing from Debian:$$missing"; \
	  if [ "$$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

run: env-run
	$(BIN)/sp2lnob app

test: env-test system-deps
	$(BIN)/python -m pytest -q

bench: env-test
	$(BIN)/python -m benchmarks.run --out docs/benchmarks.md

# sp2lnob beside R on the same files (needs Debian's r-base-core r-cran-laeken r-cran-survey r-cran-rpart)
bench-r: env-test
	$(BIN)/python -m benchmarks.compare_r

# Scale-out on Dask: 10^8 generated person rows as Parquet partitions (about 0.5 GB in /tmp), a 1,000-scenario sweep
bench-scale: env-test
	$(BIN)/python -m benchmarks.bench_scale

docs: env-test
	$(BIN)/mkdocs build --strict -d site

lint: env-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
