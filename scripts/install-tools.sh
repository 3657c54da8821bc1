#!/usr/bin/env bash
# Installs the system tools the bench and tests use (Verilator, the make and g++ it builds with,
# ccache, Icarus Verilog) from Debian's packages when they are missing. Runs as part of `npm install`:
# as root with apt-get it installs them; otherwise, or when apt-get fails, it says what is missing and
# how to install it, and exits 0 so that the install (and `mxrtl gen`) still works.
# Set MXRTL_SKIP_TOOLS=1 to skip it. With --check it installs nothing and exits 1 when a tool is
# missing (`make test` runs that first).
set -u
[ "${MXRTL_SKIP_TOOLS:-}" = 1 ] && [ "${1:-}" != --check ] && exit 0
missing=()
command -v verilator >/dev/null 2>&1 || missing+=(verilator)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v ccache >/dev/null 2>&1 || missing+=(ccache)
command -v iverilog >/dev/null 2>&1 || missing+=(iverilog)
[ ${#missing[@]} -eq 0 ] && exit 0
hint="Install with: sudo apt-get install -y ${missing[*]} (Debian package names)"
if [ "${1:-}" = --check ]; then
  echo "mxrtl: ${missing[*]} not found; the simulation bench and the tests need them. $hint" >&2
  exit 1
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "mxrtl setup: installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; then
    exit 0
  fi
  echo "mxrtl setup: apt-get could not install ${missing[*]}; 'mxrtl gen' works without them, 'make sim' and 'npm test' need them. $hint" >&2
  exit 0
fi
echo "mxrtl setup: ${missing[*]} not found; 'mxrtl gen' works without them, 'make sim' and 'npm test' need them. $hint" >&2
exit 0
