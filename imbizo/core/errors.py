"""The one error type domain services raise; interfaces map it to HTTP, Open311 or form errors."""

from enum import StrEnum


class DomainError(Exception):
    """A rule of the domain was broken by the caller's input.

    `code` is a stable machine-readable value (an app's StrEnum member);
    `message` is plain, translatable text naming what is wrong;
    `field` names the input at fault, when there is one.
    """

    def __init__(self, code: StrEnum | str, message: str, *, field: str | None = None):
        super().__init__(message)
        self.code = str(code)
        self.message = str(message)
        self.field = field

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        return f"{where}{self.message}"
