"""The half-filled public form, kept in the session vault so the session table holds no clear text.

A draft is a JSON document (answers, the list of attached files, and the random key that
encrypts those files in `DraftFile`) stored with `request.vault`. Draft rows are scratch
space, not part of the register: they are not audited (an audit row would itself record
when someone was preparing a disclosure) and they are deleted when the form is sent.

A draft belongs to the organisation it was started in (ADR 0017): it is kept in the vault
under that organisation's name and carries its id, and its files are rows of that
organisation. Organisations sharing a host share the browser's vault, so a draft begun at
/a/ is simply not there at /b/: B's pages start a draft of their own.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

from whistledesk.core.crypto import (
    DecryptionFailed,
    new_secret_key,
    secret_decrypt,
    secret_encrypt,
)
from whistledesk.core.exceptions import DomainError
from whistledesk.intake.models import DraftFile
from whistledesk.organisation.tenancy import request_organisation

VAULT_NAME = "intake-draft"
# A draft not sent within a day is abandoned; its files are removed by the next upload.
STALE_AFTER = dt.timedelta(hours=24)


class DraftFileLost(DomainError):
    """A draft file expired or its key was lost. The message names the file to the person."""


@dataclass
class DraftAttachment:
    id: str
    name: str
    content_type: str
    size: int


@dataclass
class Draft:
    answers: dict[str, Any] = field(default_factory=dict)
    files: list[DraftAttachment] = field(default_factory=list)
    key: bytes = b""
    # Names this draft when it is sent, so that sending it twice makes one disclosure.
    token: str = ""
    # The questionnaire version the draft answers (-1: not chosen yet; 0: the default).
    questionnaire: int = -1
    # The id of the organisation the draft was started in (0: none, a draft not yet saved).
    organisation: int = 0

    def to_bytes(self) -> bytes:
        return json.dumps(
            {
                "answers": self.answers,
                "files": [vars(f) for f in self.files],
                "key": base64.b64encode(self.key).decode(),
                "token": self.token,
                "questionnaire": self.questionnaire,
                "organisation": self.organisation,
            }
        ).encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> Draft:
        data = json.loads(raw)
        return cls(
            answers=dict(data.get("answers", {})),
            files=[DraftAttachment(**f) for f in data.get("files", [])],
            key=base64.b64decode(data.get("key", "")),
            token=str(data.get("token", "")),
            questionnaire=int(data.get("questionnaire", -1)),
            organisation=int(data.get("organisation", 0)),
        )


@dataclass(frozen=True)
class FileContent:
    name: str
    content_type: str
    data: bytes


def vault_name(request: HttpRequest, name: str) -> str:
    """A vault entry of the request's organisation: `name` kept apart per organisation."""
    org = request_organisation(request)
    return f"{name}:{org.pk if org is not None else 0}"


def _organisation_id(request: HttpRequest) -> int:
    org = request_organisation(request)
    return org.pk if org is not None else 0


def draft_load(request: HttpRequest) -> Draft:
    """This organisation's draft, or a new one for it. A draft of another organisation is
    never returned, whatever the vault holds."""
    here = _organisation_id(request)
    raw = request.vault.get(vault_name(request, VAULT_NAME))  # type: ignore[attr-defined]
    if raw is None:
        return Draft(organisation=here)
    try:
        draft = Draft.from_bytes(raw)
    except (ValueError, TypeError, KeyError):
        return Draft(organisation=here)
    if draft.organisation != here:
        return Draft(organisation=here)
    return draft


def draft_save(request: HttpRequest, draft: Draft) -> None:
    # Both exist from the first save, so every copy of the draft (a second tab, a request
    # racing a double-click) carries the same ones.
    if not draft.key:
        draft.key = new_secret_key()
    if not draft.token:
        draft.token = secrets.token_urlsafe(32)
    if draft.organisation != _organisation_id(request):
        raise ValueError("a draft is saved only in the organisation it was started in")
    request.vault.put(vault_name(request, VAULT_NAME), draft.to_bytes())  # type: ignore[attr-defined]


def draft_discard(request: HttpRequest, draft: Draft) -> None:
    _files_of(draft).filter(id__in=[f.id for f in draft.files]).delete()
    request.vault.delete(vault_name(request, VAULT_NAME))  # type: ignore[attr-defined]


def _files_of(draft: Draft) -> Any:
    """The draft's organisation's draft files (the query every file lookup starts from)."""
    return DraftFile.objects.filter(organisation_id=draft.organisation)


def draft_file_add(draft: Draft, *, name: str, content_type: str, data: bytes) -> DraftAttachment:
    """Encrypt and keep one (already cleaned) file for this draft."""
    if not draft.key:
        draft.key = new_secret_key()
    DraftFile.objects.filter(created_at__lt=timezone.now() - STALE_AFTER).delete()
    row = DraftFile.objects.create(
        id=uuid.uuid4(),
        organisation_id=draft.organisation,
        sealed=secret_encrypt(draft.key, data),
    )
    attachment = DraftAttachment(
        id=str(row.id), name=name, content_type=content_type, size=len(data)
    )
    draft.files.append(attachment)
    return attachment


def draft_file_remove(draft: Draft, *, file_id: str) -> None:
    if any(f.id == file_id for f in draft.files):
        _files_of(draft).filter(id=file_id).delete()
        draft.files = [f for f in draft.files if f.id != file_id]


def draft_files_read(draft: Draft) -> list[FileContent]:
    """Decrypt the draft's files for submission.

    A file that cannot be read is an error, not a silent skip: the person must not believe a
    file was sent when it was not.
    """
    rows = {
        str(r.id): bytes(r.sealed)
        for r in _files_of(draft).filter(id__in=[f.id for f in draft.files])
    }
    out = []
    for f in draft.files:
        sealed = rows.get(f.id)
        try:
            if sealed is None:
                raise DecryptionFailed("missing")
            out.append(FileContent(f.name, f.content_type, secret_decrypt(draft.key, sealed)))
        except DecryptionFailed as exc:
            raise DraftFileLost(
                gettext(
                    "One of your files could not be read. Remove it on the files page and "
                    "upload it again."
                )
            ) from exc
    return out
