"""What of a case's words the public reads: the public description and its corrections.

A case keeps what was said (`description`, staff only) and what is published
(`public_description`); see docs/adr/0017. Which cases publish anything at
all is cases.disclosure's rule.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.org.models import Staff

from .errors import CaseError
from .intake import public_text_checked
from .models import Case, EventKind
from .services import case_lock, event_record


@transaction.atomic
def case_public_text_correct(*, case: Case, actor: Staff, text: str) -> Case:
    """Replace the public description of `case` with `text` (empty: publish none).

    The text replaced stays in the case's history as a staff-only event, so
    that what was once published can always be told.
    """
    text = public_text_checked(text)
    case = case_lock(case)
    if text == case.public_description:
        raise DomainError(CaseError.INVALID_DESCRIPTION,
                          _("This is the public description already."),
                          field="public_description")
    event_record(
        case=case, kind=EventKind.PUBLIC_TEXT, at=clock.now(), actor=actor, public=False,
        note=(_("Published before: %(text)s") % {"text": case.public_description}
              if case.public_description else _("Nothing was published before.")),
    )
    case.public_description = text
    case.save(update_fields=["public_description", "updated_at"])
    return case
