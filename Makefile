# 招聘助手 — the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help venv test pytest lint format demo bench clean chromium

help:
	@echo "make demo    run the whole system against the Bot API simulator (1,400 groups)"
	@echo "make test    lint, type-check and run the test suite against a real Redis"
	@echo "make bench   run the benchmarks in bench/ and print their figures"
	@echo "make format  apply ruff's formatting and safe fixes"

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

pytest: $(STAMP)
	.ci/with-redis $(BIN)/python -m pytest -q $(PYTEST_ARGS)

# The dashboard's browser test drives Debian's chromium (never a downloaded browser build).
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing chromium with apt (the dashboard's browser test uses it)"; \
		apt-get update -qq && apt-get install -y -qq chromium; \
	else \
		echo "chromium is missing and cannot be installed here (not root, or no apt): the browser test will be skipped"; \
	fi

test: chromium lint pytest

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

demo: $(STAMP)
	$(BIN)/python -m devkit demo $(DEMO_ARGS)

bench: $(STAMP)
	.ci/with-redis $(BIN)/python bench/updates.py
	.ci/with-redis $(BIN)/python bench/broadcast.py
	$(BIN)/python bench/search.py
	.ci/with-redis $(BIN)/python bench/import.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache var/demo
