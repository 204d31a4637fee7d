#!/usr/bin/env bash
# Security checks run by `make test` before the test suite (issue 5, item 6):
#   1. ruff's bandit (S) rules over the whole tree;
#   2. pip-audit of the installed, exactly pinned dependencies (fails on a known vulnerability;
#      if the vulnerability service cannot be reached it says so loudly and carries on);
#   3. Django's `check --deploy` with the production settings and throwaway secrets.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
status=0

echo "== security: ruff bandit rules (S) =="
"$BIN/ruff" check --select S --ignore S101 --quiet . || status=1

echo "== security: pip-audit of the pinned dependencies =="
report=$(mktemp)
trap 'rm -f "$report"' EXIT
audit_rc=0
timeout 300 "$BIN/pip-audit" --skip-editable --progress-spinner off --timeout 20 \
    --format json --desc off >"$report" 2>/dev/null || audit_rc=$?
"$BIN/python" - "$report" "$audit_rc" <<'PY' || status=1
import json
import sys

path, rc = sys.argv[1], int(sys.argv[2])
try:
    with open(path) as f:
        deps = json.load(f).get("dependencies", [])
except (OSError, ValueError):
    deps = None
if deps is None:
    print(f"pip-audit: NOT RUN - the vulnerability service could not be reached (exit {rc}).")
    print("           Dependencies are unaudited in this run; check again with network access.")
    sys.exit(0)
audited = [d for d in deps if "skip_reason" not in d]
vulnerable = [d for d in audited if d.get("vulns")]
for d in vulnerable:
    ids = ", ".join(v["id"] for v in d["vulns"])
    fixes = sorted({f for v in d["vulns"] for f in v.get("fix_versions", [])})
    print(f"pip-audit: VULNERABLE {d['name']}=={d['version']}: {ids}; fixed in {fixes or '?'}")
if vulnerable:
    sys.exit(1)
if not audited:
    print(
        f"pip-audit: NOT RUN - the vulnerability service answered for none of the {len(deps)} "
        "dependencies (no network, or a mirror without vulnerability data)."
    )
    print("           Dependencies are unaudited in this run; check again with network access.")
    sys.exit(0)
skipped = len(deps) - len(audited)
note = f" ({skipped} could not be looked up)" if skipped else ""
print(f"pip-audit: no known vulnerabilities in {len(audited)} dependencies{note}.")
PY

echo "== security: manage.py check --deploy (production settings) =="
# Every secret production refuses to start without gets a throwaway value here.
env_args=()
for name in $(grep -oE '_required\("[A-Z0-9_]+"\)' whistledesk/config/settings/production.py \
        | sed -E 's/_required\("([A-Z0-9_]+)"\)/\1/' | sort -u); do
    env_args+=("$name=check-deploy-$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(48))')")
done
env "${env_args[@]}" DJANGO_SETTINGS_MODULE=whistledesk.config.settings.production \
    WHISTLEDESK_DATA_DIR="$(mktemp -d)" \
    "$BIN/whistledesk" check --deploy --fail-level WARNING || status=1

if [ "$status" -ne 0 ]; then
    echo "Security checks FAILED."
else
    echo "Security checks passed."
fi
exit "$status"
