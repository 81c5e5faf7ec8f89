# The commands a person types. `make site` and `make test` set up .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The exact version of every package installed, pip and the setuptools that builds the project included:
# each setup installs the same versions. `make constraints` refreshes it (see README, Dependencies).
CONSTRAINTS := constraints.txt
PIP := -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS)

.PHONY: setup check generate site test lint golden serve bench bench-preview clean constraints

$(STAMP): pyproject.toml $(CONSTRAINTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python $(PIP) --upgrade pip
	$(BIN)/python $(PIP) --build-constraint $(CONSTRAINTS) -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

check: $(STAMP)
	$(BIN)/briefing check

site: $(STAMP)
	$(BIN)/briefing build

serve: $(STAMP)
	$(BIN)/briefing serve

test: $(STAMP)
	$(BIN)/python -m pytest -n auto

# The lint and the type check, as CI runs them (configured in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Scale benchmark: N briefings (default 1000) against N/10, then the live preview on N; see benchmarks/RESULTS.md.
N ?= 1000
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(N)
	$(BIN)/python benchmarks/preview.py $(N)

# Live preview on N briefings: seconds from a save to the served page, newest and oldest briefing; idle builds.
bench-preview: $(STAMP)
	$(BIN)/python benchmarks/preview.py $(N)

golden: $(STAMP)
	$(BIN)/python -m pytest -q tests/test_check.py tests/test_site.py tests/test_hostile.py --update-goldens
	git diff --stat -- tests/golden tests/cases tests/hostile

clean:
	rm -rf site docs .briefing-cache .pytest_cache

# The newest versions pyproject.toml allows, resolved in a new virtualenv aside and written to
# constraints.txt; review the diff, run `make test`, and commit both.
constraints:
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(PYTHON) -m venv "$$tmp/venv" && \
	"$$tmp/venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip setuptools && \
	"$$tmp/venv/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[test]' && \
	{ echo "# Exact versions for make setup and CI (pip install -c constraints.txt); written by make constraints."; \
	  "$$tmp/venv/bin/python" -m pip freeze --all --exclude-editable --disable-pip-version-check; } > $(CONSTRAINTS).new && \
	mv $(CONSTRAINTS).new $(CONSTRAINTS)
