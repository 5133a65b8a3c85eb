# Moodline's two entry points. `make run` runs Moodline; `make test` runs the whole test suite.
# Both set everything up on a fresh Debian/Ubuntu machine (system packages need root or sudo).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup system-deps fast-path lint

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

system-deps:
	bash .ci/system-deps

fast-path: setup
	$(BIN)/moodline model build

run: setup fast-path
	$(BIN)/moodline up

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy daemon models tests benchmarks

test: system-deps setup lint
	MOODLINE_CACHE_DIR=$(CURDIR)/.cache/moodline $(BIN)/moodline model build
	MOODLINE_CACHE_DIR=$(CURDIR)/.cache/moodline $(BIN)/python -m pytest
