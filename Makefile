# mxrtl: build, generate, simulate, prove, test.
#   make gen      generate the default configuration into rtl-out/ (BLOCK=32)
#   make sim      Verilator bench for the configuration in rtl-out/ (generates the default first if empty)
#   make formal   Yosys equivalence proofs for the configuration in rtl-out/ (same rule)
#   make test     everything npm test runs: unit tests, sim, formal
# Variables: BLOCK (gen), SIM_ARGS (extra sim options, e.g. --vectors 100000 or --replay FILE),
#            FORMAL_ARGS (extra formal options).

NODE  ?= node
BLOCK ?= 32
RTL   ?= rtl-out

.PHONY: all build gen sim formal unit test clean

all: gen

build:
	npx tsc -p tsconfig.json

gen: build
	$(NODE) bin/mxrtl.js gen --block $(BLOCK) --out $(RTL)

# Generate the default configuration when rtl-out/ holds none.
$(RTL)/manifest.json:
	$(MAKE) gen

sim: build $(RTL)/manifest.json
	$(NODE) dist/sim/run.js --rtl $(RTL) $(SIM_ARGS)

formal: build $(RTL)/manifest.json
	$(NODE) dist/formal/run.js --rtl $(RTL) $(FORMAL_ARGS)

unit: build
	npx vitest run

test: unit sim formal

clean:
	rm -rf dist sim/build formal/reports formal/work
