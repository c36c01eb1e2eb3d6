#!/usr/bin/env bash
# Records real Docker Engine API responses into test/fixtures/recorded/ for the unit tests.
#
#   bash scripts/recordFixtures.sh
#
# Needs: a running Docker engine on $DOCKER_SOCK (default /var/run/docker.sock, API v1.41),
# the images busybox:latest, docker:dind and docker:cli (never pulled; see ../shared/env/images-up),
# and curl, jq, socat on PATH.
#
# Every object it creates carries the label dev.matryoshka.test=fixtures and is removed at the end,
# also on failure (trap). Running it again first removes leftovers of an earlier run (idempotent).
#
# Host engine: raw API via `curl --unix-socket`. Inner engines (DinD, Sysbox): the same curl, through a
# local unix socket that socat bridges to `docker exec -i <dind> docker system dial-stdio`, so the bodies
# are what the inner engine sent (curl removes HTTP headers and chunked transfer encoding).
# JSON bodies are pretty-printed with `jq .` (key order kept) and checked to parse to the same value as
# the raw body; the event stream and the log stream are stored byte for byte.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$ROOT/test/fixtures/recorded"
LABEL_KEY=dev.matryoshka.test
LABEL="$LABEL_KEY=fixtures"
API=v1.41
HOST_SOCK=${DOCKER_SOCK:-/var/run/docker.sock}
export DOCKER_HOST="unix://$HOST_SOCK"
READY_TIMEOUT=${READY_TIMEOUT:-180}

WORK=$(mktemp -d /tmp/fxrec.XXXXXX)
STAGE="$WORK/out"
PROXY_PIDS=()
T0=$(date +%s)

log() { printf '[recordFixtures +%ss] %s\n' "$(($(date +%s) - T0))" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

remove_created() {
  local ids
  ids=$(docker ps -aq --filter "label=$LABEL" || true)
  # -v also removes the anonymous /var/lib/docker volumes of the docker:dind containers.
  if [[ -n "$ids" ]]; then docker rm -f -v $ids >/dev/null || true; fi
  ids=$(docker volume ls -q --filter "label=$LABEL" || true)
  if [[ -n "$ids" ]]; then docker volume rm -f $ids >/dev/null || true; fi
}

cleanup() {
  local rc=$?
  local pid
  for pid in "${PROXY_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  remove_created
  rm -rf "$WORK"
  if [[ $rc -ne 0 ]]; then log "failed (exit $rc); cleaned up, $OUT left unchanged"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- preflight
for tool in docker curl jq socat; do
  command -v "$tool" >/dev/null || die "$tool is required"
done
curl -sSf --unix-socket "$HOST_SOCK" "http://localhost/$API/_ping" >/dev/null \
  || die "no Docker engine answers on $HOST_SOCK"
docker image inspect busybox:latest docker:dind docker:cli >/dev/null \
  || die "images busybox:latest, docker:dind, docker:cli are required (run ../shared/env/images-up)"
log "removing leftovers of earlier runs"
remove_created

# ---------------------------------------------------------------- helpers
# api <socket> <path> [curl args...]: raw body of GET http://localhost/v1.41<path>, fails on HTTP >= 400.
api() {
  local sock=$1 path=$2
  shift 2
  curl -sS --fail --unix-socket "$sock" "$@" "http://localhost/$API$path"
}

# save_json <socket> <path> <file>: record a JSON body, pretty-printed, value-identical to the raw body.
save_json() {
  local sock=$1 path=$2 file=$3
  mkdir -p "$(dirname "$file")"
  api "$sock" "$path" >"$file.raw"
  jq . "$file.raw" >"$file"
  # jq 1.6 stores numbers as doubles: make sure nothing was rounded or reformatted in value.
  [[ "$(jq -c . "$file.raw")" == "$(jq -c . "$file")" ]] || die "jq changed $file"
  if command -v python3 >/dev/null; then
    python3 - "$file.raw" "$file" <<'PY' || die "pretty-printing changed the value of $3"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
sys.exit(0 if a == b and json.dumps(a) == json.dumps(b) else 1)
PY
  fi
  rm -f "$file.raw"
}

# proxy <name> <command...>: sets PROXY_SOCK to a unix socket whose connections are carried by
# `<command> docker system dial-stdio` to the engine inside a container.
proxy() {
  local name=$1
  shift
  local sock="$WORK/$name.sock"
  socat "UNIX-LISTEN:$sock,fork" "SYSTEM:$* docker system dial-stdio" </dev/null >/dev/null 2>&1 &
  PROXY_PIDS+=($!)
  local i
  for i in $(seq 1 50); do [[ -S "$sock" ]] && break; sleep 0.1; done
  [[ -S "$sock" ]] || die "proxy for $name did not start"
  PROXY_SOCK=$sock
}

# wait_engine <name> <exec prefix...>: wait until `docker info` answers inside.
wait_engine() {
  local name=$1
  shift
  local start i
  start=$(date +%s)
  for i in $(seq 1 $((READY_TIMEOUT * 2))); do
    if "$@" docker info >/dev/null 2>&1; then
      log "$name: inner engine ready after $(($(date +%s) - start))s"
      return 0
    fi
    sleep 0.5
  done
  die "$name: inner engine not ready after ${READY_TIMEOUT}s"
}

# load_image <image> <exec prefix...>: stream an image from the host engine into an inner one.
load_image() {
  local image=$1
  shift
  local start
  start=$(date +%s)
  docker save "$image" | "$@" docker load >/dev/null
  log "loaded $image into [$*] in $(($(date +%s) - start))s"
}

# record_engine <socket> <dir> [extra query for /containers/json]
record_engine() {
  local sock=$1 dir=$2 query=${3:-}
  save_json "$sock" /version "$dir/version.json"
  save_json "$sock" /info "$dir/info.json"
  save_json "$sock" "/containers/json?all=1$query" "$dir/containers.json"
  local name
  for name in $(jq -r '.[].Names[0] | ltrimstr("/")' "$dir/containers.json" | sort); do
    save_json "$sock" "/containers/$name/json" "$dir/inspect/$name.json"
  done
  log "recorded $dir ($(jq length "$dir/containers.json") containers)"
}

run() { docker run -d --label "$LABEL" "$@" >/dev/null; }

# ---------------------------------------------------------------- host fixtures
log "creating host fixtures"
docker volume create --label "$LABEL" fx-plain-data >/dev/null
run --name fx-plain --label com.example.role=web -p 127.0.0.1:18080:80 \
  -v fx-plain-data:/data busybox:latest sleep 3600
run --name fx-dood -v /var/run/docker.sock:/var/run/docker.sock docker:cli sleep 3600
run --name fx-dood-env -e DOCKER_HOST=tcp://host.docker.internal:2375 docker:cli sleep 3600
run --name fx-stopped busybox:latest sh -c 'exit 3'
[[ "$(docker wait fx-stopped)" == 3 ]] || die "fx-stopped did not exit with 3"

DIND_START=$(date +%s)
run --name fx-dind --privileged docker:dind
run --name fx-sysbox --runtime=sysbox-runc docker:dind
run --name fx-dind-dood --privileged -v /var/run/docker.sock:/var/run/docker.sock docker:dind

# ---------------------------------------------------------------- nested fixtures
wait_engine fx-dind docker exec fx-dind
load_image busybox:latest docker exec -i fx-dind
docker exec fx-dind docker run -d --label "$LABEL" --name fx-child busybox:latest sleep 3600 >/dev/null
load_image docker:dind docker exec -i fx-dind
docker exec fx-dind docker run -d --label "$LABEL" --name fx-dind-inner --privileged docker:dind >/dev/null
wait_engine fx-dind-inner docker exec fx-dind docker exec fx-dind-inner
load_image busybox:latest docker exec -i fx-dind docker exec -i fx-dind-inner
docker exec fx-dind docker exec fx-dind-inner \
  docker run -d --label "$LABEL" --name fx-grandchild busybox:latest sleep 3600 >/dev/null

wait_engine fx-sysbox docker exec fx-sysbox
load_image busybox:latest docker exec -i fx-sysbox
docker exec fx-sysbox docker run -d --label "$LABEL" --name fx-sysbox-child busybox:latest sleep 3600 >/dev/null

# ---------------------------------------------------------------- streams (host engine)
mkdir -p "$STAGE/host" "$STAGE/streams"
log "recording events"
since=$(date +%s)
run --name fx-events busybox:latest true
docker wait fx-events >/dev/null
docker rm fx-events >/dev/null
sleep 1
until_=$(($(date +%s) + 1))
api "$HOST_SOCK" /events -G --data-urlencode "since=$since" --data-urlencode "until=$until_" \
  --data-urlencode 'filters={"type":["container"],"container":["fx-events"]}' >"$STAGE/host/events.jsonl"
actions=$(jq -r .Action "$STAGE/host/events.jsonl" | paste -sd' ')
[[ "$actions" == "create start die destroy" ]] || die "unexpected events: $actions"

log "recording multiplexed logs"
run --name fx-logs busybox:latest sh -c 'echo out1; echo err1 >&2; echo out2; printf "%0.s x" $(seq 1 3000) >&2'
[[ "$(docker wait fx-logs)" == 0 ]] || die "fx-logs failed"
logs_id=$(docker inspect -f '{{.Id}}' fx-logs)
api "$HOST_SOCK" "/containers/$logs_id/logs?stdout=1&stderr=1" >"$STAGE/streams/logs-multiplexed.bin"
docker logs fx-logs >"$WORK/logs.stdout" 2>"$WORK/logs.stderr"
jq -n --rawfile stdout "$WORK/logs.stdout" --rawfile stderr "$WORK/logs.stderr" \
  '{stdout: $stdout, stderr: $stderr}' >"$STAGE/streams/logs-multiplexed.expected.json"
docker rm -f fx-logs >/dev/null

# Self-check: demultiplex the recorded frames and compare with `docker logs`.
bin="$STAGE/streams/logs-multiplexed.bin"
total=$(stat -c %s "$bin")
off=0 frames="" max=0
: >"$WORK/demux.1"
: >"$WORK/demux.2"
while ((off < total)); do
  read -r s _ _ _ b1 b2 b3 b4 < <(od -An -tu1 -j "$off" -N 8 "$bin")
  size=$(((b1 << 24) | (b2 << 16) | (b3 << 8) | b4))
  [[ "$s" == 1 || "$s" == 2 ]] || die "bad stream byte $s at offset $off"
  tail -c +$((off + 9)) "$bin" | head -c "$size" >>"$WORK/demux.$s"
  frames+="${frames:+ }$s:$size"
  ((size > max)) && max=$size
  off=$((off + 8 + size))
done
((off == total)) || die "frames overrun the body"
((max > 4096)) || die "no frame larger than 4 kB (largest $max)"
cmp -s "$WORK/demux.1" "$WORK/logs.stdout" && cmp -s "$WORK/demux.2" "$WORK/logs.stderr" \
  || die "demultiplexed frames differ from docker logs"
log "logs: $total bytes, frames (stream:size) $frames"

# ---------------------------------------------------------------- record engines
log "recording engines"
# The host engine may run other people's containers: list only ours (label filter, URL-encoded).
record_engine "$HOST_SOCK" "$STAGE/host" "&filters=$(jq -rn --arg l "$LABEL" '{label: [$l]} | tojson | @uri')"
proxy fx-dind docker exec -i fx-dind
record_engine "$PROXY_SOCK" "$STAGE/fx-dind"
proxy fx-dind-inner docker exec -i fx-dind docker exec -i fx-dind-inner
record_engine "$PROXY_SOCK" "$STAGE/fx-dind-inner"
proxy fx-sysbox docker exec -i fx-sysbox
record_engine "$PROXY_SOCK" "$STAGE/fx-sysbox"

others=$(jq -r '.[].Names[0] | ltrimstr("/") | select(startswith("fx-") | not)' "$STAGE/host/containers.json")
[[ -z "$others" ]] || die "host/containers.json lists containers not made here: $others"
[[ "$(jq length "$STAGE/host/containers.json")" == 7 ]] || die "host/containers.json should list 7 containers"

# ---------------------------------------------------------------- checks: what a classifier needs
check() { # check <file> <jq expression that must be true>
  jq -e "$2" "$STAGE/$1" >/dev/null || die "$1: expected $2"
}
check host/inspect/fx-plain.json '.Config.Labels["com.example.role"] == "web" and .Config.Labels["'"$LABEL_KEY"'"] == "fixtures"'
check host/inspect/fx-plain.json '.HostConfig.PortBindings["80/tcp"][0] == {"HostIp":"127.0.0.1","HostPort":"18080"}'
check host/inspect/fx-plain.json 'any(.Mounts[]; .Type == "volume" and .Name == "fx-plain-data")'
check host/inspect/fx-dood.json 'any(.Mounts[]; .Type == "bind" and .Source == "/var/run/docker.sock")'
check host/inspect/fx-dood.json '.HostConfig.Binds == ["/var/run/docker.sock:/var/run/docker.sock"]'
check host/inspect/fx-dood-env.json 'any(.Config.Env[]; . == "DOCKER_HOST=tcp://host.docker.internal:2375")'
check host/inspect/fx-dood-env.json '.Mounts == []'
check host/inspect/fx-dind.json '.HostConfig.Privileged == true and .Config.Image == "docker:dind"'
check host/inspect/fx-sysbox.json '.HostConfig.Privileged == false and .HostConfig.Runtime == "sysbox-runc"'
check host/inspect/fx-dind-dood.json '.HostConfig.Privileged == true and any(.Mounts[]; .Source == "/var/run/docker.sock")'
check host/inspect/fx-stopped.json '.State.Status == "exited" and .State.ExitCode == 3'
check fx-dind/inspect/fx-child.json '.Config.Cmd == ["sleep","3600"]'
check fx-dind/inspect/fx-dind-inner.json '.HostConfig.Privileged == true'
check fx-dind-inner/inspect/fx-grandchild.json '.State.Running == true'
check fx-sysbox/inspect/fx-sysbox-child.json '.State.Running == true'
if grep -rl -e 'PRIVATE KEY' "$STAGE" >/dev/null; then die "a private key ended up in the fixtures"; fi

# ---------------------------------------------------------------- README and install
ver() { jq -r '"\(.Version) (API \(.ApiVersion), min API \(.MinAPIVersion), \(.Os)/\(.Arch), kernel \(.KernelVersion))"' "$STAGE/$1/version.json"; }
cat >"$STAGE/README.md" <<EOF
# Recorded Docker Engine API fixtures

Real responses of Docker Engines, recorded by \`bash scripts/recordFixtures.sh\` (do not edit by hand;
run the script again to refresh). Recorded $(date -u +%Y-%m-%dT%H:%M:%SZ) against:

- host engine: $(ver host), default runtime \`$(jq -r .DefaultRuntime "$STAGE/host/info.json")\`,
  runtimes: $(jq -r '.Runtimes | keys | map("`\(.)`") | join(", ")' "$STAGE/host/info.json")
- \`fx-dind\` inner engine: $(ver fx-dind)
- \`fx-dind-inner\` (DinD inside \`fx-dind\`): $(ver fx-dind-inner)
- \`fx-sysbox\` inner engine: $(ver fx-sysbox)

Requests are \`GET http://localhost/$API/...\`: on the host through \`curl --unix-socket /var/run/docker.sock\`, for
inner engines the same curl through \`docker exec -i <dind> docker system dial-stdio\`. JSON files are the
engine's bodies pretty-printed with \`jq .\` (key order and values unchanged); \`host/events.jsonl\` and
\`streams/logs-multiplexed.bin\` are byte for byte what the engine sent (HTTP headers and chunked transfer
encoding removed). Every object the script creates has the label \`$LABEL\` and is removed at the end.

The images are offline stand-ins (see \`../shared/env/README.md\`): \`busybox:latest\`, \`docker:dind\`
(entrypoint \`dockerd-entrypoint.sh\`, TLS certificates in \`/certs\`) and \`docker:cli\`. The \`sysbox-runc\`
runtime on the recording machine is a stand-in registered by \`docker-up\`, not real Sysbox; as with Sysbox
the container is \`Privileged=false\` with \`HostConfig.Runtime=sysbox-runc\`.

## Containers

| engine | name | what it is |
|---|---|---|
| host | \`fx-plain\` | \`busybox:latest sleep 3600\`, \`-p 127.0.0.1:18080:80\`, named volume \`fx-plain-data\` on \`/data\`, label \`com.example.role=web\` |
| host | \`fx-dood\` | DooD: \`docker:cli sleep 3600\`, \`-v /var/run/docker.sock:/var/run/docker.sock\` |
| host | \`fx-dood-env\` | DooD by env: \`docker:cli sleep 3600\`, \`DOCKER_HOST=tcp://host.docker.internal:2375\`, no socket |
| host | \`fx-dind\` | DinD: \`--privileged docker:dind\` (default TLS) |
| host | \`fx-sysbox\` | \`--runtime=sysbox-runc docker:dind\`, not privileged |
| host | \`fx-dind-dood\` | \`--privileged -v /var/run/docker.sock:/var/run/docker.sock docker:dind\` (both DinD and DooD) |
| host | \`fx-stopped\` | \`busybox:latest sh -c 'exit 3'\`, exited with 3 |
| fx-dind | \`fx-child\` | \`busybox:latest sleep 3600\` |
| fx-dind | \`fx-dind-inner\` | \`--privileged docker:dind\` (DinD in DinD) |
| fx-dind-inner | \`fx-grandchild\` | \`busybox:latest sleep 3600\` |
| fx-sysbox | \`fx-sysbox-child\` | \`busybox:latest sleep 3600\` |

All containers carry the label \`$LABEL\`.

Worth knowing when writing tests against these files (all as the engine reported them):

- \`fx-dind-dood\` is \`exited\` with code $(jq .State.ExitCode "$STAGE/host/inspect/fx-dind-dood.json"): its dockerd stops at once with
  "can't create unix socket /var/run/docker.sock: device or resource busy", because the host socket is
  bind-mounted where the inner engine wants its own (the official image behaves the same).
- \`HostConfig.Runtime\` of containers on the default runtime is the engine's default runtime name
  (\`$(jq -r .DefaultRuntime "$STAGE/host/info.json")\` here), not \`runc\`; only \`fx-sysbox\` has \`sysbox-runc\`.
- \`Config.Env\` is \`null\` for containers whose image sets no environment and that got no \`-e\`
  (\`fx-plain\`, \`fx-dood\`, \`fx-stopped\`, the busybox children); \`HostConfig.Binds\` is \`null\` without \`-v\`.
- In \`containers.json\` the \`Command\` of the docker:dind containers is just \`dockerd-entrypoint.sh\`
  (entrypoint plus empty cmd); inner engines use the \`overlay2\` storage driver.
- The log frames are in the order the json-file driver stored them, which need not be the order the
  process wrote stdout and stderr (separate pipes).

## Files

- \`<engine>/version.json\`: \`GET /version\`.
- \`<engine>/info.json\`: \`GET /info\`.
- \`<engine>/containers.json\`: \`GET /containers/json?all=1\` (no \`size\`); on the host with
  \`&filters={"label":["$LABEL"]}\` so that other containers on the recording machine stay out.
  \`host/info.json\` counts (\`Containers\`, \`Images\`, ...) are the whole engine's at recording time.
- \`<engine>/inspect/<name>.json\`: \`GET /containers/<name>/json\` for each container of that engine.
- \`<engine>\` is \`host\`, \`fx-dind\`, \`fx-dind-inner\` (the engine inside \`fx-dind-inner\`, two levels down) or \`fx-sysbox\`.
- \`host/events.jsonl\`: \`GET /events?since=..&until=..&filters={"type":["container"],"container":["fx-events"]}\`
  around a short-lived \`busybox:latest true\` container \`fx-events\` (\`create\`, \`start\`, \`die\`, \`destroy\`),
  one JSON object per line as streamed.
- \`streams/logs-multiplexed.bin\`: body of \`GET /containers/<id>/logs?stdout=1&stderr=1\` of a non-TTY
  container that ran \`sh -c 'echo out1; echo err1 >&2; echo out2; printf "%0.s x" \$(seq 1 3000) >&2'\`:
  multiplexed frames, each an 8-byte header (stream byte 1 = stdout, 2 = stderr, 3 zero bytes, big-endian
  uint32 size) and the payload. Frames (stream:size): $frames.
- \`streams/logs-multiplexed.expected.json\`: \`{ "stdout": ..., "stderr": ... }\` from \`docker logs\` with
  stdout and stderr captured separately; demultiplexing the \`.bin\` must give exactly these.
EOF

mkdir -p "$OUT"
for d in host fx-dind fx-dind-inner fx-sysbox streams README.md; do rm -rf "${OUT:?}/$d"; done
cp -r "$STAGE"/. "$OUT"/
log "wrote $(find "$OUT" -type f | wc -l) files to $OUT"
