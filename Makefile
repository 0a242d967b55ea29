# Two commands a newcomer needs: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := examples/real-estate-agents.txt

.PHONY: demo test lint bench clean

$(BIN)/crosstalk: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

demo: $(BIN)/crosstalk
	$(BIN)/crosstalk analyze $(EXAMPLE)

test: $(BIN)/crosstalk
	$(BIN)/ruff check bot tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

bench: $(BIN)/crosstalk
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
