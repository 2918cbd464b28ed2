# Stafet: every target installs what it needs into ./.venv first (uv, from uv.lock).
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
VENV := .venv
UV := .tools/bin/uv
BIN := $(VENV)/bin

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install run test lint typecheck data bench clean report notebooks lab

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv==0.13.8

# Byte-compiled at install: without it every start compiles ~1,000 modules again (seconds),
# and with PYTHONDONTWRITEBYTECODE set nothing is ever cached.
$(VENV)/.synced: pyproject.toml uv.lock Makefile | $(UV)
	$(UV) sync --frozen --compile-bytecode
	touch $@

install: $(VENV)/.synced

run: install
	$(BIN)/python -m compileall -q api graph cli ontology >/dev/null
	$(BIN)/stafet serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/python scripts/ensure_chromium.py
	$(BIN)/pytest

# Regenerate the generated Turtle: KLE from the shipped OS2KLE source, default owners from the CSV.
data: install
	$(BIN)/python -m graph.io.kle_import data/kle/source/OS2KLE.txt -o data/kle/kle.ttl
	$(BIN)/python -m graph.io.defaults_import data/copenhagen/default-owners.csv -o data/copenhagen/default-owners.ttl

# Benchmarks (issue 13): writes bench/results.json and the table in README.md (~20 min).
bench: install
	$(BIN)/python scripts/ensure_wrk.py
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) .tools .pytest_cache .mypy_cache .ruff_cache

# For the coordination group: the report, and executed copies of the notebooks.
report: install
	$(BIN)/stafet report -o rapport.html

notebooks: install
	@mkdir -p build/notebooks
	@for nb in notebooks/[0-9][0-9]_*.py; do \
		$(BIN)/python tests/notebooks/run_notebook.py $$nb build/notebooks/$$(basename $$nb .py).ipynb || exit 1; \
	done

# JupyterLab on notebooks/ (the .py notebooks open as notebooks), on loopback, fetching
# nothing; prints the address with its token. `make lab HOST=… PORT=…` (default port 8888).
lab: PORT = 8888
lab: install
	$(BIN)/python scripts/lab.py --host $(HOST) --port $(PORT)
