# The commands a person types. `make site` and `make test` set up .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup check generate site test golden serve bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

check: $(STAMP)
	$(BIN)/briefing check

site: $(STAMP)
	$(BIN)/briefing build

serve: $(STAMP)
	$(BIN)/briefing serve

test: $(STAMP)
	$(BIN)/python -m pytest

# Scale benchmark: N briefings (default 1000) against N/10; see benchmarks/RESULTS.md.
N ?= 1000
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(N)

golden: $(STAMP)
	$(BIN)/python -m pytest -q tests/test_check.py tests/test_site.py tests/test_hostile.py --update-goldens
	git diff --stat -- tests/golden tests/cases tests/hostile

clean:
	rm -rf site docs .pytest_cache
