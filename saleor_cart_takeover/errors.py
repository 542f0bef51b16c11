"""Errors the domain raises; the API turns them into `errors { field code message }`."""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class TakeoverErrorCode(StrEnum):
    NOT_FOUND = "not_found"
    INVALID = "invalid"
    REQUIRED = "required"
    NOT_DRAFT = "not_draft"
    CHANNEL_MISMATCH = "channel_mismatch"
    CUSTOMER_MISMATCH = "customer_mismatch"
    ALREADY_TAKEN_OVER = "already_taken_over"
    SESSION_NOT_ACTIVE = "session_not_active"
    INSUFFICIENT_STOCK = "insufficient_stock"
    NOT_AVAILABLE = "not_available"
    AMBIGUOUS_CODE = "ambiguous_code"
    QUANTITY_LIMIT = "quantity_limit"
    DUPLICATED_INPUT = "duplicated_input"
    CHECKOUT_GONE = "checkout_gone"


@dataclass(frozen=True)
class ErrorDetail:
    code: TakeoverErrorCode
    message: str
    field: str | None = None


class TakeoverError(Exception):
    """A request the domain refuses; nothing has been changed when it is raised."""

    def __init__(
        self,
        code: TakeoverErrorCode,
        message: str,
        field: str | None = None,
        *,
        details: Iterable[ErrorDetail] = (),
    ):
        super().__init__(message)
        self.details = list(details) or [ErrorDetail(code, message, field)]

    @classmethod
    def many(cls, details: list[ErrorDetail]) -> "TakeoverError":
        first = details[0]
        return cls(first.code, first.message, first.field, details=details)


class PermissionDenied(Exception):
    """The caller is known but may not do this."""


class Unauthenticated(Exception):
    """The caller could not be identified from the request."""
