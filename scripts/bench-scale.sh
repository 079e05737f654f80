#!/usr/bin/env bash
# bench-scale.sh — issue 18: makes demo registries of 100,000, 500,000 and
# 1,000,000 persons and measures each operation on them, whole process, with
# /usr/bin/time -v (wall time and peak RSS). Not part of CI: on 2 cores it
# takes about an hour (the 1,000,000-person registry alone 15–20 min) and
# ~5 GB of disk.
#
#   scripts/bench-scale.sh [OP…]   (default: every op; SIZES="100k 500k 1m";
#                                   CLI=path NOBUILD=1 to measure a given binary;
#                                   PROFILE=1 writes SCALE/OP-SIZE.heap, the heap
#                                   profile at the command's largest heap, for
#                                   `go tool pprof`)
#
# Each operation is one function `op_<name> SIZE` below (OP is its name with
# `-` or `_`); add one per operation and list it in ALL_OPS. Results are
# appended to $OUT (default /tmp/scale/results.tsv), one row per run:
#   op  size  seconds  peak-MB  note
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SCALE=${SCALE:-/tmp/scale}
SIZES=${SIZES:-"100k 500k 1m"}
OUT=${OUT:-$SCALE/results.tsv}
CLI=${CLI:-$SCALE/registar-cli}
mkdir -p "$SCALE"

persons() { case $1 in 100k) echo 100000 ;; 500k) echo 500000 ;; 1m) echo 1000000 ;; *) echo "${1%k}000" ;; esac; }

build() {
	(cd "$ROOT" && CGO_ENABLED=0 go build -o "$CLI" ./cmd/registar-cli)
}

# measure OP SIZE NOTE -- COMMAND…: runs the command under /usr/bin/time -v
# and appends a row to $OUT.
measure() {
	local op=$1 size=$2 note=$3
	shift 4
	local log="$SCALE/$op-$size.time"
	local profile=()
	[[ -z ${PROFILE:-} ]] || profile=(env REGISTAR_MEMPROFILE="$SCALE/$op-$size.heap")
	if ! /usr/bin/time -v "${profile[@]}" "$@" >"$SCALE/$op-$size.out" 2>"$log"; then
		echo "$op $size: failed, see $log and $SCALE/$op-$size.out" >&2
	fi
	local wall rss
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")
	rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")
	# CPU time (user + system): on the shared VM the wall time moves with
	# the load, the CPU time much less.
	cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {printf "%.1f", s}' "$log")
	printf '%s\t%s\t%s\t%s\t%s\n' "$op" "$size" "$wall" "$rss" "$note${note:+, }cpu ${cpu} s" | tee -a "$OUT"
}

# registry SIZE: the demo registry of that size, made once. Whoever makes
# it holds SCALE/pSIZE.making (taken with noclobber) and touches
# SCALE/pSIZE.done when it is whole.
registry() {
	local dir="$SCALE/p$1"
	if [[ ! -d $dir ]] && (set -o noclobber; echo $$ >"$dir.making") 2>/dev/null; then
		"$CLI" --db "$dir" demo --persons "$(persons "$1")" >/dev/null 2>&1
		touch "$dir.done"
	fi
	while [[ -e $dir.making && ! -e $dir.done ]]; do sleep 5; done
	echo "$dir"
}

# scratch SIZE: a copy of the registry of that size for an op that writes.
scratch() {
	local dir="$SCALE/scratch-$1"
	rm -rf "$dir"
	cp -a "$(registry "$1")" "$dir"
	echo "$dir"
}

# ---- issue 18, data engineer's operations ----

op_demo() { # demo SIZE: a new registry made from nothing
	local dir="$SCALE/demo-$1"
	rm -rf "$dir"
	measure demo "$1" "persons $(persons "$1"), seed 1" -- "$CLI" --db "$dir" demo --persons "$(persons "$1")"
	rm -rf "$dir"
}

op_bundle_export() { # the whole registry in one bundle (a new laptop catching up)
	local dir
	dir=$(registry "$1")
	rm -f "$SCALE/all-$1.registar"
	measure bundle-export "$1" "whole registry" -- "$CLI" --db "$dir" bundle export "$SCALE/all-$1.registar"
}

op_bundle_merge() { # that bundle merged into an empty registry
	[[ -f $SCALE/all-$1.registar ]] || op_bundle_export "$1" >/dev/null
	local dir="$SCALE/merge-$1"
	rm -rf "$dir"
	measure bundle-merge "$1" "into an empty registry" -- "$CLI" --db "$dir" bundle merge "$SCALE/all-$1.registar"
	rm -rf "$dir"
}

op_export_xlsx() {
	local dir
	dir=$(registry "$1")
	measure export-xlsx "$1" "all persons" -- "$CLI" --db "$dir" export --kind person "$SCALE/persons-$1.xlsx"
	rm -f "$SCALE/persons-$1.xlsx"
}

op_export_csv() {
	local dir
	dir=$(registry "$1")
	measure export-csv "$1" "all persons" -- "$CLI" --db "$dir" export --kind person "$SCALE/persons-$1.csv"
	rm -f "$SCALE/persons-$1.csv"
}

# rows100k: a .csv of 100,000 new persons (another seed, without the ID
# column, so they are new to every registry).
rows100k() {
	local f="$SCALE/rows100k.csv"
	if [[ ! -f $f ]]; then
		local src="$SCALE/rows100k-src"
		rm -rf "$src"
		"$CLI" --db "$src" demo --persons 100000 --businesses 0 --organisations 0 --seed 18 >/dev/null 2>&1
		"$CLI" --db "$src" export --kind person "$src.csv" >/dev/null
		# drop the first column, the ID (fields may hold commas and newlines)
		python3 -c 'import csv,sys; r=csv.reader(open(sys.argv[1],newline="",encoding="utf-8-sig")); w=csv.writer(open(sys.argv[2],"w",newline="",encoding="utf-8")); [w.writerow(row[1:]) for row in r]' "$src.csv" "$f"
		rm -rf "$src" "$src.csv"
	fi
	echo "$f"
}

op_import() { # 100,000 rows into a copy of the registry
	local rows dir
	rows=$(rows100k)
	dir=$(scratch "$1")
	measure import "$1" "100,000 new rows (.csv)" -- "$CLI" --db "$dir" import "$rows"
	rm -rf "$dir"
}

op_report_statistics() {
	local dir
	dir=$(registry "$1")
	measure report-statistics "$1" "" -- "$CLI" --db "$dir" report statistics --out "$SCALE/stats-$1.pdf"
	rm -f "$SCALE/stats-$1.pdf"
}

op_report_pocketbook() { # about 50,000 persons who consented to publication, A6
	local dir countries
	dir=$(registry "$1")
	case $1 in # the countries that give about 50,000 entries at each size
	100k) countries="" ;;   # all: ~40,000
	500k) countries=AT,CH ;; # ~57,000
	*) countries=CH ;;      # 1m: ~51,000
	esac
	measure report-pocketbook "$1" "persons who consented${countries:+, $countries}" -- \
		"$CLI" --db "$dir" report pocketbook --kinds person ${countries:+--countries $countries} --out "$SCALE/pocket-$1.pdf"
	sed -i "\$s/\$/ ($(grep -o '[0-9]* entries' "$SCALE/report-pocketbook-$1.out"))/" "$OUT"
	rm -f "$SCALE/pocket-$1.pdf"
}

ALL_OPS=(demo bundle_export bundle_merge export_xlsx export_csv import report_statistics report_pocketbook)

# ---- issue 18, store engineer's operations ----

op_rebuild() { # the first open without a saved index (after a restore, a format change, damage)
	local dir
	dir=$(scratch "$1")
	rm -f "$dir"/index-*.snapshot
	measure rebuild "$1" "stats, index rebuilt from the records" -- "$CLI" --db "$dir" stats
	rm -rf "$dir"
}

op_backup() {
	local dir
	dir=$(registry "$1")
	rm -f "$SCALE/backup-$1.backup"
	measure backup "$1" "whole registry" -- "$CLI" --db "$dir" backup "$SCALE/backup-$1.backup"
}

op_restore_open() { # restore into a new folder; the command's own open rebuilds the index
	[[ -f $SCALE/backup-$1.backup ]] || op_backup "$1" >/dev/null
	local dir="$SCALE/restore-$1"
	rm -rf "$dir" "$dir".before-restore-*
	measure restore-open "$1" "restore + first open (index rebuilt)" -- "$CLI" --db "$dir" restore "$SCALE/backup-$1.backup"
	measure open-after-restore "$1" "the next command (stats)" -- "$CLI" --db "$dir" stats
	rm -rf "$dir" "$dir".before-restore-*
}

ALL_OPS+=(rebuild backup restore_open)

main() {
	local ops=("$@")
	[[ ${#ops[@]} -gt 0 ]] || ops=("${ALL_OPS[@]}")
	[[ -n ${NOBUILD:-} ]] || build
	for size in $SIZES; do
		# An open that rebuilds the index (after a change of its format)
		# is done here, unmeasured, not by the first op measured.
		"$CLI" --db "$(registry "$size")" stats >/dev/null
		for op in "${ops[@]}"; do
			"op_${op//-/_}" "$size"
		done
	done
}

main "$@"
