"""The production rehearsal: Whistledesk as docs/operations.md deploys it, on loopback.

Debian's nginx, configured by deploy/nginx/whistledesk.conf itself (only names, ports and
paths substituted), terminates TLS with a throwaway certificate made here and proxies to
gunicorn (two workers) running the production settings on a fresh PostgreSQL database.
The guide's environment file and release steps come first (migrate, collectstatic,
check --deploy, configure_organisation, create_recovery_key, through
deploy/whistledesk-admin), then load_demo and
a member of staff. nginx runs as the current user with its own prefix,
pid and temporary directories; nothing touches a system service. Everything is stopped,
and the database dropped, at the end of the session, also when a test or the set-up fails.

Clients tell themselves apart as a real proxy would see them: each binds its socket to its
own loopback source address (127.0.0.2, 127.0.0.3, ...).
"""

from __future__ import annotations

import getpass
import os
import re
import secrets
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from requests.adapters import HTTPAdapter

from tests.live_server import (
    BIN,
    ROOT,
    command_run,
    free_port,
    gunicorn_start,
    postgres_database,
    postgres_reachable,
    postgres_server_url,
    process_group_stop,
    wait_until_answering,
)

SITE_CONF = ROOT / "deploy" / "nginx" / "whistledesk.conf"
SERVICE_UNIT = ROOT / "deploy" / "whistledesk.service"
SOCKET_UNIT = ROOT / "deploy" / "whistledesk.socket"
ADMIN = ROOT / "deploy" / "whistledesk-admin"
GUIDE = ROOT / "docs" / "operations.md"
CCO_CONFIG = ROOT / "whistledesk" / "organisation" / "configs" / "childrens_commissioner.toml"
# whistledesk-admin runs APP_DIR/.venv/bin/whistledesk: the checkout's own virtualenv.
APP_DIR = BIN.parent.parent
HOST = "127.0.0.1"
# A second organisation's own host name (docs/operations.md, "Several organisations"): added
# to ALLOWED_HOSTS, server_name and the certificate as the guide says.
SECOND_HOST = "localhost"
CANARY_AGENT = "RehearsalCanaryAgent/9.1"


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/sbin/nginx") if os.access(p, os.X_OK)), None
    )


class SourceAddressAdapter(HTTPAdapter):
    """Connect from a chosen loopback address, so nginx sees a distinct client."""

    def __init__(self, source: str) -> None:
        self.source = source
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args: object, **kwargs: object) -> None:
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)  # type: ignore[arg-type]


STAFF_USERNAME = "rehearsal-caseworker"
CREATE_STAFF = (
    "from whistledesk.accounts.roles import Role; "
    "from whistledesk.accounts.services import user_create; "
    f"user_create(actor='rehearsal', username='{STAFF_USERNAME}', password='{{password}}', "
    "roles=[Role.CASEWORKER])"
)


@dataclass
class ProductionSite:
    base: str  # https://127.0.0.1:<port>
    http_base: str  # the plain-HTTP listener (redirects only)
    certificate: Path
    database_url: str
    env: dict[str, str]
    staff_password: str
    staff_username: str = STAFF_USERNAME
    logs: dict[str, Path] = field(default_factory=dict)

    def client(self, source: str) -> requests.Session:
        """A browser without JavaScript, connecting from `source` (a 127.0.0.0/8 address)."""
        assert source.startswith("127.") and source != HOST, "loopback, and not the proxy's own"
        s = requests.Session()
        adapter = SourceAddressAdapter(source)
        s.mount("https://", adapter)
        s.mount("http://", adapter)
        # Not the environment's CA bundle or proxies: this site's certificate, directly.
        s.trust_env = False
        s.verify = str(self.certificate)
        # A browser sends Origin with each form post; Django's CSRF check compares it.
        s.headers.update({"User-Agent": CANARY_AGENT, "Origin": self.base})
        return s

    def sql(self, query: str) -> str:
        """One value from the site's PostgreSQL database."""
        done = subprocess.run(
            ["psql", self.database_url, "-qtAc", query],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return done.stdout.strip()

    def dump(self) -> bytes:
        """What a thief holding a backup of the database would hold: a plain-SQL pg_dump."""
        return subprocess.run(
            ["pg_dump", "--no-owner", self.database_url],
            capture_output=True,
            timeout=120,
            check=True,
        ).stdout

    def log_text(self) -> dict[str, str]:
        """Every log the site has written so far: nginx's (access, error) and gunicorn's."""
        return {
            name: path.read_text(errors="replace") if path.exists() else ""
            for name, path in self.logs.items()
        }


def unit_gunicorn_options(unit: str) -> tuple[int, int, list[str]]:
    """(workers, timeout, other flags) of ExecStart in deploy/whistledesk.service.

    The rehearsal runs gunicorn with the unit's own flags (two workers instead of its
    number, and a loopback port instead of the systemd socket).
    """
    joined = re.sub(r"\\\n\s*", " ", unit)
    found = re.search(r"^ExecStart=(.+)$", joined, re.M)
    assert found, "deploy/whistledesk.service has no ExecStart"
    argv = shlex.split(found.group(1))
    assert argv[0] == "/opt/whistledesk/.venv/bin/gunicorn", argv
    assert argv[1] == "whistledesk.config.wsgi:application", argv
    flags = argv[2:]
    values: dict[str, int] = {}
    for name in ("--workers", "--timeout"):
        assert name in flags, f"the unit should set {name}"
        at = flags.index(name)
        values[name] = int(flags[at + 1])
        del flags[at : at + 2]
    assert not any(f.startswith(("--bind", "-b")) for f in flags), "the socket unit binds"
    return values["--workers"], values["--timeout"], flags


def environment_file(
    guide: str,
    *,
    secret_key: str,
    pepper: str,
    database_url: str,
    data_dir: Path,
    static_root: Path,
) -> str:
    """The environment file of docs/operations.md, with this run's values.

    The example is taken from the guide itself (the code block that starts with
    DJANGO_SETTINGS_MODULE=...production), so the guide's file is the one rehearsed.
    """
    found = re.search(
        r"```sh\n(DJANGO_SETTINGS_MODULE=whistledesk\.config\.settings\.production\n.*?)```",
        guide,
        re.S,
    )
    assert found, f"{GUIDE} has no environment file example"
    text = found.group(1)
    substitutions = [
        ("<the first value>", secret_key),
        ("<the second value>", pepper),
        ("postgres:///whistledesk", database_url),
        ("report.example.org", HOST),
        ("/var/lib/whistledesk", str(data_dir)),
        ("/var/www/whistledesk/static", str(static_root)),
    ]
    for old, new in substitutions:
        assert old in text, f"the guide's environment file no longer has {old!r}"
        text = text.replace(old, new)
    # The guide's step for an organisation at its own host name
    assert f"ALLOWED_HOSTS={HOST}\n" in text
    return text.replace(f"ALLOWED_HOSTS={HOST}\n", f"ALLOWED_HOSTS={HOST},{SECOND_HOST}\n")


def read_environment_file(path: Path) -> dict[str, str]:
    """KEY=value lines as systemd's EnvironmentFile= reads them (double quotes removed)."""
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        values[key] = value
    return values


def render_site_conf(
    text: str,
    *,
    https_port: int,
    http_port: int,
    app_port: int,
    certificate: Path,
    key: Path,
    static_root: Path,
    log_dir: Path,
) -> str:
    """deploy/nginx/whistledesk.conf with loopback ports and this run's paths.

    Each production value must be found, so a change to the shipped file that the rehearsal
    no longer understands fails here instead of testing something else.
    """
    substitutions = [
        ("listen [::]:443 ssl http2;\n", ""),
        ("listen [::]:80;\n", ""),
        ("listen [::]:80 default_server;\n", ""),
        ("listen 443 ssl http2;", f"listen {HOST}:{https_port} ssl http2;"),
        ("listen 80;", f"listen {HOST}:{http_port};"),
        ("listen 80 default_server;", f"listen {HOST}:{http_port} default_server;"),
        # The guide's step for an organisation at its own host name: both server blocks
        ("server_name report.example.org;", f"server_name {HOST} {SECOND_HOST};"),
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};"),
        ("/etc/letsencrypt/live/report.example.org/fullchain.pem", str(certificate)),
        ("/etc/letsencrypt/live/report.example.org/privkey.pem", str(key)),
        ("report.example.org", HOST),
        ("/var/www/whistledesk/static/", f"{static_root}/"),
        ("/var/log/nginx/", f"{log_dir}/"),
        ("/opt/whistledesk/deploy/nginx/errors", str(ROOT / "deploy" / "nginx" / "errors")),
    ]
    for old, new in substitutions:
        assert old in text, f"{SITE_CONF} no longer contains {old!r}: update tests/deploy"
        text = text.replace(old, new)
    directives = "\n".join(line.split("#", 1)[0] for line in text.splitlines())
    leftover = re.findall(r"(?:/etc/|/var/|/opt/)\S*", directives)
    assert not leftover, f"paths the rehearsal does not substitute: {leftover}"
    return text


def main_conf(tmp: Path, site: Path, log_dir: Path) -> str:
    """The parts of Debian's /etc/nginx/nginx.conf a site relies on, in a private prefix.

    Debian's http block logs every request with the client's address (the "combined"
    format) unless a server says otherwise: kept here, so the site must override it.
    """
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {tmp / 'nginx' / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}worker_processes 1;
pid {tmp / "nginx.pid"};
daemon off;
error_log {log_dir / "nginx-main-error.log"} warn;
events {{
    worker_connections 256;
}}
http {{
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {log_dir / "nginx-default-access.log"};
    gzip on;
{temp}
    include {site};
}}
"""


def _certificate(directory: Path) -> tuple[Path, Path]:
    """A throwaway self-signed certificate for 127.0.0.1, valid for one day."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-days", "1", "-subj", f"/CN={HOST}",
            "-addext", f"subjectAltName=IP:{HOST},DNS:{SECOND_HOST}",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    return cert, key


@pytest.fixture(scope="session")
def production_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProductionSite]:
    nginx = nginx_binary()
    if nginx is None:
        pytest.fail("nginx is missing: run `make system-deps` (apt-get install nginx)")
    server = postgres_server_url()
    if not postgres_reachable(server):
        pytest.skip(f"the production rehearsal needs PostgreSQL at {server}: not reachable")
    tmp = tmp_path_factory.mktemp("rehearsal")
    data, static, log_dir = (tmp / d for d in ("data", "static", "log"))
    for directory in (data, static, log_dir, tmp / "nginx"):
        directory.mkdir()
    data.chmod(0o700)

    with ExitStack() as stack:
        database_url = stack.enter_context(postgres_database(server, "wd_rehearsal"))
        staff_password = secrets.token_urlsafe(16)
        env_file = tmp / "whistledesk.env"
        env_file.write_text(
            environment_file(
                GUIDE.read_text(),
                secret_key=secrets.token_urlsafe(50),
                pepper=secrets.token_urlsafe(32),
                database_url=database_url,
                data_dir=data,
                static_root=static,
            )
        )
        # The guide's release steps, through deploy/whistledesk-admin and that file
        admin_env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "HOME": str(tmp),
            "WHISTLEDESK_ENV_FILE": str(env_file),
            "WHISTLEDESK_APP_DIR": str(APP_DIR),
            "WHISTLEDESK_USER": getpass.getuser(),
        }
        for step in (
            ["migrate", "--noinput"],
            ["collectstatic", "--noinput"],
            ["check", "--deploy", "--fail-level", "WARNING"],
            # As the guide: the organisation, then its recovery key (each organisation has its
            # own, ADR 0017); then the demo disclosures, sealed to that key too.
            ["configure_organisation", str(CCO_CONFIG)],
            ["create_recovery_key"],
            ["load_demo"],
            ["shell", "-c", CREATE_STAFF.format(password=staff_password)],
        ):
            command_run([str(ADMIN), *step], admin_env)
        # What systemd's EnvironmentFile= gives the service
        env = {
            "PATH": admin_env["PATH"],
            "LANG": "C.UTF-8",
            "HOME": str(tmp),
            **read_environment_file(env_file),
        }

        cert, key = _certificate(tmp)
        https_port, http_port, app_port = free_port(), free_port(), free_port()
        site_conf = tmp / "whistledesk.conf"
        site_conf.write_text(
            render_site_conf(
                SITE_CONF.read_text(),
                https_port=https_port,
                http_port=http_port,
                app_port=app_port,
                certificate=cert,
                key=key,
                static_root=static,
                log_dir=log_dir,
            )
        )
        nginx_conf = tmp / "nginx.conf"
        nginx_conf.write_text(main_conf(tmp, site_conf, log_dir))
        nginx_args = [nginx, "-p", str(tmp), "-c", str(nginx_conf)]
        nginx_args += ["-e", str(log_dir / "nginx-startup-error.log")]
        command_run([*nginx_args, "-t"], env, timeout=30)

        gunicorn_log = (log_dir / "gunicorn.log").open("wb")
        stack.callback(gunicorn_log.close)
        # nginx's upstream is where whistledesk.socket listens
        assert "ListenStream=127.0.0.1:8000\n" in SOCKET_UNIT.read_text()
        _, timeout, options = unit_gunicorn_options(SERVICE_UNIT.read_text())
        app = gunicorn_start(
            env=env,
            port=app_port,
            workers=2,
            timeout=timeout,
            output=gunicorn_log,
            options=options,
            socket_activation=shutil.which("systemd-socket-activate") is not None,
        )
        stack.callback(process_group_stop, app)
        wait_until_answering(f"http://127.0.0.1:{app_port}/", app)

        proxy = subprocess.Popen(
            nginx_args,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        stack.callback(process_group_stop, proxy)
        base = f"https://{HOST}:{https_port}"
        wait_until_answering(f"{base}/", proxy, verify=str(cert))

        yield ProductionSite(
            base=base,
            http_base=f"http://{HOST}:{http_port}",
            certificate=cert,
            database_url=database_url,
            env=env,
            staff_password=staff_password,
            logs={
                "nginx access": log_dir / "whistledesk-access.log",
                "nginx error": log_dir / "whistledesk-error.log",
                "nginx main error": log_dir / "nginx-main-error.log",
                "nginx startup error": log_dir / "nginx-startup-error.log",
                "nginx default access": log_dir / "nginx-default-access.log",
                "gunicorn": log_dir / "gunicorn.log",
            },
        )
