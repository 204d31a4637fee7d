"""Upload limits enforced before the body is read, and uploads kept in memory only.

Django's default handlers spool files above FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary
file in clear. For public uploads we refuse oversized requests from Content-Length before
reading anything, then hold the (capped) file in memory until it is cleaned and encrypted.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from whistledesk.casefiles.attachments import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS

MAX_FILE_BYTES = MAX_ATTACHMENT_BYTES
# Room for the other form fields and multipart framing around one file.
MAX_BODY_BYTES = MAX_FILE_BYTES + 64 * 1024
MAX_FILES = MAX_ATTACHMENTS
TOO_LARGE = gettext_lazy("The selected file must be smaller than 10 MB")


def body_too_large(request: HttpRequest) -> bool:
    """True if the declared body is over the cap. Nothing has been read yet."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > MAX_BODY_BYTES


class CappedMemoryUploadHandler(FileUploadHandler):
    """Keeps each file in memory and stops (draining the rest) once it passes the cap."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.too_large = False
        self._buffer = io.BytesIO()
        self._size = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self._buffer = io.BytesIO()
        self._size = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self._size += len(raw_data)
        if self._size > MAX_FILE_BYTES:
            self.too_large = True
            # connection_reset=False: the parser reads and discards the rest, so the
            # browser gets our page rather than a reset connection.
            raise StopUpload(connection_reset=False)
        self._buffer.write(raw_data)

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self._buffer.seek(0)
        return InMemoryUploadedFile(
            file=self._buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


View = Callable[..., HttpResponse]


def capped_uploads(view: View) -> View:
    """Install the capped in-memory handler before CSRF checking reads the body.

    The handler must be in place before anything touches request.POST, and the CSRF
    middleware does exactly that; so the view is exempted from the middleware and
    protected by csrf_protect inside, after the handler is installed (Django's documented way).
    """
    protected = csrf_protect(view)

    @wraps(view)
    @csrf_exempt
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        handler = CappedMemoryUploadHandler(request)
        request.upload_handlers = [handler]
        request.upload_handler = handler  # type: ignore[attr-defined]
        return protected(request, *args, **kwargs)

    return wrapped
