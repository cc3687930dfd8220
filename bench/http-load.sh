#!/usr/bin/env bash
# HTTP load test of `firedrill serve --demo` on loopback: time to ready, a small query, and
# volumeDelete round trips. Server pinned to core 0, load generator (oha) to core 1.
#
# Usage: bench/http-load.sh [seconds per run, default 10]
# Needs: taskset, curl, python3; installs oha with `cargo install oha --locked` if missing.
# Every request goes to 127.0.0.1; every run is bounded by oha's -z.
set -euo pipefail
cd "$(dirname "$0")/.."

SECS="${1:-10}"
CONNS=4
BIN=target/perf/firedrill

if ! command -v oha >/dev/null; then
  cargo install oha --locked
fi
cargo build --profile perf --bin firedrill >&2

SRV_PID=""
stop_server() {
  if [[ -n "$SRV_PID" ]]; then
    kill "$SRV_PID" 2>/dev/null || true
    wait "$SRV_PID" 2>/dev/null || true
    SRV_PID=""
  fi
}
trap stop_server EXIT

# Starts the server and fills URL, BASE, OWNER, STAGING, READY_MS, FIRST_MS.
start_server() {
  local profile="$1" line t0 t_ready t_first
  t0=$EPOCHREALTIME
  coproc SRV { exec taskset -c 0 "$BIN" serve --demo --port 0 --profile "$profile"; }
  SRV_PID=$SRV_PID
  URL="" OWNER="" STAGING=""
  while IFS= read -r line <&"${SRV[0]}"; do
    case "$line" in
      *" at http://"*) URL="${line##* at }" ;;
      *" owner "*account*) OWNER="$(awk '{print $3}' <<<"$line")" ;;
      *" staging-deploy "*project*) STAGING="$(awk '{print $3}' <<<"$line")" ;;
      ready) break ;;
    esac
  done
  t_ready=$EPOCHREALTIME
  BASE="${URL%/graphql/v2}"
  until curl -sf -o /dev/null -X POST "$URL" -H 'content-type: application/json' \
      -H "project-access-token: $STAGING" -d '{"query":"{ projectToken { projectId } }"}'; do :; done
  t_first=$EPOCHREALTIME
  READY_MS=$(python3 -c "print(f'{($t_ready-$t0)*1000:.1f}')")
  FIRST_MS=$(python3 -c "print(f'{($t_first-$t0)*1000:.1f}')")
  # The server prints nothing more on stdout after `ready`, so the pipe never fills.
}

# Runs oha pinned to core 1 and prints "req/s p50 p99 success-rate".
load() {
  local body="$1"; shift
  taskset -c 1 oha -z "${SECS}s" -c "$CONNS" --no-tui --output-format json -m POST \
    -H 'content-type: application/json' "$@" -d "$body" "$URL" |
    python3 -c '
import json, sys
r = json.load(sys.stdin)
s, l = r["summary"], r["latencyPercentiles"]
codes = r.get("statusCodeDistribution", {})
rps, p50, p99, ok = s["requestsPerSec"], l["p50"] * 1000, l["p99"] * 1000, s["successRate"] * 100
print(f"  {rps:9.0f} req/s   p50 {p50:.3f} ms   p99 {p99:.3f} ms   success {ok:.1f}%   status {codes}")'
}

gql() { python3 -c 'import json,sys; print(json.dumps({"query": sys.argv[1]}))' "$1"; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "oha $(oha --version | awk '{print $2}'), ${CONNS} connections, ${SECS}s per run; server on core 0, oha on core 1"

echo
echo "== time to ready (5 starts, railway profile)"
for _ in 1 2 3 4 5; do
  start_server railway
  echo "  ready line after ${READY_MS} ms, first successful request after ${FIRST_MS} ms"
  stop_server
done

echo
echo "== small query: { projectToken { projectId environmentId } } with the staging project token"
start_server railway
load "$(gql '{ projectToken { projectId environmentId } }')" -H "project-access-token: $STAGING"
stop_server

echo
echo "== small project query: { project(id) { id name } } with the owner's account token"
start_server railway
PROJECT=$(curl -sf "$BASE/_firedrill/state" | python3 -c 'import json,sys; s=json.load(sys.stdin); print(next(p["id"] for p in s["projects"] if p["name"]=="pocketos"))' 2>/dev/null || true)
if [[ -n "$PROJECT" ]]; then
  load "$(gql "{ project(id: \"$PROJECT\") { id name } }")" -H "authorization: Bearer $OWNER"
else
  echo "  (skipped: could not read the project id from /_firedrill/state)"
fi
stop_server

# volumeDelete succeeds once per world; after that the same request is refused with a conflict
# (`volume is already being deleted`) after full parsing, authorization and audit. Two honest
# measurements: (a) the repeated request on one world, (b) one world per request, restarting
# the server between requests is far slower than the request, so instead (b) deletes and
# restores out of band on one server (railway profile), counting each delete that succeeded.
echo
echo "== volumeDelete round trip, incident profile: first call deletes, the rest are refused (already deleted)"
start_server railway-2026-04
PG=$(curl -sf "$BASE/_firedrill/state" | python3 -c 'import json,sys; s=json.load(sys.stdin); print(next(v["id"] for v in s["volumes"] if v["name"]=="pg-data"))')
load "$(gql "mutation { volumeDelete(volumeId: \"$PG\") }")" -H "authorization: Bearer $OWNER"
stop_server

echo
echo "== a repeatable mutation on the served world: volumeUpdate(name) with the owner's token"
start_server railway
PG=$(curl -sf "$BASE/_firedrill/state" | python3 -c 'import json,sys; s=json.load(sys.stdin); print(next(v["id"] for v in s["volumes"] if v["name"]=="pg-data"))')
load "$(gql "mutation { volumeUpdate(volumeId: \"$PG\", input: { name: \"pg-data\" }) { id } }")" -H "authorization: Bearer $OWNER"
stop_server

echo
echo "== successful volumeDelete on a fresh world, sequential: delete + out-of-band restore pairs over one connection (railway profile)"
start_server railway
PG=$(curl -sf "$BASE/_firedrill/state" | python3 -c 'import json,sys; s=json.load(sys.stdin); print(next(v["id"] for v in s["volumes"] if v["name"]=="pg-data"))')
python3 - "$URL" "$BASE" "$PG" "$OWNER" "$SECS" <<'PY'
import http.client, json, sys, time
url, base, pg, owner, secs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])
host = base.removeprefix("http://")
c = http.client.HTTPConnection(host)
body = json.dumps({"query": f'mutation {{ volumeDelete(volumeId: "{pg}") }}'})
hdr = {"content-type": "application/json", "authorization": f"Bearer {owner}"}
n, lat = 0, []
end = time.perf_counter() + min(secs, 5)
while time.perf_counter() < end:
    t = time.perf_counter()
    c.request("POST", "/graphql/v2", body, hdr)
    r = json.loads(c.getresponse().read())
    lat.append(time.perf_counter() - t)
    assert r == {"data": {"volumeDelete": True}}, r
    c.request("POST", f"/_firedrill/volumes/{pg}/restore", "{}", {"content-type": "application/json"})
    assert c.getresponse().read()
    n += 1
lat.sort()
print(f"  {n} successful deletes; delete latency p50 {lat[len(lat)//2]*1000:.3f} ms p99 {lat[int(len(lat)*0.99)]*1000:.3f} ms "
      f"(one Python client: a latency figure, not a throughput one)")
PY
stop_server
