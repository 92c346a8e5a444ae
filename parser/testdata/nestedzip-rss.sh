#!/usr/bin/env bash
# Peak memory of lmtriad reading a zip stored inside a tar (issue 8: a 200 MB zip in a tar took
# 431 MB when the zip was read into memory). Builds the case in a temporary folder (a tar of the
# kgtn sample holding a zip of MB megabytes, default 200), builds lmtriad, runs
# `lmtriad analyze` on the tar under /usr/bin/time -v and prints the peak resident set size.
# Exits 1 when it is over LIMIT_MB (default 100). Not part of `go test`: it writes ~2x MB of
# temporary files and takes a few seconds.
#
#   parser/testdata/nestedzip-rss.sh [MB]
set -euo pipefail
cd "$(dirname "$0")/../.."
mb=${1:-200}
limit=${LIMIT_MB:-100}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/lmtriad" ./cmd/lmtriad
go run parser/testdata/nestedzip-gen.go "$tmp/bundle.tar" "$mb"
ls -l "$tmp/bundle.tar"

# lmtriad exits 1 when the analysis has findings, as this incident does: not a failure here.
if [ -x /usr/bin/time ]; then
  /usr/bin/time -v -o "$tmp/time.txt" "$tmp/lmtriad" analyze "$tmp/bundle.tar" >"$tmp/report.txt" 2>"$tmp/stderr.txt" || true
  kb=$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$tmp/time.txt")
else
  # No GNU time: poll the process's high-water mark (VmHWM) until it ends.
  "$tmp/lmtriad" analyze "$tmp/bundle.tar" >"$tmp/report.txt" 2>"$tmp/stderr.txt" &
  pid=$! kb=0
  while hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null) && [ -n "$hwm" ]; do
    kb=$hwm
    sleep 0.02
  done
  wait "$pid" || true
fi
if ! grep -q 'incident/from-the-customer.zip!copy/server1.log' "$tmp/report.txt"; then
  echo "the report does not list the logs inside the nested zip:" >&2
  cat "$tmp/stderr.txt" "$tmp/report.txt" >&2
  exit 1
fi
echo "peak RSS reading a ${mb} MB zip stored inside a tar: $((kb / 1024)) MB ($kb kB); limit ${limit} MB"
[ "$((kb / 1024))" -le "$limit" ]
