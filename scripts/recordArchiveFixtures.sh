#!/usr/bin/env bash
# Records what the Engine API's archive endpoints answer, for the container-files unit tests:
#   test/fixtures/recorded/archive/files-dir.tar   GET /containers/{id}/archive?path=/rec (byte for byte)
#   test/fixtures/recorded/archive/path-stats.json the X-Docker-Container-Path-Stat header of HEAD on
#                                                  a file, a directory, a symlink and a setuid file
#
#   bash scripts/recordArchiveFixtures.sh
#
# Needs a running engine on /var/run/docker.sock, busybox:latest and curl. The one container it makes
# carries the label dev.matryoshka.test=fixtures and is removed at the end, also on failure.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$ROOT/test/fixtures/recorded/archive"
NAME="fx-archive-$$"
SOCK=/var/run/docker.sock
trap 'docker rm -f "$NAME" >/dev/null 2>&1 || true' EXIT
docker run -d --label dev.matryoshka.test=fixtures --name "$NAME" busybox:latest sleep 600 >/dev/null
LONG=$(printf 'long-%.0s' $(seq 1 30))name.txt
docker exec "$NAME" sh -c "
  mkdir -p /rec/sub && cd /rec &&
  echo 'set uid' > setuid.sh && chown 1234:2345 setuid.sh && chmod 4750 setuid.sh &&
  echo inner > sub/inner.txt && ln -s sub/inner.txt inside-link && ln -s /etc/hostname outside-link &&
  ln -s sub dir-link && echo long > '$LONG' &&
  touch 'new
line' '<img src=x onerror=alert(1)>' \"\$(printf 'rtl\342\200\256exe.txt')\"
"
curl -sf --unix-socket "$SOCK" "http://localhost/v1.41/containers/$NAME/archive?path=/rec" -o "$OUT/files-dir.tar"
stat_of() { curl -sfI --unix-socket "$SOCK" "http://localhost/v1.41/containers/$NAME/archive?path=$1" | tr -d '\r' | sed -n 's/^X-Docker-Container-Path-Stat: //Ip'; }
{
  printf '{\n'
  printf '  "file": "%s",\n' "$(stat_of /rec/sub/inner.txt)"
  printf '  "directory": "%s",\n' "$(stat_of /rec)"
  printf '  "symlink": "%s",\n' "$(stat_of /rec/inside-link)"
  printf '  "setuid": "%s"\n' "$(stat_of /rec/setuid.sh)"
  printf '}\n'
} > "$OUT/path-stats.json"
echo "recorded $(date -u +%FT%TZ) against engine $(docker version -f '{{.Server.Version}}')"
