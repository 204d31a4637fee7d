"""TOTP two-factor sign-in: the state a session is in, enrolment and verification services.

After the password step a member of staff is signed in but not *verified*. `staff_required`
asks `second_factor_step(request)` where they must go next:

- a confirmed authenticator and not yet verified in this session -> the code page;
- no authenticator and WHISTLEDESK_REQUIRE_2FA -> the set-up page;
- otherwise (verified, or not required and not enrolled) -> through.

Once someone has enrolled, their code is always asked for, whatever the setting: an
authenticator that could be skipped would protect nothing. Wrong codes are throttled by
django-otp (1, 2, 4, 8... seconds between tries) and a code cannot be used twice.
"""

from __future__ import annotations

import base64
import enum
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from whistledesk.audit.services import audit_record
from whistledesk.core.exceptions import DomainError

DEVICE_NAME = "Authenticator app"
_PENDING_SESSION_KEY = "wd_totp_pending"


class Step(enum.Enum):
    THROUGH = "through"
    VERIFY = "verify"
    ENROL = "enrol"


class WrongCode(DomainError):
    """The code did not match (or came too soon after a wrong one)."""


def two_factor_required() -> bool:
    return bool(getattr(settings, "WHISTLEDESK_REQUIRE_2FA", True))


def user_has_authenticator(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_step(request: HttpRequest) -> Step:
    user = request.user
    if not user.is_authenticated or user.is_verified():  # type: ignore[union-attr,attr-defined]
        return Step.THROUGH
    if user_has_authenticator(user):
        return Step.VERIFY
    return Step.ENROL if two_factor_required() else Step.THROUGH


def may_enrol(request: HttpRequest) -> bool:
    """Only someone with no authenticator yet, or who has just proved the current one.

    Otherwise a stolen password alone could replace the authenticator and walk past it.
    """
    user = request.user
    return user.is_authenticated and (
        user.is_verified() or not user_has_authenticator(user)  # type: ignore[union-attr,attr-defined]
    )


def totp_enrolment_start(request: HttpRequest) -> TOTPDevice:
    """An unconfirmed device for this session's set-up page; the same one on reload."""
    user = request.user
    pending_id = request.session.get(_PENDING_SESSION_KEY)
    device = TOTPDevice.objects.filter(pk=pending_id, user=user, confirmed=False).first()
    if device is None:
        # Nothing to audit yet: an unconfirmed device grants nothing.
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
        request.session[_PENDING_SESSION_KEY] = device.pk
    return device


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URI as an inline SVG QR code (data: URIs are allowed for img by our CSP)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def manual_key(device: TOTPDevice) -> str:
    """The secret in base32, grouped in fours, for people who cannot scan the code."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _clean_code(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())


def _check_code(device: TOTPDevice, code: str, *, actor: Any) -> None:
    """Outside any transaction on purpose: django-otp saves the throttle on a wrong code,
    and a rollback would undo it and let guesses through without delay."""
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        raise WrongCode(
            "Too many wrong codes. Wait a few seconds, then enter the newest code.", field="code"
        )
    if not device.verify_token(_clean_code(code)):
        with transaction.atomic():
            audit_record(
                actor=actor, action="auth.two_factor_failed", object_type="user", object_id=actor.pk
            )
        raise WrongCode("The code is not correct. Enter the newest 6-digit code.", field="code")


def totp_device_confirm(*, actor: Any, request: HttpRequest, code: str) -> TOTPDevice:
    """Confirm the pending device with a first code; it replaces any earlier authenticator."""
    pending_id = request.session.get(_PENDING_SESSION_KEY)
    device = TOTPDevice.objects.filter(pk=pending_id, user=actor, confirmed=False).first()
    if device is None:
        raise DomainError("The set-up has expired. Scan the new code and try again.")
    _check_code(device, code, actor=actor)
    with transaction.atomic():
        replaced = TOTPDevice.objects.filter(user=actor, confirmed=True)
        replaced_count = replaced.count()
        replaced.delete()
        TOTPDevice.objects.filter(user=actor, confirmed=False).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        request.session.pop(_PENDING_SESSION_KEY, None)
        otp_login(request, device)
        audit_record(
            actor=actor,
            action="user.two_factor_enrolled",
            object_type="user",
            object_id=actor.pk,
            details={"replaced": replaced_count},
        )
    return device


def totp_sign_in_verify(*, actor: Any, request: HttpRequest, code: str) -> None:
    """The second step of sign-in: a code from the user's confirmed authenticator."""
    device = TOTPDevice.objects.filter(user=actor, confirmed=True).first()
    if device is None:
        raise DomainError("You have no authenticator set up. Sign in again.")
    _check_code(device, code, actor=actor)
    with transaction.atomic():
        otp_login(request, device)
        audit_record(
            actor=actor, action="auth.two_factor_verified", object_type="user", object_id=actor.pk
        )
