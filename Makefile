# mxrtl: build, generate, simulate, prove, test.
#   make gen      generate a configuration into rtl-out/ (GEN_ARGS, default the MXFP4 one at BLOCK=32)
#   make sim      Verilator bench for the configuration in rtl-out/
#   make formal   Yosys equivalence proofs for the configuration in rtl-out/
#   make regress  generate, lint, simulate and prove a list of configurations (REGRESS_ARGS)
#   make test     everything npm test runs: a tool check, unit tests, sim and formal of rtl-out/, the ci regression
# Variables: GEN_ARGS (gen options, e.g. "--preset mxfp8" or "--elem-a e4m3 --elem-b e2m1"; given to
#            make sim / make formal, they regenerate rtl-out/ first), BLOCK (the block size when
#            GEN_ARGS is not given), SIM (verilator or icarus), SIM_ARGS (e.g. --vectors 100000 or
#            --replay FILE), FORMAL_ARGS,
#            REGRESS_ARGS (e.g. "--shard 2/4"), RTL (the folder, default rtl-out).

NODE  ?= node
BLOCK ?= 32
RTL   ?= rtl-out
GEN_ARGS ?=

.PHONY: all build gen sim formal regress regress-ci unit tools test clean

all: gen

build:
	npx tsc -p tsconfig.json

gen: build
	$(NODE) bin/mxrtl.js gen $(if $(GEN_ARGS),$(GEN_ARGS),--block $(BLOCK)) --out $(RTL)

# With GEN_ARGS, sim and formal run on that configuration (regenerated); without, on what RTL holds
# (the default configuration when it holds none).
ifneq ($(strip $(GEN_ARGS)),)
CONFIG := gen
else
CONFIG := $(RTL)/manifest.json
endif

$(RTL)/manifest.json:
	$(MAKE) gen

sim: build $(CONFIG)
	$(NODE) dist/sim/run.js --rtl $(RTL) $(if $(SIM),--simulator $(SIM)) $(SIM_ARGS)

formal: build $(CONFIG)
	$(NODE) dist/formal/run.js --rtl $(RTL) $(FORMAL_ARGS)

regress: build
	$(NODE) bin/mxrtl.js regress $(REGRESS_ARGS)

# The representative subset npm test runs (every same-format pair, mixed pairs, NVFP4, BF16 results).
regress-ci: build
	$(NODE) bin/mxrtl.js regress --set ci --out regress-out/ci

unit: build
	npx vitest run

# the system tools the bench needs (Verilator, make, g++, ccache, Icarus): named, with the install command
tools:
	bash scripts/install-tools.sh --check

test: tools unit sim formal regress-ci

clean:
	rm -rf dist sim/build formal/reports formal/work regress-out
