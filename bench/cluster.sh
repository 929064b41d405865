#!/usr/bin/env bash
# Coordinator cluster benchmarks on a private PostgreSQL (fsync on), everything on this machine:
#   bench/cluster.sh fleet <coordinators: 1|3> [agents] [findings per agent] [batch]
#   bench/cluster.sh failover [agents] [seconds]        (three coordinators; one is SIGKILLed: VICTIM=0, the oldest,
#                                                        hosts the shard coordinator singleton; default 2, the youngest)
# COORDINATOR_DLL=path runs another build of the coordinator (an A/B comparison).
# Needs root (PostgreSQL runs as the postgres user), Debian's postgresql, and a Release build
# (dotnet build Actors.sln -c Release; dotnet build bench/Bench -c Release). Logs stay in $work.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:?fleet or failover}; shift
if [ "$mode" = fleet ]; then members=${1:-1}; shift || true; else members=3; fi

work=$(mktemp -d /tmp/nh-bench-XXXXXX); chown postgres "$work"
bin=$(ls -d /usr/lib/postgresql/*/bin | head -1)
pg_port=$((20000 + RANDOM % 10000))
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  runuser -u postgres -- "$bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  echo "logs: $work"
}
trap cleanup EXIT

runuser -u postgres -- "$bin/initdb" -D "$work/data" -A trust -U postgres >/dev/null
runuser -u postgres -- "$bin/pg_ctl" -D "$work/data" -l "$work/postgres.log" -w -o \
  "-p $pg_port -k $work -c listen_addresses=127.0.0.1 -c max_connections=400" start >/dev/null
runuser -u postgres -- "$bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE node_health"
connection="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=node_health"

token=bench-token
seeds=(); urls=()
for i in $(seq 0 $((members - 1))); do seeds+=("--Coordinator:SeedNodes:$i=akka.tcp://node-health@127.0.0.1:$((pg_port + 100 + i))"); done
for i in $(seq 0 $((members - 1))); do
  http=$((pg_port + 200 + i)); grpc=$((pg_port + 300 + i))
  args=(--no-agent "--Coordinator:DataDirectory=$work/c$i" "--Coordinator:HttpPort=$http" "--Coordinator:GrpcPort=$grpc"
        "--Coordinator:AkkaPort=$((pg_port + 100 + i))" "--Coordinator:IngestToken=$token" --Coordinator:Persistence=PostgreSql
        "--Coordinator:ConnectionString=$connection")
  [ "$members" -gt 1 ] && args+=("${seeds[@]}")
  dotnet "${COORDINATOR_DLL:-src/Coordinator/bin/Release/net10.0/NodeHealth.Coordinator.dll}" "${args[@]}" >"$work/coordinator-$i.log" 2>&1 &
  pids+=($!)
  urls+=("http://127.0.0.1:$grpc")
done
for i in $(seq 0 $((members - 1))); do
  for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$((pg_port + 200 + i))/readyz" >/dev/null && break; sleep 0.5; done
done
echo "$members coordinator(s) ready; PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on port $pg_port"
list=$(IFS=,; echo "${urls[*]}")
# CPU seconds (user+sys) of the coordinators and of every PostgreSQL process, to say where the time went.
cpu() { local total=0; for pid in "$@"; do [ -r "/proc/$pid/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done; echo "$total"; }
coordinators_before=$(cpu "${pids[@]}"); postgres_before=$(cpu $(pgrep -u postgres)); started=$(date +%s.%N)
bench=bench/Bench/bin/Release/net10.0/NodeHealth.Bench.dll
case "$mode" in
  fleet) dotnet "$bench" fleet "$list" "$token" "${@}" ;;
  failover) victim=${VICTIM:-$((members - 1))}; echo "SIGKILL goes to coordinator $victim (0 is the oldest)"
            dotnet "$bench" failover "$list" "$token" "${pids[$victim]}" "${@}"
            grep -h "SBR took decision\|ShardCoordinator was moved" "$work"/coordinator-*.log || true ;;
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac
tick=$(getconf CLK_TCK)
awk -v c=$(( $(cpu "${pids[@]}") - coordinators_before )) -v p=$(( $(cpu $(pgrep -u postgres)) - postgres_before )) -v t="$tick" \
    -v wall="$(echo "$(date +%s.%N) - $started" | bc)" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" \
  'BEGIN { printf "cpu: %.1f s wall; coordinators %.1f CPU-s, PostgreSQL %.1f CPU-s (2 cores = %.1f CPU-s available); load average %s\n", wall, c/t, p/t, 2*wall, load }'
