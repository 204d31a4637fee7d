#!/usr/bin/env bash
# Install the system packages Whistledesk needs, when we can; otherwise say exactly what to install.
#   scripts/system-deps.sh             everything `make test` needs: chromium, mat2, postgresql-client, nginx, openssl, poppler-utils, dovecot-imapd, gettext
#   scripts/system-deps.sh mat2        only mat2 (`make run`: uploads are refused without it)
# With WARN_ONLY=1 a package that cannot be installed is reported and the script carries on.
set -euo pipefail
wanted=("$@")
[ ${#wanted[@]} -eq 0 ] && wanted=(chromium mat2 postgresql-client nginx openssl poppler-utils dovecot-imapd gettext)
need=()
for pkg in "${wanted[@]}"; do
  case "$pkg" in
    chromium) [ -x /usr/bin/chromium ] || need+=(chromium) ;;
    mat2) [ -x /usr/bin/mat2 ] || need+=(mat2) ;;
    postgresql-client) command -v pg_dump >/dev/null || need+=(postgresql-client) ;;
    # The production rehearsal (tests/deploy) runs its own nginx on loopback; the system
    # service the package installs is not used (`systemctl disable --now nginx` if unwanted).
    nginx) command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx) ;;
    openssl) command -v openssl >/dev/null || need+=(openssl) ;;
    # pdftotext: the report tests read the published PDF's text (tests/reports/test_documents.py).
    poppler-utils) command -v pdftotext >/dev/null || need+=(poppler-utils) ;;
    # The mailbox tests (tests/mailintake) run their own dovecot on loopback, unprivileged;
    # the system service the package installs is not used (`systemctl disable --now dovecot`).
    dovecot-imapd) [ -x /usr/lib/dovecot/imap ] || need+=(dovecot-imapd) ;;
    # makemessages (tests/i18n: the Welsh catalogue is complete) runs xgettext.
    gettext) command -v xgettext >/dev/null || need+=(gettext) ;;
    *) echo "system-deps.sh: unknown package $pkg"; exit 2 ;;
  esac
done
[ ${#need[@]} -eq 0 ] && exit 0
advise() {
  echo "Whistledesk needs these system packages: ${need[*]}"
  echo "Install them with: sudo apt-get install ${need[*]}"
  if [ "${WARN_ONLY:-0}" = 1 ]; then
    echo "Carrying on without them: until mat2 is installed every uploaded file is refused."
    exit 0
  fi
  exit 1
}
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing ${need[*]} from Debian's packages..."
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; } || advise
elif command -v sudo >/dev/null && command -v apt-get >/dev/null && sudo -n true 2>/dev/null; then
  { sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; } || advise
else
  advise
fi
