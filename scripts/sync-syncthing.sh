#!/usr/bin/env bash
# sync-syncthing.sh — proves the sync folder with a real engine.
#
# Two Syncthing instances (Debian's `syncthing` package) run on loopback,
# each with its own home, and share one folder between two Registar
# registries, as two office laptops would. Each side changes its registry,
# runs sync rounds (`registar-cli sync --folder`), and the script measures how
# long and how many rounds it takes until both registries' `stats --json`
# agree. Everything is started in a temporary folder and stopped and removed
# at the end. Not part of CI: it needs the package (installed here with
# apt-get when missing) and ~1 minute. Figures and steps: docs/sync.md.
#
# Environment:
#   PERSONS=200          persons of each laptop's demo registry
#   IMPORT_ROWS=1000     persons laptop A imports from a sheet in the second part
#   WATCH_DELAY=1        seconds Syncthing waits after a change before it scans
#                        (its default is 10: each hop then takes ~10 s longer)
#   GUI_A=18384 GUI_B=18385 LISTEN_A=22101 LISTEN_B=22102   loopback ports
#   SCREENSHOT=FILE.png  a picture of instance A's web UI (needs chromium and node)
#   KEEP=1               keep the temporary folder (its path is printed)
set -euo pipefail
cd "$(dirname "$0")/.."

PERSONS=${PERSONS:-200}
IMPORT_ROWS=${IMPORT_ROWS:-1000}
WATCH_DELAY=${WATCH_DELAY:-1}
GUI_A=${GUI_A:-18384}
GUI_B=${GUI_B:-18385}
LISTEN_A=${LISTEN_A:-22101}
LISTEN_B=${LISTEN_B:-22102}
KEEP=${KEEP:-0}
MAX_ROUNDS=${MAX_ROUNDS:-10}

if ! command -v syncthing >/dev/null || ! command -v jq >/dev/null || ! command -v curl >/dev/null; then
  echo "Syncthing, jq or curl is missing: installing Debian's packages with apt-get."
fi
scripts/sysdeps.sh syncthing jq curl
echo "Engine: $(syncthing --version | head -1)"

echo "Building the CLI: CGO_ENABLED=0 go build -o bin/registar-cli ./cmd/registar-cli"
CGO_ENABLED=0 go build -o bin/registar-cli ./cmd/registar-cli
CLI=$PWD/bin/registar-cli

since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'; }

W=$(mktemp -d "${TMPDIR:-/tmp}/registar-syncthing.XXXXXX")
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [ "$KEEP" = 1 ]; then
    echo "Kept: $W"
  else
    rm -rf "$W"
  fi
}
trap cleanup EXIT

for port in "$GUI_A" "$GUI_B" "$LISTEN_A" "$LISTEN_B"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port on 127.0.0.1 is taken; choose others with GUI_A, GUI_B, LISTEN_A, LISTEN_B." >&2
    exit 1
  fi
done

# --- Syncthing: keys and config for each laptop, loopback only ----------------
# setup_home SIDE GUI LISTEN: generate keys and config, then point the GUI and
# the listener at 127.0.0.1 and turn off everything that would reach the
# internet (global discovery, relays, NAT traversal, usage and crash reports,
# upgrades). Prints the device ID.
setup_home() {
  local side=$1 gui=$2 listen=$3 home=$W/st-$1
  local id
  id=$(syncthing generate --home "$home" --no-default-folder --skip-port-probing 2>&1 |
    sed -n 's/.*Device ID: \([A-Z0-9-]*\).*/\1/p')
  [ -n "$id" ] || { echo "syncthing generate printed no device ID for $side" >&2; exit 1; }
  sed -i \
    -e "s#<address>127.0.0.1:8384</address>#<address>127.0.0.1:$gui</address>#" \
    -e "s#<apikey>[^<]*</apikey>#<apikey>registar-test-$side</apikey>#" \
    -e "s#<listenAddress>default</listenAddress>#<listenAddress>tcp://127.0.0.1:$listen</listenAddress>#" \
    -e "s#<globalAnnounceEnabled>true</globalAnnounceEnabled>#<globalAnnounceEnabled>false</globalAnnounceEnabled>#" \
    -e "s#<localAnnounceEnabled>true</localAnnounceEnabled>#<localAnnounceEnabled>false</localAnnounceEnabled>#" \
    -e "s#<relaysEnabled>true</relaysEnabled>#<relaysEnabled>false</relaysEnabled>#" \
    -e "s#<natEnabled>true</natEnabled>#<natEnabled>false</natEnabled>#" \
    -e "s#<urAccepted>0</urAccepted>#<urAccepted>-1</urAccepted>#" \
    -e "s#<crashReportingEnabled>true</crashReportingEnabled>#<crashReportingEnabled>false</crashReportingEnabled>#" \
    -e "s#<autoUpgradeIntervalH>12</autoUpgradeIntervalH>#<autoUpgradeIntervalH>0</autoUpgradeIntervalH>#" \
    -e "s#<startBrowser>true</startBrowser>#<startBrowser>false</startBrowser>#" \
    "$home/config.xml"
  grep -q "tcp://127.0.0.1:$listen" "$home/config.xml" || { echo "could not set the listen address of $side" >&2; exit 1; }
  echo "$id"
}

api() { # api SIDE METHOD PATH [JSON]
  local gui=$GUI_A
  [ "$1" = b ] && gui=$GUI_B
  curl -sS -f -X "$2" -H "X-API-Key: registar-test-$1" ${4:+-H "Content-Type: application/json" -d "$4"} \
    "http://127.0.0.1:$gui/rest/$3"
}

ID_A=$(setup_home a "$GUI_A" "$LISTEN_A")
ID_B=$(setup_home b "$GUI_B" "$LISTEN_B")
mkdir -p "$W/a/folder" "$W/b/folder"
echo "Laptop A: Syncthing device $ID_A, GUI http://127.0.0.1:$GUI_A, folder $W/a/folder"
echo "Laptop B: Syncthing device $ID_B, GUI http://127.0.0.1:$GUI_B, folder $W/b/folder"

for side in a b; do
  STNOUPGRADE=1 syncthing serve --home "$W/st-$side" --no-browser --no-restart \
    --logfile="$W/st-$side.log" >/dev/null 2>&1 &
  PIDS+=($!)
done
for side in a b; do
  for _ in $(seq 100); do
    api $side GET system/ping >/dev/null 2>&1 && break
    sleep 0.2
  done
  api $side GET system/ping >/dev/null
done

# Each instance learns the other's device ID and address, and the shared
# folder, through the REST API (what the web UI's "Add Remote Device" and
# "Add Folder" do).
share() { # share SIDE SELF_ID OTHER_ID OTHER_LISTEN OTHER_NAME
  api "$1" POST config/devices "{\"deviceID\":\"$3\",\"name\":\"$5\",\"addresses\":[\"tcp://127.0.0.1:$4\"]}" >/dev/null
  api "$1" POST config/folders "{\"id\":\"registar-sync\",\"label\":\"Registar sync\",\"path\":\"$W/$1/folder\",
    \"type\":\"sendreceive\",\"devices\":[{\"deviceID\":\"$2\"},{\"deviceID\":\"$3\"}],
    \"fsWatcherEnabled\":true,\"fsWatcherDelayS\":$WATCH_DELAY,\"rescanIntervalS\":60}" >/dev/null
}
share a "$ID_A" "$ID_B" "$LISTEN_B" "laptop-b"
share b "$ID_B" "$ID_A" "$LISTEN_A" "laptop-a"

connected() { # connected SIDE OTHER_ID
  [ "$(api "$1" GET system/connections | jq -r --arg id "$2" '.connections[$id].connected')" = true ]
}
t0=$(date +%s.%N)
for _ in $(seq 300); do
  connected a "$ID_B" && connected b "$ID_A" && break
  sleep 0.2
done
connected a "$ID_B" || { echo "the two Syncthing instances did not connect; logs in $W/st-*.log" >&2; KEEP=1; exit 1; }
printf 'Syncthing instances connected in %.1f s\n' "$(since "$t0")"

# idle SIDE: the folder is scanned, nothing to pull, and the other device has
# everything this side has (completion 100).
idle() {
  local other=$ID_B
  [ "$1" = b ] && other=$ID_A
  [ "$(api "$1" GET "db/status?folder=registar-sync" | jq -r '.state + " " + (.needTotalItems|tostring)')" = "idle 0" ] &&
    [ "$(api "$1" GET "db/completion?folder=registar-sync&device=$other" | jq -r '.completion')" = 100 ]
}
# carried: wait until the engine has carried what the last round wrote: the
# watcher's delay for the new files to be noticed, then both sides idle.
carried() {
  sleep "$WATCH_DELAY"
  sleep 0.5
  for _ in $(seq 600); do
    idle a && idle b && return 0
    sleep 0.2
  done
  echo "Syncthing did not settle in 2 minutes" >&2
  return 1
}

# screenshot URL FILE: a picture of a page with headless chromium. The web
# UI keeps a long poll open and fills itself in after the page has loaded,
# so `chromium --screenshot` (taken at the load event) shows it empty and
# --virtual-time-budget never ends; chromium is driven over its DevTools
# protocol instead (Node's WebSocket), and the picture taken 8 s later.
screenshot() {
  if ! command -v chromium >/dev/null || ! command -v node >/dev/null; then
    echo "No chromium or node: no screenshot (apt-get install chromium nodejs)"
    return 0
  fi
  local port=${CDP_PORT:-19222}
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$W/chromium" \
    --remote-debugging-port="$port" --remote-allow-origins='*' --window-size=1280,1000 about:blank >/dev/null 2>&1 &
  local cpid=$!
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/json/version" >/dev/null && break
    sleep 0.2
  done
  timeout 60 node --experimental-websocket --no-warnings -e '
    const [port, url, out] = process.argv.slice(1);
    (async () => {
      const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
      const ws = new WebSocket(list.find(t => t.type === "page").webSocketDebuggerUrl);
      let id = 0;
      const waiting = new Map();
      ws.onmessage = e => {
        const m = JSON.parse(e.data);
        if (waiting.has(m.id)) { waiting.get(m.id)(m); waiting.delete(m.id); }
      };
      const send = (method, params = {}) => new Promise(done => {
        waiting.set(++id, done);
        ws.send(JSON.stringify({ id, method, params }));
      });
      await new Promise(open => (ws.onopen = open));
      await send("Emulation.setDeviceMetricsOverride", { width: 1280, height: 1000, deviceScaleFactor: 1, mobile: false });
      await send("Page.navigate", { url });
      await new Promise(later => setTimeout(later, 8000));
      const shot = await send("Page.captureScreenshot", { format: "png" });
      require("fs").writeFileSync(out, Buffer.from(shot.result.data, "base64"));
      process.exit(0);
    })().catch(e => { console.error(e); process.exit(1); });
  ' "$port" "$1" "$2" || echo "chromium made no screenshot"
  kill "$cpid" 2>/dev/null || true
  wait "$cpid" 2>/dev/null || true
  [ -s "$2" ] && echo "Screenshot: $2"
  return 0
}

# --- Registar: two registries, each syncing into its own copy of the folder ---
A=$W/a/db
B=$W/b/db
"$CLI" --db "$A" demo --persons "$PERSONS" --seed 1 >/dev/null 2>&1
"$CLI" --db "$B" demo --persons "$PERSONS" --seed 2 >/dev/null 2>&1
"$CLI" --db "$A" bundle laptop --name "Laptop A" >/dev/null
"$CLI" --db "$B" bundle laptop --name "Laptop B" >/dev/null
echo "Registry A: $("$CLI" --db "$A" stats --json | jq -c '{persons, businesses, organisations, localities}')"
echo "Registry B: $("$CLI" --db "$B" stats --json | jq -c '{persons, businesses, organisations, localities}')"

agree() {
  [ "$("$CLI" --db "$A" stats --json)" = "$("$CLI" --db "$B" stats --json)" ]
}

FIGURES=()
# converge NAME: sync rounds on both laptops, with the engine carrying the
# files between them, until the registries agree. A round is one `sync` on
# each laptop. Prints the time from the first round to agreement.
converge() {
  local name=$1 start rounds=0 secs
  start=$(date +%s.%N)
  while :; do
    rounds=$((rounds + 1))
    echo "  round $rounds"
    "$CLI" --db "$A" sync --folder "$W/a/folder" | sed 's/^/    A: /'
    "$CLI" --db "$B" sync --folder "$W/b/folder" | sed 's/^/    B: /'
    carried
    if agree; then
      break
    fi
    if [ "$rounds" -ge "$MAX_ROUNDS" ]; then
      echo "$name: the registries still differ after $rounds rounds" >&2
      diff <("$CLI" --db "$A" stats --json) <("$CLI" --db "$B" stats --json) >&2 || true
      KEEP=1
      exit 1
    fi
  done
  secs=$(since "$start")
  printf -v line '%s: converged in %d rounds, %.1f s (watcher delay %s s)' "$name" "$rounds" "$secs" "$WATCH_DELAY"
  echo "$line"
  FIGURES+=("$line")
}

echo "Part 1: two registries that have never met"
converge "first meeting ($PERSONS + $PERSONS persons)"

echo "Part 2: an import on A; edits and an erasure on B"
sheet=$W/new-persons.csv
{
  echo "Ime;Prezime;Datum rođenja;Spol;Država;Grad"
  awk -v n="$IMPORT_ROWS" 'BEGIN {
    split("Amir Emina Selma Jasmin Drita Arbër Ajla Senad", g, " ")
    split("Hodžić Begić Krasniqi Kovačević Mehmedović Gashi Mujić Delić", f, " ")
    split("Njemačka Austrija Švicarska Švedska Slovenija", c, " ")
    for (i = 0; i < n; i++)
      printf "%s;%s %d;%02d.%02d.%d;%s;%s;Stuttgart\n", g[i%8+1], f[int(i/8)%8+1], i, i%28+1, i%12+1, 1950+i%50, (i%2 ? "Ž" : "M"), c[i%5+1]
  }'
} >"$sheet"
"$CLI" --db "$A" --lang bs import "$sheet" 2>/dev/null | grep -E "Novih zapisa|Imported|Uvezeno" | sed 's/^/  A: /' || true
# B edits: every person living in Germany (A's and B's own, since both
# registries hold both now) moves to Austria, through a sheet exported from
# B and imported back with --duplicates update; and B erases one person.
"$CLI" --db "$B" export --kind persons "$W/de.csv" --query "country:DE" | sed 's/^/  B: /'
sed -i '2,$ s/,Germany,/,Austria,/' "$W/de.csv"
# (Rows whose local community's name two laptops both created are refused
# as ambiguous: the first three reasons are shown.)
"$CLI" --db "$B" import "$W/de.csv" --duplicates update 2>/dev/null |
  grep -E "^(Records updated|Rejected|  [0-9]+:)" | head -5 | sed 's/^/  B: /' || true
victim=$("$CLI" --db "$B" search "country:SE" --json --limit 1 | jq -r '.[0].id')
"$CLI" --db "$B" erase "$victim" --yes | sed 's/^/  B: /'
converge "import of $IMPORT_ROWS on A, edits and an erasure on B"
if "$CLI" --db "$A" search "country:SE" --json --limit 100000 | jq -e --arg id "$victim" 'any(.[]; .id == $id)' >/dev/null; then
  echo "the person erased on B is still on A" >&2
  exit 1
fi
echo "  the person erased on B ($victim) is gone from A too"

echo "Part 3: rounds after agreement, until nothing moves"
# Agreement is reached before the folder is quiet: the round that merged an
# erasure may have rewritten files without the erased person, which the
# other laptop then merges (changing nothing). Rounds go on until neither
# laptop writes, merges or rewrites anything; the last one is timed.
quiet=0
while :; do
  quiet=$((quiet + 1))
  start=$(date +%s.%N)
  outA=$("$CLI" --db "$A" sync --folder "$W/a/folder")
  outB=$("$CLI" --db "$B" sync --folder "$W/b/folder")
  secs=$(since "$start")
  echo "  round $quiet"
  echo "$outA" | sed 's/^/    A: /'
  echo "$outB" | sed 's/^/    B: /'
  if ! printf '%s\n%s\n' "$outA" "$outB" | grep -qE "Written to|files merged|taken out"; then
    break
  fi
  if [ "$quiet" -ge "$MAX_ROUNDS" ]; then
    echo "the folder is still not quiet after $quiet rounds" >&2
    KEEP=1
    exit 1
  fi
  carried
done
agree || { echo "the registries differ after the quiet rounds" >&2; KEEP=1; exit 1; }
FIGURES+=("after agreement: $((quiet - 1)) more rounds until nothing moved")
printf -v line 'a round with nothing new on both laptops: %.2f s (two CLI runs, opening the registry included)' "$secs"
echo "$line"
FIGURES+=("$line")

# What Syncthing itself said about the folder: items it failed to sync
# (e.g. a file both laptops deleted), which it retries later.
failed=$(cat "$W"/st-a.log "$W"/st-b.log | grep -c "Failed to sync" || true)
if [ "$failed" -gt 0 ]; then
  echo "Syncthing's complaints:"
  grep -h -E "Puller|Failed to sync" "$W"/st-a.log "$W"/st-b.log | sed 's/^/  /'
fi
FIGURES+=("Syncthing 'Failed to sync' notes in its logs: $failed")
conflicts=$(find "$W/a/folder" "$W/b/folder" -name '*sync-conflict*' | wc -l)
files=$(find "$W/a/folder" -name '*.registar' | wc -l)
bytes=$(find "$W/a/folder" -name '*.registar' -printf '%s\n' | awk '{s += $1} END {print s}')
FIGURES+=("folder: $files files, $bytes bytes; Syncthing conflict copies: $conflicts")
echo "Folder as laptop A sees it:"
(cd "$W/a/folder" && find . -name '*.registar' -printf '  %p %s bytes\n' | sort)
[ "$conflicts" -eq 0 ] || { echo "Syncthing made conflict copies" >&2; exit 1; }

if [ -n "${SCREENSHOT:-}" ]; then
  screenshot "http://127.0.0.1:$GUI_A/" "$SCREENSHOT"
fi

echo
echo "Figures:"
for f in "${FIGURES[@]}"; do
  echo "  $f"
done
