#!/usr/bin/env bash
# Agent footprint (DESIGN §8: steady RSS ≤ 48 MiB, idle CPU ≤ 1 millicore), repeatable:
#   bench/agent-footprint.sh [warm-up s] [idle window s] [idle windows] [storm s] [storm lines/s]
# Starts a --no-agent coordinator (SQLite) and one agent with every monitor on: kernel log (a replayed file that
# the storm appends to), the kubelet/containerd journals (real .journal files via libsystemd), four plain log
# files, mounts, networking, container runtime (no CRI socket here) and accelerators (none on this machine).
# Prints RSS/PSS/anonymous memory and process CPU (utime+stime, all threads, dead ones too) per window.
# KERNEL_LOG=dev: /dev/kmsg instead of the replayed file (idle only). Variants: AGENT_ENV="DOTNET_GCgen0size=0x400000 ..." (environment of the agent only), AGENT_DLL=path/to/a/publish's
# NodeHealth.NodeHost.dll (or AGENT_EXE=a native apphost), extra --Agent:X=Y arguments after the numbers.
# Needs a Release build (dotnet build Actors.sln -c Release), python3 and Debian's systemd-journal-remote.
set -euo pipefail
cd "$(dirname "$0")/.."
warmup=${1:-60}; window=${2:-60}; windows=${3:-2}; storm=${4:-30}; rate=${5:-10000}
shift $(( $# < 5 ? $# : 5 ))
agent_dll=$(realpath "${AGENT_DLL:-src/NodeHost/bin/Release/net10.0/NodeHealth.NodeHost.dll}")
bench_dll=bench/Bench/bin/Release/net10.0/NodeHealth.Bench.dll
work=$(mktemp -d /tmp/nh-footprint-XXXXXX)
port=$((30000 + RANDOM % 20000))
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "logs: $work"
}
trap cleanup EXIT

# Sources: a kernel log to replay (and to grow during the storm), journal files, plain log files.
dotnet "$bench_dll" generate "$work/storm.log" $((rate * storm + 20000)) 20000 >/dev/null
head -n 2000 "$work/storm.log" >"$work/kmsg.log"
mkdir -p "$work/journal/machine" "$work/logs"
printf '__REALTIME_TIMESTAMP=%s\nSYSLOG_IDENTIFIER=kubelet\nMESSAGE=I1127 kubelet started\n\n__REALTIME_TIMESTAMP=%s\nSYSLOG_IDENTIFIER=containerd\nMESSAGE=containerd started\n\n' \
  "$(date +%s%6N)" "$(date +%s%6N)" >"$work/journal/export"
/lib/systemd/systemd-journal-remote -o "$work/journal/machine/system.journal" "$work/journal/export" 2>/dev/null
for f in messages ipamd cron npa; do echo "$(date '+%b %e %T') host $f: started" >"$work/logs/$f.log"; done

dotnet src/Coordinator/bin/Release/net10.0/NodeHealth.Coordinator.dll --no-agent "--Coordinator:DataDirectory=$work/coordinator" \
  "--Coordinator:HttpPort=$port" "--Coordinator:GrpcPort=$((port + 1))" "--Coordinator:AkkaPort=$((port + 2))" \
  --Coordinator:IngestToken=footprint-token >"$work/coordinator.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.5; done

agent_args=("--Agent:NodeName=footprint-node" "--Agent:StateDirectory=$work/agent" "--Agent:CoordinatorUrl=http://127.0.0.1:$((port + 1))"
  --Agent:Token=footprint-token "--Agent:Journal:Directory=$work/journal"
  "--Agent:LogFiles:messages=$work/logs/messages.log" "--Agent:LogFiles:ipamd=$work/logs/ipamd.log"
  "--Agent:LogFiles:cron=$work/logs/cron.log" "--Agent:LogFiles:npa=$work/logs/npa.log" "$@")
# KERNEL_LOG=dev reads this machine's /dev/kmsg as on a node (it polls every 2 s; the replay every 250 ms): idle only.
if [ "${KERNEL_LOG:-file}" = dev ]; then storm=0; else agent_args+=("--Agent:KernelLogFile=$work/kmsg.log"); fi
if [ -n "${AGENT_EXE:-}" ]; then cmd=("$AGENT_EXE"); else cmd=(dotnet "$agent_dll"); fi
# From its own empty directory, as in the image: the host's content root is the working directory.
mkdir -p "$work/cwd"; (cd "$work/cwd" && exec env ${AGENT_ENV:-} "${cmd[@]}" "${agent_args[@]}" >"$work/agent.log" 2>&1) &
agent=$!; pids+=($agent)
echo "agent pid $agent, ${AGENT_ENV:-default settings}, ${AGENT_EXE:-$agent_dll}; warming up ${warmup}s"

tick=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$agent/stat"; }
memory() { # RSS, PSS, anonymous, file-backed (MiB) and threads
  awk '/^Rss:/ {r=$2} /^Pss:/ {p=$2} /^Anonymous:/ {a=$2} END {printf "rss %.1f MiB, pss %.1f, anon %.1f, file %.1f", r/1024, p/1024, a/1024, (r-a)/1024}' \
    "/proc/$agent/smaps_rollup"
  echo ", threads $(awk '/^Threads:/ {print $2}' "/proc/$agent/status")"
}
threads() { # tid, CPU ticks, name of every live thread
  for t in /proc/$agent/task/*; do sed -E 's/^([0-9]+) \((.*)\) [A-Z] (([^ ]+ ){10})([0-9]+) ([0-9]+) .*/\1 \5 \6 \2/' "$t/stat" 2>/dev/null; done |
    awk '{n=$4; for (i=5; i<=NF; i++) n=n "_" $i; print $1, $2 + $3, n}'
}
measure() { # label seconds
  local before after
  threads >"$work/threads.before"; before=$(cpu); sleep "$2"; after=$(cpu); threads >"$work/threads.after"
  [ -n "${THREADS:-}" ] && awk -v hz="$tick" 'NR==FNR {b[$1]=$2; next} {d=$2-b[$1]; if (d>0) s[$3]+=d} END {for (n in s) printf "%6d ms  %s\n", s[n]*1000/hz, n}' \
    "$work/threads.before" "$work/threads.after" | sort -rn >&2
  awk -v l="$1" -v t="$((after - before))" -v s="$2" -v hz="$tick" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN { printf "%s: %.2f millicores (%d ms CPU in %d s, load %s); ", l, t * 1000 / hz / s, t * 1000 / hz, s, load }'
  memory
}
sleep "$warmup"
kill -0 "$agent" || { echo "agent exited:"; cat "$work/agent.log"; exit 1; }
grep -q "Connected\|connected" "$work/agent.log" || echo "warning: no 'connected' line in the agent log yet"
for i in $(seq 1 "$windows"); do measure "idle $i" "$window"; done

if [ "$storm" -gt 0 ]; then
  python3 - "$work/storm.log" "$work/kmsg.log" "$rate" "$storm" <<'EOF' &
import sys, time
src, dst, rate, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
lines = open(src, 'rb').readlines()[2000:]
step = rate // 10; start = time.monotonic(); i = 0
with open(dst, 'ab', buffering=0) as out:
    for k in range(seconds * 10):
        out.write(b''.join(lines[i:i + step])); i += step
        time.sleep(max(0, start + (k + 1) / 10 - time.monotonic()))
EOF
  writer=$!; pids+=($writer)
  peak=0
  before=$(cpu)
  for _ in $(seq 1 "$storm"); do sleep 1; r=$(awk '/^VmRSS:/ {print $2}' "/proc/$agent/status"); [ "$r" -gt "$peak" ] && peak=$r; done
  wait "$writer" || true
  after=$(cpu)
  awk -v t="$((after - before))" -v s="$storm" -v hz="$tick" -v rate="$rate" -v peak="$peak" \
    'BEGIN { printf "storm (%d lines/s, %d s): %.0f millicores (%.2f CPU-s, %.1f µs CPU per line), peak rss %.1f MiB; ", rate, s, t * 1000 / hz / s, t / hz, t / hz / (rate * s) * 1e6, peak / 1024 }'
  memory
  measure "after storm" "$window"
  echo "replayed file: $(wc -l <"$work/kmsg.log") lines; agent spool: $(grep -c . "$work/agent/spool.jsonl" 2>/dev/null || echo 0) findings (the storm's fault events among them)"
fi
