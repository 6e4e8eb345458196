# The two sacred commands: `make run` and `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test catalogs browser lint audit bench clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,editor]'
	@touch $(STAMP)

catalogs: $(STAMP)
	$(BIN)/pybabel compile --domain messages --directory locales --statistics

# `run` migrates at its start (a database at head costs one query), so no separate `migrate` step.
# Our modules are compiled to bytecode first: with PYTHONDONTWRITEBYTECODE set (as on this project's
# machines and in the Dockerfile) every start would compile them from source again (about a quarter
# of a second); compileall writes only what changed. An installed package (pip, the image) has it.
run: catalogs
	$(BIN)/python -m compileall -q bot
	$(BIN)/python -m bot run

# The browser tests drive Debian's Chromium (Playwright's own browser download is not used).
# Installed here when missing, as root or with passwordless sudo; otherwise those tests skip.
CHROMIUM ?= /usr/bin/chromium
browser:
	@if [ ! -x "$(CHROMIUM)" ] && ! command -v chromium >/dev/null 2>&1; then \
	  if ! command -v apt-get >/dev/null 2>&1; then \
	    echo "Chromium is missing and there is no apt-get: the browser tests will be skipped"; \
	  else \
	    SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo -n"; \
	    echo "installing Chromium for the browser tests (apt-get install chromium)"; \
	    { $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; } \
	      || echo "could not install Chromium: the browser tests will be skipped"; \
	  fi; \
	fi

test: catalogs browser
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check bot tests bench
	$(BIN)/ruff format --check bot tests bench
	$(BIN)/mypy
	$(BIN)/deptry .

# Known vulnerabilities in the pinned versions. Needs the internet (PyPI's advisory database), so it
# is for operators before a deployment, not for CI (offline, it cannot audit anything).
audit: $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[audit]'
	$(BIN)/pip-audit --requirement constraints.txt --no-deps --disable-pip --strict

bench: catalogs
	$(BIN)/python -m compileall -q bot
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
	find locales -name '*.mo' -delete
