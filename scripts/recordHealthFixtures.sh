#!/usr/bin/env bash
# Records what the health checks read from real engines into test/fixtures/recorded/health/.
#
#   bash scripts/recordHealthFixtures.sh
#
# Same conventions as scripts/recordFixtures.sh (curl on the host socket, socat + dial-stdio for inner
# engines, JSON pretty-printed with jq and checked value-identical). Besides Engine API bodies it stores
# the text the health checks read through execs, made by the very commands src/engine/healthGather.ts
# runs (HEALTH_EXECS), and the daemon's log tail as `docker logs --tail 200` prints it.
# Every object carries the label dev.matryoshka.test=health and is removed at the end, also on failure.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$ROOT/test/fixtures/recorded/health"
LABEL=dev.matryoshka.test=health
API=v1.41
HOST_SOCK=${DOCKER_SOCK:-/var/run/docker.sock}
export DOCKER_HOST="unix://$HOST_SOCK"
WORK=$(mktemp -d /tmp/it8-rec.XXXXXX)
STAGE="$WORK/out"
SHARED=/tmp/it8-fx-shared
WORKDIR=/tmp/it8-fx-work
PROXY_PIDS=()
T0=$(date +%s)

log() { printf '[recordHealthFixtures +%ss] %s\n' "$(($(date +%s) - T0))" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

remove_created() {
  local ids
  ids=$(docker ps -aq --filter "label=$LABEL" | paste -sd' ' || true)
  if [[ -n "$ids" ]]; then docker rm -f -v $ids >/dev/null || true; fi
  ids=$(docker volume ls -q --filter "label=$LABEL" | paste -sd' ' || true)
  if [[ -n "$ids" ]]; then docker volume rm -f $ids >/dev/null || true; fi
  ids=$(docker network ls -q --filter "label=$LABEL" | paste -sd' ' || true)
  if [[ -n "$ids" ]]; then docker network rm $ids >/dev/null || true; fi
  rm -rf "$SHARED" "$WORKDIR"
}
cleanup() {
  local rc=$? pid
  for pid in "${PROXY_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  remove_created
  rm -rf "$WORK"
  if [[ $rc -ne 0 ]]; then log "failed (exit $rc); cleaned up, $OUT left unchanged"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in docker curl jq socat; do command -v "$tool" >/dev/null || die "$tool is required"; done
docker image inspect busybox:latest docker:dind docker:cli >/dev/null || die "images busybox:latest, docker:dind, docker:cli are required"
remove_created

save_json() { # save_json <socket> <method> <path> <file> [curl args...]
  local sock=$1 method=$2 path=$3 file=$4
  shift 4
  mkdir -p "$(dirname "$file")"
  curl -sS --unix-socket "$sock" -X "$method" "$@" "http://localhost/$API$path" >"$file.raw"
  jq . "$file.raw" >"$file"
  [[ "$(jq -c . "$file.raw")" == "$(jq -c . "$file")" ]] || die "jq changed $file"
  rm -f "$file.raw"
}
proxy() { # proxy <name> <command...>: PROXY_SOCK carries the Engine API of the engine inside
  local name=$1 sock="$WORK/$1.sock" i
  shift
  socat "UNIX-LISTEN:$sock,fork" "SYSTEM:$* docker system dial-stdio" </dev/null >/dev/null 2>&1 &
  PROXY_PIDS+=($!)
  for i in $(seq 1 50); do [[ -S "$sock" ]] && break; sleep 0.1; done
  [[ -S "$sock" ]] || die "proxy for $name did not start"
  PROXY_SOCK=$sock
}
wait_engine() {
  local i
  for i in $(seq 1 360); do docker exec "$1" docker info >/dev/null 2>&1 && return 0; sleep 0.5; done
  die "$1: inner engine not ready"
}
run() { docker run -d --label "$LABEL" "$@" >/dev/null; }

# The commands src/engine/healthGather.ts runs (HEALTH_EXECS); keep both in step.
NET_MTU='for f in /sys/class/net/*/mtu; do n=${f%/mtu}; echo "${n##*/} $(cat "$f")"; done'
SOCKET='echo "uid $(id -u)"; echo "groups $(id -G)"; for s in "$@"; do if [ -S "$s" ]; then echo "socket $s $(stat -c "%u %g %a" "$s")"; if [ -r "$s" ] && [ -w "$s" ]; then echo "access $s rw"; else echo "access $s denied"; fi; else echo "missing $s"; fi; done'

record_outer() { # record_outer <name>: inspect, log tail and exec answers of a container on the host
  local name=$1 dir="$STAGE/$1"
  save_json "$HOST_SOCK" GET "/containers/$name/json" "$dir/inspect.json"
  docker logs --tail 200 "$name" >"$dir/daemon-log.txt" 2>&1
  if [[ "$(docker inspect -f '{{.State.Running}}' "$name")" == true ]]; then
    docker exec "$name" sh -c "$NET_MTU" >"$dir/net-mtu.txt"
    docker exec "$name" cat /proc/self/uid_map >"$dir/uid-map.txt"
  fi
}
record_inner() { # record_inner <name>: the inner engine's own answers
  local name=$1 dir="$STAGE/$1/inner"
  proxy "$name" docker exec -i "$name"
  save_json "$PROXY_SOCK" GET /info "$dir/info.json"
  save_json "$PROXY_SOCK" GET /version "$dir/version.json"
  save_json "$PROXY_SOCK" GET /networks/bridge "$dir/bridge.json"
  save_json "$PROXY_SOCK" GET /images/json "$dir/images.json"
  save_json "$PROXY_SOCK" GET "/containers/json?all=1" "$dir/containers.json"
  # The probe: create, start, wait, remove a container that runs `true`.
  save_json "$PROXY_SOCK" POST "/containers/create?name=it8-probe" "$dir/probe-create.json" \
    -H 'Content-Type: application/json' -d '{"Image":"busybox:latest","Cmd":["true"],"Labels":{"dev.matryoshka.probe":"health"}}'
  if jq -e .Id "$dir/probe-create.json" >/dev/null; then
    curl -sS --fail --unix-socket "$PROXY_SOCK" -X POST "http://localhost/$API/containers/it8-probe/start" >/dev/null
    save_json "$PROXY_SOCK" POST /containers/it8-probe/wait "$dir/probe-wait.json"
    curl -sS --fail --unix-socket "$PROXY_SOCK" -X DELETE "http://localhost/$API/containers/it8-probe?force=1" >/dev/null
  fi
  log "recorded $name"
}

log "creating fixtures"
mkdir -p "$SHARED" "$WORKDIR" "$STAGE/host"
docker network create --label "$LABEL" -o com.docker.network.driver.mtu=1400 it8-fx-net >/dev/null
docker volume create --label "$LABEL" it8-fx-data >/dev/null
run --name it8-fx-vfs --privileged docker:dind --storage-driver vfs
run --name it8-fx-mtu --privileged --network it8-fx-net docker:dind
run --name it8-fx-healthy --privileged -v it8-fx-data:/var/lib/docker docker:dind
run --name it8-fx-sysbox --runtime=sysbox-runc docker:dind
# dockerd on the container's own overlay filesystem: falls back to vfs, or fails when overlay2 is forced.
run --name it8-fx-ovl --privileged --entrypoint dockerd docker:dind --data-root /ovl-data
run --name it8-fx-ovlfail --privileged --entrypoint dockerd docker:dind --storage-driver overlay2 --data-root /ovl-data
# dockerd where the image has no iptables: the daemon cannot set up its NAT chain and exits.
run --name it8-fx-noiptables --privileged --entrypoint sh docker:dind -c \
  'for f in $(command -v iptables iptables-legacy iptables-nft ip6tables xtables-legacy-multi xtables-nft-multi); do rm -f "$f"; done; exec dockerd-entrypoint.sh'
run --name it8-fx-shared-a --privileged -v "$SHARED:/var/lib/docker" docker:dind
run --name it8-fx-shared-b --privileged -v "$SHARED:/var/lib/docker" docker:dind
# Never started: an inner dockerd on the host's own data root would corrupt the host's engine.
docker create --label "$LABEL" --name it8-fx-hostroot --privileged -v /var/lib/docker:/var/lib/docker docker:dind >/dev/null
run --name it8-fx-dood-denied --user 1000:1000 -v /var/run/docker.sock:/var/run/docker.sock docker:cli sleep 3600
run --name it8-fx-dood-same -v /var/run/docker.sock:/var/run/docker.sock -v "$WORKDIR:$WORKDIR" -w "$WORKDIR" docker:cli sleep 3600
run --name it8-fx-dood-moved -v /var/run/docker.sock:/var/run/docker.sock -v "$WORKDIR:/src" -w /src docker:cli sleep 3600

for name in it8-fx-vfs it8-fx-mtu it8-fx-healthy it8-fx-sysbox it8-fx-ovl; do wait_engine "$name"; done
docker save busybox:latest | docker exec -i it8-fx-healthy docker load >/dev/null
docker save busybox:latest | docker exec -i it8-fx-sysbox docker load >/dev/null
[[ "$(docker wait it8-fx-ovlfail)" != 0 ]] || die "it8-fx-ovlfail should have failed"
[[ "$(docker wait it8-fx-noiptables)" != 0 ]] || die "it8-fx-noiptables should have failed"

log "recording"
save_json "$HOST_SOCK" GET /info "$STAGE/host/info.json"
save_json "$HOST_SOCK" GET /version "$STAGE/host/version.json"
save_json "$HOST_SOCK" GET "/containers/json?all=1&filters=$(jq -rn --arg l "$LABEL" '{label: [$l]} | tojson | @uri')" "$STAGE/host/containers.json"
save_json "$HOST_SOCK" GET "/images/json?filters=$(jq -rn '{reference: ["busybox", "docker"]} | tojson | @uri')" "$STAGE/host/images.json"
save_json "$HOST_SOCK" GET /networks/it8-fx-net "$STAGE/host/network-it8-fx-net.json"
for name in it8-fx-vfs it8-fx-mtu it8-fx-healthy it8-fx-sysbox it8-fx-ovl it8-fx-ovlfail it8-fx-noiptables it8-fx-shared-a it8-fx-shared-b it8-fx-hostroot; do
  record_outer "$name"
done
for name in it8-fx-vfs it8-fx-mtu it8-fx-healthy it8-fx-sysbox it8-fx-ovl; do record_inner "$name"; done
for name in it8-fx-dood-denied it8-fx-dood-same it8-fx-dood-moved; do
  save_json "$HOST_SOCK" GET "/containers/$name/json" "$STAGE/$name/inspect.json"
  docker exec "$name" sh -c "$SOCKET" socket-check /var/run/docker.sock >"$STAGE/$name/socket.txt"
done

check() { jq -e "$2" "$STAGE/$1" >/dev/null || die "$1: expected $2"; }
check it8-fx-vfs/inner/info.json '.Driver == "vfs"'
check it8-fx-ovl/inner/info.json '.Driver == "vfs" and .DockerRootDir == "/ovl-data"'
check it8-fx-healthy/inner/info.json '.Driver == "overlay2"'
check it8-fx-healthy/inspect.json 'any(.Mounts[]; .Type == "volume" and .Name == "it8-fx-data")'
check it8-fx-vfs/inner/probe-create.json '.message | test("No such image")'
check it8-fx-healthy/inner/probe-wait.json '.StatusCode == 0'
check it8-fx-mtu/inner/bridge.json '.Options["com.docker.network.driver.mtu"] == "1500"'
grep -q '^eth0 1400$' "$STAGE/it8-fx-mtu/net-mtu.txt" || die "it8-fx-mtu: eth0 should have MTU 1400"
grep -q 'failed to mount overlay' "$STAGE/it8-fx-ovlfail/daemon-log.txt" || die "it8-fx-ovlfail: no overlay failure in its log"
grep -q 'failed to create NAT chain' "$STAGE/it8-fx-noiptables/daemon-log.txt" || die "it8-fx-noiptables: no iptables failure in its log"
grep -q '^access /var/run/docker.sock denied$' "$STAGE/it8-fx-dood-denied/socket.txt" || die "it8-fx-dood-denied can reach the socket"
grep -q '^access /var/run/docker.sock rw$' "$STAGE/it8-fx-dood-same/socket.txt" || die "it8-fx-dood-same cannot reach the socket"
if grep -rl -e 'PRIVATE KEY' "$STAGE" >/dev/null; then die "a private key ended up in the fixtures"; fi

rm -rf "$OUT.new"
cp -r "$STAGE" "$OUT.new"
cp "$OUT/README.md" "$OUT.new/README.md" 2>/dev/null || true
rm -rf "$OUT"
mv "$OUT.new" "$OUT"
log "done: $OUT"
