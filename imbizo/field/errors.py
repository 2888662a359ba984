"""What can be wrong with a field submission. Every error is a DomainError
with a FieldError code; the OpenRosa and app interfaces map them to their
statuses (unknown form 404, malformed 400, attachment refused 413/400)."""

from enum import StrEnum

from django.utils.translation import gettext as _

from imbizo.core.errors import DomainError


class FieldError(StrEnum):
    UNKNOWN_FORM = "unknown_form"
    MALFORMED_RECORD = "malformed_record"
    ATTACHMENT_REFUSED = "attachment_refused"
    UNKNOWN_RECORD = "unknown_record"
    CONFLICT_RESOLVED = "conflict_resolved"
    ASSIGNMENT_INVALID = "assignment_invalid"


class UnknownForm(DomainError):
    """No form of this code and version (or it is no longer active)."""

    def __init__(self, code: str, version: str):
        super().__init__(
            FieldError.UNKNOWN_FORM,
            _("There is no form %(code)s version %(version)s on this server.")
            % {"code": code or "?", "version": version or "?"},
            field="form",
        )
        self.form_code = code
        self.form_version = version


class MalformedRecord(DomainError):
    """The answers do not fit the form; `problems` names each one."""

    def __init__(self, problems: list[str]):
        super().__init__(FieldError.MALFORMED_RECORD, "; ".join(problems), field="answers")
        self.problems = list(problems)


class AttachmentRefused(DomainError):
    """A file was refused: too large, not an allowed type, or not one the record refers to."""

    def __init__(self, name: str, reason: str, *, too_large: bool = False):
        super().__init__(FieldError.ATTACHMENT_REFUSED,
                         _("%(name)s: %(reason)s") % {"name": name, "reason": reason},
                         field="attachment")
        self.name = name
        self.reason = reason
        self.too_large = too_large


class UnknownRecord(DomainError):
    """A file was sent alone for a record this server has not received."""

    def __init__(self, instance_id: str):
        super().__init__(FieldError.UNKNOWN_RECORD,
                         _("No record %(id)s has been received; send the record first.")
                         % {"id": instance_id}, field="instance_id")
        self.instance_id = instance_id
