# itaflow: two commands for a fresh machine with Python 3.11+ and git.
#   make demo   the whole job on the embedded default (SQLite, local folders, mail to an outbox)
#   make test   the whole test suite (what .ci/run calls)
SHELL := /bin/bash
UV := $(shell scripts/bootstrap-uv.sh)

.PHONY: demo test install lint format bench bench-quick clean-demo ui

install:
	$(UV) sync --frozen

demo: install
	UV=$(UV) scripts/demo.sh

test: install
	scripts/system-deps.sh
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run pytest -q -p no:cacheprovider

ui: install
	UV=$(UV) scripts/ui.sh

lint:
	$(UV) run ruff check --fix .
	$(UV) run ruff format .

bench: install
	$(UV) run python benchmarks/bench_pipeline.py
	$(UV) run python benchmarks/bench_checks.py
	$(UV) run python benchmarks/bench_load.py
	$(UV) run python benchmarks/accuracy.py
	$(UV) run python benchmarks/defects.py
	$(UV) run python benchmarks/accuracy.py --producers -n 64

# A few minutes: one small province (also through the DAGs) and one drawn province.
bench-quick: install
	$(UV) run python benchmarks/bench_pipeline.py --province ตราด --provinces 1 --repeat 1

clean-demo:
	rm -rf var/demo .airflow reports/out
