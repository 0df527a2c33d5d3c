# 招聘助手 — the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help venv test pytest lint format demo bench clean chromium fonts faketime test-future test-dates

help:
	@echo "make demo    run the whole system against the Bot API simulator (1,400 groups)"
	@echo "make test    lint, type-check and run the test suite against a real Redis"
	@echo "make test-future  the whole suite again with the clock a year and two years ahead"
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

# Posters are drawn in Chinese: Pillow ships no CJK font, so Debian's Noto Sans CJK is
# installed like chromium (bot/web/poster.py also takes WenQuanYi, or POSTER_FONT).
NOTO_CJK := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
fonts:
	@if [ -f $(NOTO_CJK) ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing fonts-noto-cjk with apt (posters are drawn in Chinese)"; \
		apt-get update -qq && apt-get install -y -qq fonts-noto-cjk; \
	else \
		echo "fonts-noto-cjk is missing and cannot be installed here (not root, or no apt): posters are off and their tests skipped"; \
	fi

# No test may depend on today's date: the suite runs again with the system clock moved
# ahead by libfaketime (Debian's faketime, installed like chromium). Every redis-server is
# started without it (it crashes under libfaketime); the monotonic clock stays real.
FUTURE_OFFSETS ?= +365d +730d
# The date-sensitive part that `make test` runs ahead too (`make test-future` runs all).
DATED_TESTS := tests/sources tests/search tests/web tests/api tests/applications \
	tests/handlers/test_search_private.py tests/handlers/test_search_chat.py \
	tests/staff/test_stats.py tests/staff/test_stale_and_unfinished.py \
	tests/staff/test_dashboard_auth.py tests/broadcast/test_control.py \
	tests/broadcast/test_api.py tests/broadcast/test_cli.py tests/compliance/test_paths.py \
	tests/matching tests/handlers/test_alerts.py tests/wechat tests/brokers
faketime:
	@if command -v faketime >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing faketime with apt (the suite also runs with the clock ahead)"; \
		apt-get update -qq && apt-get install -y -qq faketime; \
	else \
		echo "faketime is missing and cannot be installed here (not root, or no apt)"; \
	fi

test-future test-dates: faketime $(STAMP)
	@command -v faketime >/dev/null || { echo "no faketime: the runs with the clock ahead are skipped"; exit 0; }; \
	for offset in $(FUTURE_OFFSETS); do \
		echo "== the test suite with the clock $$offset ahead"; \
		.ci/with-redis env FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f $$offset \
			$(BIN)/python -m pytest -q -p no:cacheprovider \
			$(if $(filter test-dates,$@),$(DATED_TESTS)) $(PYTEST_ARGS) || exit 1; \
	done

test: chromium fonts faketime lint pytest test-dates

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

demo: $(STAMP) fonts
	$(BIN)/python -m devkit demo $(DEMO_ARGS)

bench: $(STAMP)
	.ci/with-redis $(BIN)/python bench/updates.py
	.ci/with-redis $(BIN)/python bench/broadcast.py
	$(BIN)/python bench/search.py
	.ci/with-redis $(BIN)/python -m bench.matching
	.ci/with-redis $(BIN)/python bench/import.py
	.ci/with-redis $(BIN)/python bench/wechat_oa.py
	$(BIN)/python -m bench.moderation
	.ci/with-redis $(BIN)/python bench/ledger.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache var/demo
