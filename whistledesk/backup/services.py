"""`backup_create` and `backup_restore`: the whole system in one encrypted archive.

What is in it: every table except those rebuilt by `migrate` (content types, permissions)
and short-lived ones (sessions, sign-in attempts), serialised with Django's XML serialiser
(it keeps microseconds, which the audit chain's hashes cover; the JSON one drops them),
every file under MEDIA_ROOT, and a manifest with the SHA-256 of each, the applied
migrations and the audit head. The database is read in one transaction (REPEATABLE READ on
PostgreSQL, a read snapshot on SQLite), so the copy is consistent while the service runs.

Restore wants a clean install of the same version (same migrations); it checks every
hash before touching anything, replaces the database content in one transaction, writes the
files back, and then verifies the audit chain.

Several organisations (ADR 0017): a backup is the installation's, so it holds every
organisation (the database dump is of whole tables, and every file under MEDIA_ROOT); the
manifest records the head of each organisation's audit chain ("slug seq:hash", one per
chain, by slug), and a restore verifies every chain one by one, naming the one that fails.
There is no per-organisation backup or restore. The backup's own events ("backup.started",
"backup.restored") are installation-level when there are several organisations and none
was chosen: they go on the installation's chain (audit/services.py).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from whistledesk.audit.selectors import audit_head
from whistledesk.audit.services import audit_record
from whistledesk.audit.verify import chains, verify_chain
from whistledesk.backup.archive import (
    BackupError,
    DecryptingReader,
    EncryptingWriter,
    drain,
)

FORMAT = 1
DATABASE_MEMBER = "database.xml"
MANIFEST_MEMBER = "manifest.json"
FILES_PREFIX = "files/"
# Rebuilt by migrate, or not worth keeping (and not worth leaking): sessions, sign-in attempts.
EXCLUDED_APPS = {"contenttypes", "sessions", "axes"}
EXCLUDED_MODELS = {"auth.permission"}


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    objects: int
    files: int
    audit_head: str


def _models() -> list[Any]:
    from django.core.serializers import sort_dependencies

    app_list = {cfg: None for cfg in apps.get_app_configs() if cfg.label not in EXCLUDED_APPS}
    ordered = sort_dependencies(app_list.items(), allow_cycles=True)
    return [
        m
        for m in ordered
        if m._meta.label_lower not in EXCLUDED_MODELS and not m._meta.proxy and m._meta.managed
    ]


def _applied_migrations() -> list[list[str]]:
    rows = MigrationRecorder(connection).migration_qs.values_list("app", "name")
    return sorted([app, name] for app, name in rows)


def _objects(models: list[Any]) -> Any:
    for model in models:
        yield from model._default_manager.order_by(model._meta.pk.name).iterator(chunk_size=2000)


class _HashingFile(io.RawIOBase):
    """Counts and hashes what passes through to the temporary file."""

    def __init__(self, target: Any) -> None:
        self.target, self.sha256, self.size = target, hashlib.sha256(), 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        raw = data.encode() if isinstance(data, str) else bytes(data)
        self.sha256.update(raw)
        self.size += len(raw)
        self.target.write(raw)
        return len(data)


def _dump_database(target: Any) -> tuple[int, str]:
    """Serialise every kept table inside one snapshot; returns (object count, sha256)."""
    hashing = _HashingFile(target)
    stream = io.TextIOWrapper(hashing, encoding="utf-8", write_through=True)  # type: ignore[arg-type,type-var]
    counter = {"n": 0}

    def counted() -> Any:
        for obj in _objects(_models()):
            counter["n"] += 1
            yield obj

    outermost = not connection.in_atomic_block
    with transaction.atomic():
        # Only possible as the transaction's first statement; a caller's transaction already
        # gives one snapshot per statement at least, and tests run inside one.
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cur:
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        serializers.serialize("xml", counted(), stream=stream, use_natural_foreign_keys=True)
    stream.flush()
    stream.detach()
    return counter["n"], hashing.sha256.hexdigest()


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def backup_create(*, actor: Any, out_path: Path, key: bytes) -> BackupInfo:
    """Write the archive to `out_path` (which must not exist)."""
    if out_path.exists():
        raise BackupError(f"{out_path} already exists; choose a new file name")
    # Recorded first, so the archive holds the record of its own making.
    with transaction.atomic():
        audit_record(actor=actor, action="backup.started", object_type="backup")
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "migrations": _applied_migrations(),
        "members": {},
    }
    with tempfile.TemporaryDirectory(prefix="wd-backup-") as tmp:
        db_path = Path(tmp) / DATABASE_MEMBER
        with db_path.open("wb") as f:
            count, db_hash = _dump_database(f)
        manifest["objects"] = count
        manifest["members"][DATABASE_MEMBER] = db_hash
        head = _audit_heads()
        manifest["audit_head"] = head
        root = Path(settings.MEDIA_ROOT)
        files = _media_files()
        # Private from the first byte (O_EXCL: never over an existing file).
        try:
            fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise BackupError(f"{out_path} already exists; choose a new file name") from None
        with os.fdopen(fd, "wb") as raw:
            writer = EncryptingWriter(raw, key)
            with tarfile.open(fileobj=writer, mode="w|") as tar:  # type: ignore[call-overload]
                tar.add(db_path, arcname=DATABASE_MEMBER)
                for path in files:
                    name = FILES_PREFIX + path.relative_to(root).as_posix()
                    manifest["members"][name] = _sha256_file(path)
                    tar.add(path, arcname=name)
                body = json.dumps(manifest, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST_MEMBER)
                info.size = len(body)
                tar.addfile(info, io.BytesIO(body))
            writer.close()
    return BackupInfo(path=out_path, objects=count, files=len(files), audit_head=head)


@dataclass(frozen=True)
class RestoreInfo:
    objects: int
    files: int
    audit: str


def _safe_member_name(name: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not name or "\\" in name:
        raise BackupError("The backup holds a file with an unsafe name; refusing to restore it")
    if name not in (DATABASE_MEMBER, MANIFEST_MEMBER) and not name.startswith(FILES_PREFIX):
        raise BackupError("The backup holds an unexpected file; refusing to restore it")
    return name


def _unpack(in_path: Path, key: bytes, into: Path) -> dict[str, Any]:
    hashes: dict[str, str] = {}
    with in_path.open("rb") as raw:
        reader = DecryptingReader(raw, key)
        try:
            with tarfile.open(fileobj=reader, mode="r|") as tar:  # type: ignore[call-overload]
                for member in tar:
                    name = _safe_member_name(member.name)
                    if not member.isfile():
                        raise BackupError("The backup holds something other than plain files")
                    source = tar.extractfile(member)
                    target = into / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    digest = hashlib.sha256()
                    with target.open("wb") as out:
                        for block in iter(partial(source.read, 1024 * 1024), b""):  # type: ignore[union-attr]
                            digest.update(block)
                            out.write(block)
                    hashes[name] = digest.hexdigest()
        except tarfile.TarError as exc:
            raise BackupError("The backup's contents are damaged") from exc
        drain(reader)
    if MANIFEST_MEMBER not in hashes:
        raise BackupError("The backup has no manifest")
    manifest = json.loads((into / MANIFEST_MEMBER).read_text())
    expected = manifest.get("members", {})
    del hashes[MANIFEST_MEMBER]
    if set(expected) != set(hashes):
        raise BackupError("The backup's files do not match its manifest")
    for name, actual in hashes.items():
        if expected[name] != actual:
            raise BackupError(f"{name} in the backup does not match its recorded hash")
    if manifest.get("format") != FORMAT:
        raise BackupError("This backup was made by an incompatible version of Whistledesk")
    return manifest


def backup_restore(*, actor: Any, in_path: Path, key: bytes) -> RestoreInfo:
    """Replace this installation's data with the archive's. Checks everything first."""
    with tempfile.TemporaryDirectory(prefix="wd-restore-") as tmp:
        work = Path(tmp)
        manifest = _unpack(in_path, key, work)
        if manifest["migrations"] != _applied_migrations():
            raise BackupError(
                "This installation's database schema differs from the backup's. Install the "
                "same version of Whistledesk, run `whistledesk migrate`, then restore."
            )
        with transaction.atomic():
            # post_migrate re-creates content types and permissions, which the dump refers to
            # by natural key; everything else comes from the archive.
            call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(work / DATABASE_MEMBER), verbosity=0)
        root = Path(settings.MEDIA_ROOT)
        files_dir = work / FILES_PREFIX
        count = 0
        if files_dir.is_dir():
            for path in sorted(p for p in files_dir.rglob("*") if p.is_file()):
                target = root / path.relative_to(files_dir)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
                count += 1
    summaries = []
    for org, name in chains():
        result = verify_chain(organisation=org)
        if not result.ok:
            raise BackupError(
                f"Restored, but the audit chain of {name} does not verify: {result.problem}"
            )
        summaries.append(f"{name}: {result.summary()}")
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="backup.restored",
            object_type="backup",
            details={"backup_head": manifest.get("audit_head", "")[:80]},
        )
    return RestoreInfo(objects=manifest.get("objects", 0), files=count, audit="; ".join(summaries))


def _audit_heads() -> str:
    """The head of every audit chain, "slug seq:hash" by slug, for the manifest."""
    return ", ".join(f"{name} {audit_head(organisation=org)}" for org, name in chains())
