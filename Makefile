# Everything the README promises runs through here; the virtual environment is the project's own.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo test test-fast mutants mutants-table check lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,strongswan,dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/lwip-enb demo

# The whole suite, real peers included: as root the peers' packages are installed first
# (apt); without root the tests that need them skip (LWIP_ENB_STRICT=1 makes them fail).
test: setup peer-deps
	$(BIN)/pytest -q

# The inner loop: keys, codecs, core, peers and the in-memory runtime, in one process (no
# subprocess, VM or daemon), under the Hypothesis "dev" profile. mutmut runs the same selection
# (pyproject.toml [tool.mutmut]; tests/tooling/test_fast_selection.py keeps the two equal).
FAST_TESTS := tests/keys tests/codec tests/procedures tests/requirements tests/transport
FAST_MARKS := not sctp and not strongswan and not slow and not subprocess

test-fast: setup
	LWIP_ENB_STRICT= $(BIN)/pytest -q -p no:cacheprovider $(FAST_TESTS) -m "$(FAST_MARKS)"

# Mutation testing (docs/mutants.md), not part of CI: mutmut copies the project into mutants/
# and runs the fast selection against every mutant. MUTANTS narrows it by mutant name, e.g.
# MUTANTS='lwip_enb.keys.*'; JOBS is the number of worker processes.
MUTANTS ?=
JOBS ?= 2
# Which tests call which function is collected afresh each run (docs/mutants.md): mutmut's kept
# table maps only new tests, so a function added or changed since would look untested.
mutants: setup
	rm -f mutants/mutmut-stats.json
	PATH="$(CURDIR)/$(BIN):$$PATH" LWIP_ENB_STRICT= $(BIN)/mutmut run --max-children $(JOBS) $(MUTANTS)
	$(BIN)/python tests/helpers/mutants_report.py

# mutmut does not mutate module-level data: this mutates each row of the state table instead
# (deleted, another next state, another action) and runs the tests against each (docs/mutants.md).
mutants-table: setup
	LWIP_ENB_STRICT= $(BIN)/python tests/helpers/fsm_table_mutants.py

lint: setup
	$(BIN)/ruff check lwip_enb tests examples
	$(BIN)/ruff format --check lwip_enb tests examples
	$(BIN)/mypy lwip_enb

check: lint test

# QEMU, a kernel with SCTP and virtme-ng: the sctp tests boot it where this kernel has no SCTP.
.PHONY: sctp-deps strongswan-deps tshark-deps peer-deps
sctp-deps: setup
	VENV=$(VENV) bash .ci/sctp-vm-deps

# strongSwan's charon with kernel-libipsec, swanctl, nftables, and vici in the venv.
strongswan-deps: setup
	VENV=$(VENV) bash .ci/strongswan-deps

# tshark: the pcapng captures of traces are opened with Wireshark's dissectors.
tshark-deps:
	bash .ci/tshark-deps

peer-deps: setup
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		$(MAKE) --no-print-directory sctp-deps strongswan-deps tshark-deps; \
	else \
		echo "peer-deps: not root or no apt-get: real-peer tests (sctp, strongswan, tshark) will skip"; \
	fi

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache mutants
