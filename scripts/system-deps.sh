#!/usr/bin/env bash
# Install the system packages the tests need, when we can; otherwise say exactly what to install.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v mat2 >/dev/null || need+=(mat2)
command -v pg_dump >/dev/null || need+=(postgresql-client)
# The production rehearsal (tests/deploy) runs its own nginx on loopback; the system
# service the package installs is not used (`systemctl disable --now nginx` if unwanted).
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v openssl >/dev/null || need+=(openssl)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing ${need[*]} from Debian's packages..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
elif command -v sudo >/dev/null && command -v apt-get >/dev/null && sudo -n true 2>/dev/null; then
  sudo apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "The tests need these system packages: ${need[*]}"
  echo "Install them with: sudo apt-get install ${need[*]}"
  exit 1
fi
