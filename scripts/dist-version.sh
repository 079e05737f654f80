#!/usr/bin/env bash
# Prints the version make dist stamps into both archives, the About dialog
# (registar/app.Version) and `registar-cli version` (main.version).
#
#   scripts/dist-version.sh            the version: 0.1.0, 0.1.0-3-g1a2b3c4,
#                                      0.1.0-c72371f-dirty, …
#   scripts/dist-version.sh --numeric  x.y.z for the Windows version resource
#                                      and FyneApp.toml (digits only)
#   scripts/dist-version.sh --build    FyneApp.toml's Build number
#
# The version is `git describe --tags --dirty` without a leading "v" when a
# tag exists; with no tag yet it is FyneApp.toml's Version followed by
# `git describe --always --dirty` (the commit); outside a git checkout (a
# source archive) it is FyneApp.toml's Version. VERSION=… in the environment
# overrides all of this.
set -euo pipefail
cd "$(dirname "$0")/.."

toml() { # toml KEY: a value of FyneApp.toml's [Details]
  awk -v key="$1" '
    /^[[:space:]]*\[/ { details = ($0 ~ /^[[:space:]]*\[Details\]/) }
    details && $1 == key { sub(/^[^=]*=[[:space:]]*/, ""); gsub(/"/, ""); print; exit }
  ' FyneApp.toml
}

version() {
  if [ -n "${VERSION:-}" ]; then
    echo "$VERSION"
    return
  fi
  local base
  base=$(toml Version)
  if git rev-parse --git-dir >/dev/null 2>&1; then
    local d
    if d=$(git describe --tags --dirty 2>/dev/null); then
      echo "${d#v}"
      return
    fi
    if d=$(git describe --always --dirty 2>/dev/null); then
      echo "${base}-${d}"
      return
    fi
  fi
  echo "$base"
}

v=$(version)
if ! [[ $v =~ ^[0-9A-Za-z][0-9A-Za-z.+_-]*$ ]]; then
  echo "dist-version: unusable version '$v' (letters, digits, . + _ - only)" >&2
  exit 1
fi

case "${1:-}" in
  "") echo "$v" ;;
  --numeric)
    if [[ $v =~ ^([0-9]+(\.[0-9]+){0,2}) ]]; then
      echo "${BASH_REMATCH[1]}"
    else
      toml Version
    fi
    ;;
  --build)
    b=$(toml Build)
    echo "${b:-1}"
    ;;
  *) echo "usage: $0 [--numeric|--build]" >&2; exit 2 ;;
esac
