"""What the import reports when it refuses a file: each problem with its row and column."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from imbizo.cases.errors import CaseError
from imbizo.core.errors import DomainError


@dataclass(frozen=True)
class RowError:
    """What is wrong, where: `row` counts the header as row 1 (None: the whole file)."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.column is None:
            return _("row %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        return _("row %(row)d, column %(column)s: %(message)s") % {
            "row": self.row, "column": self.column, "message": self.message}


class ImportRejected(DomainError):
    """The file was not imported; `errors` says why (at most the import's limit)."""

    def __init__(self, errors: list[RowError], *, stopped_early: bool = False):
        self.errors = errors
        self.stopped_early = stopped_early
        rows = {e.row for e in errors if e.row is not None}
        if stopped_early:
            message = _("Nothing was imported. Checking stopped after %(n)d errors; "
                        "fix these and run the import again.") % {"n": len(errors)}
        elif rows:
            message = ngettext("Nothing was imported: %(n)d row has errors.",
                               "Nothing was imported: %(n)d rows have errors.",
                               len(rows)) % {"n": len(rows)}
        else:
            message = _("Nothing was imported.")
        super().__init__(CaseError.IMPORT_REJECTED, message)
