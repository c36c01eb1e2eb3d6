#!/usr/bin/env bash
# Records what the tree groups by (Compose projects, Kubernetes pods) into test/fixtures/recorded/grouping/.
#
#   bash scripts/recordGroupingFixtures.sh
#
# Needs: a Docker engine on $DOCKER_SOCK (default /var/run/docker.sock, API v1.41), the images
# busybox:latest and docker:dind, and curl, jq, socat and docker-compose (Debian's 1.29) on PATH.
# Same conventions as scripts/recordFixtures.sh: curl on the host socket, socat + dial-stdio for the
# engine inside a container, JSON pretty-printed with jq and checked value-identical.
#
# - A Compose project `fxshop`, brought up by docker-compose: `web` scaled to 2, `worker`, `migrate`
#   (runs once and exits 0) and `ci`, a privileged docker:dind (an engine inside a project).
# - Inside `fxshop_ci_1`, a second project `fxinner` (`app`, `db`), brought up by the same docker-compose
#   talking to that inner engine through the dial-stdio proxy.
# - Containers labelled and named exactly as cri-dockerd (the kubelet's Docker shim) makes them, created
#   with `docker run --label ...`: no kubelet runs here, so the labels are written by this script from
#   cri-dockerd's and the kubelet's source (see the README it writes).
# - Plain containers fx-build-1, fx-build-2, fx-build-10 (natural order).
# Everything carries the label dev.matryoshka.test=grouping and is removed at the end, also on failure.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$ROOT/test/fixtures/recorded/grouping"
LABEL_KEY=dev.matryoshka.test
LABEL="$LABEL_KEY=grouping"
API=v1.41
HOST_SOCK=${DOCKER_SOCK:-/var/run/docker.sock}
export DOCKER_HOST="unix://$HOST_SOCK"
READY_TIMEOUT=${READY_TIMEOUT:-180}
WORK=$(mktemp -d /tmp/fxgroup.XXXXXX)
STAGE="$WORK/out"
# The working directory docker-compose records in com.docker.compose.project.working_dir.
PROJECTS=/tmp/fx-grouping-projects
PROXY_PIDS=()
T0=$(date +%s)

log() { printf '[recordGroupingFixtures +%ss] %s\n' "$(($(date +%s) - T0))" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

remove_created() {
  local ids
  ids=$(docker ps -aq --filter "label=$LABEL" | paste -sd' ' || true)
  if [[ -n "$ids" ]]; then docker rm -f -v $ids >/dev/null || true; fi
  ids=$(docker network ls -q --filter "label=com.docker.compose.project=fxshop" | paste -sd' ' || true)
  if [[ -n "$ids" ]]; then docker network rm $ids >/dev/null || true; fi
  rm -rf "$PROJECTS"
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

for tool in docker curl jq socat docker-compose; do command -v "$tool" >/dev/null || die "$tool is required"; done
docker image inspect busybox:latest docker:dind >/dev/null || die "images busybox:latest and docker:dind are required"
remove_created

save_json() { # save_json <socket> <path> <file>
  local sock=$1 path=$2 file=$3
  mkdir -p "$(dirname "$file")"
  curl -sS --fail --unix-socket "$sock" "http://localhost/$API$path" >"$file.raw"
  jq . "$file.raw" >"$file"
  [[ "$(jq -c . "$file.raw")" == "$(jq -c . "$file")" ]] || die "jq changed $file"
  rm -f "$file.raw"
}

record_engine() { # record_engine <socket> <dir> [extra query for /containers/json]
  local sock=$1 dir=$2 query=${3:-} name
  save_json "$sock" /version "$dir/version.json"
  save_json "$sock" /info "$dir/info.json"
  save_json "$sock" "/containers/json?all=1$query" "$dir/containers.json"
  for name in $(jq -r '.[].Names[0] | ltrimstr("/")' "$dir/containers.json" | sort); do
    save_json "$sock" "/containers/$name/json" "$dir/inspect/$name.json"
  done
  log "recorded $dir ($(jq length "$dir/containers.json") containers)"
}

proxy() { # proxy <name> <command...>: PROXY_SOCK carries connections to the engine inside a container
  local name=$1 i
  shift
  local sock="$WORK/$name.sock"
  socat "UNIX-LISTEN:$sock,fork" "SYSTEM:$* docker system dial-stdio" </dev/null >/dev/null 2>&1 &
  PROXY_PIDS+=($!)
  for i in $(seq 1 50); do [[ -S "$sock" ]] && break; sleep 0.1; done
  [[ -S "$sock" ]] || die "proxy for $name did not start"
  PROXY_SOCK=$sock
}

# ---------------------------------------------------------------- Compose on the host
mkdir -p "$PROJECTS/fxshop" "$PROJECTS/fxinner"
cat >"$PROJECTS/fxshop/docker-compose.yml" <<EOF
version: "2.4"
services:
  web:
    image: busybox:latest
    command: ["sh", "-c", "i=0; while true; do i=\$\$((i+1)); echo web says \$\$i; sleep 1; done"]
    labels: { $LABEL_KEY: grouping }
  worker:
    image: busybox:latest
    command: ["sleep", "3600"]
    labels: { $LABEL_KEY: grouping }
  migrate:
    image: busybox:latest
    command: ["sh", "-c", "echo migrated"]
    labels: { $LABEL_KEY: grouping }
  ci:
    image: docker:dind
    privileged: true
    labels: { $LABEL_KEY: grouping }
EOF
cat >"$PROJECTS/fxinner/docker-compose.yml" <<EOF
version: "2.4"
services:
  app:
    image: busybox:latest
    command: ["sleep", "3600"]
    labels: { $LABEL_KEY: grouping }
  db:
    image: busybox:latest
    command: ["sleep", "3600"]
    labels: { $LABEL_KEY: grouping }
EOF
log "docker-compose up fxshop"
(cd "$PROJECTS/fxshop" && docker-compose -p fxshop up -d --scale web=2 >/dev/null 2>&1) || die "docker-compose up fxshop failed"
[[ "$(docker wait fxshop_migrate_1)" == 0 ]] || die "fxshop_migrate_1 did not exit with 0"

start=$(date +%s)
until docker exec fxshop_ci_1 docker info >/dev/null 2>&1; do
  (($(date +%s) - start < READY_TIMEOUT)) || die "the engine inside fxshop_ci_1 is not ready"
  sleep 0.5
done
docker save busybox:latest | docker exec -i fxshop_ci_1 docker load >/dev/null
proxy fxshop_ci_1 docker exec -i fxshop_ci_1
log "docker-compose up fxinner inside fxshop_ci_1"
(cd "$PROJECTS/fxinner" && DOCKER_HOST="unix://$PROXY_SOCK" docker-compose -p fxinner up -d >/dev/null 2>&1) || die "docker-compose up fxinner failed"

# ---------------------------------------------------------------- Kubernetes-labelled containers
# Names: cri-dockerd core/naming.go, k8s_<container>_<pod>_<namespace>_<uid>_<attempt>, the sandbox
# with container name POD. Sandbox labels: the pod's labels, io.kubernetes.pod.{name,namespace,uid}
# (kubelet newPodLabels), the pod's annotations prefixed "annotation.", io.kubernetes.docker.type=podsandbox
# and io.kubernetes.container.name=POD (cri-dockerd makeSandboxDockerConfig). Container labels:
# io.kubernetes.pod.{name,namespace,uid} and io.kubernetes.container.name (kubelet newContainerLabels),
# the kubelet's container annotations prefixed "annotation.", io.kubernetes.docker.type=container,
# io.kubernetes.container.logpath and io.kubernetes.sandbox.id (cri-dockerd CreateContainer); the
# container joins the sandbox's network (--network container:<sandbox>).
sandbox() { # sandbox <namespace> <pod> <uid> <source> [pod label k=v...]: prints the sandbox id
  local ns=$1 pod=$2 uid=$3 source=$4
  shift 4
  local extra=() kv
  for kv in "$@"; do extra+=(--label "$kv"); done
  docker run -d --label "$LABEL" --name "k8s_POD_${pod}_${ns}_${uid}_0" "${extra[@]}" \
    --label "io.kubernetes.pod.name=$pod" --label "io.kubernetes.pod.namespace=$ns" --label "io.kubernetes.pod.uid=$uid" \
    --label "annotation.kubernetes.io/config.seen=2026-12-01T16:00:00.000000000Z" --label "annotation.kubernetes.io/config.source=$source" \
    --label "io.kubernetes.docker.type=podsandbox" --label "io.kubernetes.container.name=POD" \
    busybox:latest sleep 3600
}
kcontainer() { # kcontainer <namespace> <pod> <uid> <sandbox id> <container> <hash>
  local ns=$1 pod=$2 uid=$3 sid=$4 name=$5 hash=$6
  docker run -d --label "$LABEL" --name "k8s_${name}_${pod}_${ns}_${uid}_0" --network "container:$sid" \
    --label "io.kubernetes.pod.name=$pod" --label "io.kubernetes.pod.namespace=$ns" --label "io.kubernetes.pod.uid=$uid" \
    --label "io.kubernetes.container.name=$name" \
    --label "annotation.io.kubernetes.container.hash=$hash" --label "annotation.io.kubernetes.container.restartCount=0" \
    --label "annotation.io.kubernetes.container.terminationMessagePath=/dev/termination-log" \
    --label "annotation.io.kubernetes.container.terminationMessagePolicy=File" \
    --label "annotation.io.kubernetes.pod.terminationGracePeriod=30" \
    --label "io.kubernetes.docker.type=container" \
    --label "io.kubernetes.container.logpath=/var/log/pods/${ns}_${pod}_${uid}/${name}/0.log" \
    --label "io.kubernetes.sandbox.id=$sid" \
    busybox:latest sleep 3600 >/dev/null
}
log "creating Kubernetes-labelled containers"
uid=5b1f8c2e-6a0d-4c4e-9f3e-2d7f1c0a9b11
sid=$(sandbox kube-system coredns-5d78c9869d-x7k2p "$uid" api k8s-app=kube-dns pod-template-hash=5d78c9869d)
kcontainer kube-system coredns-5d78c9869d-x7k2p "$uid" "$sid" coredns 3f9a1c2b
uid=0e6c2d4a-1b7f-4f8e-a3c5-9d2e8b7a6f40
sid=$(sandbox kube-system etcd-minikube "$uid" file component=etcd tier=control-plane)
kcontainer kube-system etcd-minikube "$uid" "$sid" etcd 7c1e0d9a
uid=a3d9e7f1-2c4b-4d6a-8e0f-1b3c5d7e9f21
sid=$(sandbox shop web-0 "$uid" api app=web statefulset.kubernetes.io/pod-name=web-0)
kcontainer shop web-0 "$uid" "$sid" nginx 1d2e3f4a
kcontainer shop web-0 "$uid" "$sid" log-sidecar 5a6b7c8d

# ---------------------------------------------------------------- natural order
for n in 1 2 10; do docker run -d --label "$LABEL" --name "fx-build-$n" busybox:latest sleep 3600 >/dev/null; done

# ---------------------------------------------------------------- record
log "recording"
record_engine "$HOST_SOCK" "$STAGE/host" "&filters=$(jq -rn --arg l "$LABEL" '{label: [$l]} | tojson | @uri')"
record_engine "$PROXY_SOCK" "$STAGE/fxshop_ci_1"

check() { jq -e "$2" "$STAGE/$1" >/dev/null || die "$1: expected $2"; }
check host/containers.json '[.[] | select(.Labels["com.docker.compose.project"] == "fxshop")] | length == 5'
check host/containers.json '[.[] | select(.Labels["com.docker.compose.service"] == "web")] | map(.Labels["com.docker.compose.container-number"]) | sort == ["1","2"]'
check host/containers.json 'any(.[]; .Labels["com.docker.compose.project.working_dir"] == "'"$PROJECTS/fxshop"'")'
check host/containers.json '[.[] | select(.Labels["io.kubernetes.docker.type"] == "podsandbox")] | length == 3'
check host/inspect/fxshop_migrate_1.json '.State.Status == "exited" and .State.ExitCode == 0'
check host/inspect/fxshop_ci_1.json '.HostConfig.Privileged == true'
check fxshop_ci_1/containers.json '[.[] | .Labels["com.docker.compose.project"]] | unique == ["fxinner"]'
[[ "$(jq length "$STAGE/host/containers.json")" == 15 ]] || die "host/containers.json should list 15 containers"

ver() { jq -r '"\(.Version) (API \(.ApiVersion), \(.Os)/\(.Arch))"' "$STAGE/$1/version.json"; }
cat >"$STAGE/README.md" <<EOF
# Recorded engines for grouping, the filter and the order

Real responses of Docker Engines, recorded by \`bash scripts/recordGroupingFixtures.sh\` (do not edit by
hand; run it again to refresh) on $(date -u +%Y-%m-%dT%H:%M:%SZ), with $(docker-compose version --short 2>/dev/null | sed 's/^/docker-compose /').
Host engine: $(ver host); the engine inside \`fxshop_ci_1\`: $(ver fxshop_ci_1). Same file layout as
\`../README.md\`: \`<engine>/version.json\`, \`info.json\`, \`containers.json\` (\`GET /containers/json?all=1\`, on the
host only containers labelled \`$LABEL\`) and \`inspect/<name>.json\`; \`<engine>\` is \`host\` or \`fxshop_ci_1\`
(the engine inside that container).

| engine | containers | how they were made |
|---|---|---|
| host | \`fxshop_web_1\`, \`fxshop_web_2\`, \`fxshop_worker_1\`, \`fxshop_migrate_1\` (exited 0), \`fxshop_ci_1\` (privileged docker:dind) | \`docker-compose -p fxshop up -d --scale web=2\` in \`$PROJECTS/fxshop\` |
| fxshop_ci_1 | \`fxinner_app_1\`, \`fxinner_db_1\` | \`docker-compose -p fxinner up -d\` in \`$PROJECTS/fxinner\`, \`DOCKER_HOST\` on the dial-stdio proxy to that engine |
| host | \`k8s_POD_…\` sandboxes and \`k8s_<container>_…\` containers of pods \`kube-system/coredns-5d78c9869d-x7k2p\`, \`kube-system/etcd-minikube\`, \`shop/web-0\` (containers \`nginx\`, \`log-sidecar\`) | \`docker run --label …\`, see below |
| host | \`fx-build-1\`, \`fx-build-2\`, \`fx-build-10\` | \`docker run busybox:latest sleep 3600\` |

**The Kubernetes containers were not made by a kubelet** (none can run here). This script created them
with \`docker run\`, naming and labelling them the way cri-dockerd (the kubelet's Docker shim, as in
minikube's kicbase with the Docker runtime) does: names from cri-dockerd \`core/naming.go\`
(\`k8s_<container>_<pod>_<namespace>_<uid>_<attempt>\`, the sandbox's container is \`POD\`); sandbox labels
from the kubelet's \`newPodLabels\` (the pod's labels and \`io.kubernetes.pod.name\`, \`.namespace\`, \`.uid\`) and
cri-dockerd's \`makeSandboxDockerConfig\` (pod annotations as \`annotation.*\` labels,
\`io.kubernetes.docker.type=podsandbox\`, \`io.kubernetes.container.name=POD\`); container labels from the
kubelet's \`newContainerLabels\` and \`newContainerAnnotations\` and cri-dockerd's \`CreateContainer\`
(\`io.kubernetes.docker.type=container\`, \`io.kubernetes.container.logpath\`, \`io.kubernetes.sandbox.id\`), on
the sandbox's network. The image is \`busybox:latest\` for all of them (no \`pause\` or app image can be
pulled here), so images say nothing Kubernetes-like. What the engine answered about those containers is
recorded as it came.
EOF

mkdir -p "$OUT"
rm -rf "${OUT:?}"/*
cp -r "$STAGE"/. "$OUT"/
log "wrote $(find "$OUT" -type f | wc -l) files to $OUT"
