#!/usr/bin/env bash
# Records what a container's kernel says of its listening sockets, for the unit tests of
# src/model/ports.ts: /proc/net/tcp and /proc/net/tcp6 of a busybox container running httpd on
# 8080 (all addresses), nc on 9000 (all addresses) and httpd on 127.0.0.1:7070 (loopback only),
# with one established connection. Writes test/fixtures/recorded/ports/. Needs busybox:latest.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$ROOT/test/fixtures/recorded/ports"
NAME="fx-ports-$$"
trap 'docker rm -f "$NAME" >/dev/null 2>&1 || true' EXIT
mkdir -p "$OUT"
docker run -d --name "$NAME" --label dev.matryoshka.test=fixtures busybox:latest sh -c \
  'mkdir -p /www && echo hi > /www/index.html && httpd -p 8080 -h /www && httpd -p 127.0.0.1:7070 -h /www && (nc -ll -p 9000 -e cat &) && sleep 3600' >/dev/null
sleep 1
# An established connection (state 01) that must not count as listening.
docker exec -d "$NAME" sh -c 'sleep 5 | nc 127.0.0.1 9000'
sleep 1
docker exec "$NAME" cat /proc/net/tcp > "$OUT/proc-net-tcp.txt"
docker exec "$NAME" cat /proc/net/tcp6 > "$OUT/proc-net-tcp6.txt"
echo "recorded into $OUT"
