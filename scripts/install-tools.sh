#!/usr/bin/env bash
# Installs the system tools the bench and tests use (Verilator, the make and g++ it builds with,
# ccache, Icarus Verilog) from Debian's packages when they are missing. Runs as part of `npm install`; as root it installs,
# otherwise it says how. Set MXRTL_SKIP_TOOLS=1 to skip it.
set -u
[ "${MXRTL_SKIP_TOOLS:-}" = 1 ] && exit 0
missing=()
command -v verilator >/dev/null 2>&1 || missing+=(verilator)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v ccache >/dev/null 2>&1 || missing+=(ccache)
command -v iverilog >/dev/null 2>&1 || missing+=(iverilog)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "mxrtl setup: installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; then
    exit 0
  fi
  echo "mxrtl setup: apt-get could not install ${missing[*]}; 'make sim' and 'npm test' need them" >&2
  exit 1
fi
echo "mxrtl setup: ${missing[*]} not found; 'make sim' and 'npm test' need them. Install with: sudo apt-get install -y ${missing[*]}" >&2
exit 0
