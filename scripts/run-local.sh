#!/usr/bin/env bash
# `make run`: the web server and the background worker side by side. The worker runs in the
# background and is stopped when the server exits (Ctrl+C, or an error).
set -euo pipefail
BIN=${BIN:-.venv/bin}
PORT=${PORT:-8000}
"$BIN/whistledesk" worker --interval 1 &
worker=$!
trap 'kill "$worker" 2>/dev/null; wait "$worker" 2>/dev/null || true' EXIT INT TERM
"$BIN/whistledesk" runserver "127.0.0.1:$PORT"
