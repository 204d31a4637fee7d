"""Domain errors. Services raise these; views and commands turn them into clear messages."""

from __future__ import annotations


class DomainError(Exception):
    """A request that breaks a business rule. The message is safe to show to the person."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotPermitted(DomainError):
    """The actor's role does not allow this."""
