#!/usr/bin/env bash
# Runs every fuzz target of the project for FUZZTIME seconds each (default 30),
# one after the other: `make fuzz` or `FUZZTIME=120 scripts/fuzz.sh [PKG...]`.
#
# The targets run from a test binary built without coverage instrumentation
# (`go test -c`, then `-test.fuzz`): on this project `go test -fuzz` with its
# instrumentation stalled at 0 execs/s a few seconds into FuzzUnmarshalIndex,
# while the plain binary runs ~100,000 execs/s and found two panics of a
# damaged index dump within a minute (2026-12-04). Mutation without coverage
# guidance is blinder but far faster; use `go test -fuzz` for the guidance.
# A failing input is written to the package's testdata/fuzz/<Target>/: once
# fixed, commit it, and `go test` replays it ever after.
set -euo pipefail
fuzztime=${FUZZTIME:-30}
pkgs=("$@")
if [ ${#pkgs[@]} -eq 0 ]; then
  mapfile -t pkgs < <(grep -rl --include='*_test.go' '^func Fuzz' . | grep -v '^./third_party/' | xargs -n1 dirname | sort -u)
fi
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
failed=0
for pkg in "${pkgs[@]}"; do
  pkg=./${pkg#./}
  test="$bin/$(echo "$pkg" | tr / _).test"
  case $pkg in
    ./app*|./widgets*) go test -tags migrated_fynedo -c -o "$test" "$pkg" ;;  # Fyne needs cgo
    *) CGO_ENABLED=0 go test -c -o "$test" "$pkg" ;;
  esac
  for target in $(grep -h '^func Fuzz' "$pkg"/*_test.go | sed 's/^func \(Fuzz[A-Za-z0-9_]*\).*/\1/'); do
    printf '%-22s %-20s ' "$pkg" "$target"
    log="$bin/$target.log"
    if (cd "$pkg" && "$test" -test.run '^$' -test.fuzz "^$target\$" -test.fuzztime "${fuzztime}s" \
        -test.fuzzminimizetime 10s -test.fuzzcachedir "$bin/cache-$target" >"$log" 2>&1); then
      grep -Eo 'execs: [0-9]+' "$log" | tail -1
    else
      echo FAILED; sed -n '/--- FAIL/,$p' "$log"; failed=1
    fi
  done
done
exit $failed
