# The two commands of the quick start are `make run` and `make test`; everything they need
# is installed here from the project's own files.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DATA_DIR ?= ./data
FRONTEND_SOURCES := $(shell find frontend/src frontend/index.html frontend/vite.config.ts frontend/tsconfig*.json -type f 2>/dev/null)

.PHONY: run test docker-test test-python test-frontend test-e2e bench bench-compare mutation lint format clean api-types

run: $(VENV)/.installed frontend/dist/index.html
	$(BIN)/python -m backend --host $(HOST) --port $(PORT) --data-dir $(DATA_DIR)

test: $(VENV)/.installed-dev frontend/dist/index.html
	frontend/scripts/api-types.sh --check
	$(BIN)/pytest engine/tests backend/tests -q
	$(BIN)/pytest clients/python/tests -q
	cd frontend && npm test
	$(BIN)/pytest e2e -q --output test-results

# The self-hosted deploys built and run in Docker (deploy/tests): installs docker.io,
# docker-compose and debootstrap when missing, starts dockerd when none runs, and builds
# local stand-ins for base images no registry serves. About 5 min fresh, 1 min cached.
docker-test: $(VENV)/.installed-dev
	$(BIN)/pytest deploy/tests -q --output test-results

bench: $(VENV)/.installed-dev frontend/dist/index.html
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/engine_bench.py
	$(BIN)/python bench/training_bench.py
	WENGERT_ACCESS_LOG=false $(BIN)/python bench/api_bench.py
	$(BIN)/python bench/isolation_bench.py
	$(BIN)/python bench/store_bench.py
	WENGERT_ACCESS_LOG=false $(BIN)/python bench/timeline_bench.py
	$(BIN)/python bench/scale_bench.py
	WENGERT_ACCESS_LOG=false $(BIN)/python e2e/bench_frontend.py

# This checkout's benchmarks beside REF's (default main), alternating in one session, each
# figure with its ratio; QUICK=1 for a run of a few minutes.
REF ?= main
bench-compare: $(VENV)/.installed-dev
	$(BIN)/python bench/compare.py --ref $(REF) $(if $(QUICK),--quick)

# Mutation testing of the engine and the backend's access control, store, events and limits
# (a few minutes on 2 cores; not part of `make test`). The report fails under the targets.
mutation: $(VENV)/.installed-dev
	$(BIN)/pip install --quiet -e '.[dev,mutation]'
	$(BIN)/mutmut run --max-children $(shell nproc)
	$(BIN)/python mutation/report.py

# The frontend's API types, generated from the server's OpenAPI document; `make test` checks
# that the committed file is what the server's models generate now.
api-types: $(VENV)/.installed frontend/node_modules/.installed
	frontend/scripts/api-types.sh

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

$(VENV)/.created:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Wengert needs Python 3.11+"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	touch $@

$(VENV)/.installed: $(VENV)/.created pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

# The client (clients/python) is installed editable beside the server, with torch for its
# PyTorch comparison tests.
$(VENV)/.installed-dev: $(VENV)/.created pyproject.toml clients/python/pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev,torch]' -e clients/python
	touch $@ $(VENV)/.installed

frontend/node_modules/.installed: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

frontend/dist/index.html: frontend/node_modules/.installed $(FRONTEND_SOURCES)
	cd frontend && npm run build

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist test-results
