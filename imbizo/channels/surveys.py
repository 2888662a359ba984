"""Survey invitations answered by text: one number per question.

An invitation sent by SMS (engagement.invite_after_contact) says it may be
answered by reply. A reply in the range of the first unanswered numeric
question (1-5 for most) answers it; the next question comes back, then the
thanks, when the answers go in through engagement.response_submit like the
web form's. Free-text questions are left to the web form (they are optional).
Where the answers stand is the address's Conversation (flow "survey").
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.core.pseudonyms import citizen_key
from imbizo.engagement.models import Invitation
from imbizo.engagement.replies import numeric_questions, question_prompt
from imbizo.engagement.scores import RANGES
from imbizo.engagement.services import response_submit

from .models import Conversation

SURVEY = "survey"
SURVEY_MINUTES = 24 * 60  # a citizen may answer the next question later in the day


def survey_waiting(*, address: str) -> Invitation | None:
    """The newest open one-use survey invitation sent to `address` (normalised)."""
    key = citizen_key(address)
    if not key:
        return None
    return (Invitation.objects.filter(citizen_key=key, used_at__isnull=True)
            .exclude(source=Invitation.Source.COUNTER)
            .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=clock.now()))
            .select_related("instrument").order_by("-created_at", "-id").first())


@transaction.atomic
def answer(*, channel: str, address: str, text: str) -> str | None:
    """The reply to `text` as the next survey answer of `address`, or None when
    no survey waits for it or `text` is not a number (then the message is
    something else: the dialogue goes on without it)."""
    words = (text or "").strip(" .")
    if not (words.isdigit() and len(words) <= 2):
        return None
    invitation = survey_waiting(address=address)
    if invitation is None:
        return None
    now = clock.now()
    conversation = (Conversation.objects.select_for_update()
                    .filter(channel=channel, address=address, flow=SURVEY).first())
    if conversation is None or conversation.data.get("invitation") != invitation.pk:
        Conversation.objects.filter(channel=channel, address=address).delete()
        conversation = Conversation.objects.create(
            channel=channel, address=address, flow=SURVEY, step="answer",
            data={"invitation": invitation.pk, "answers": {}}, started_at=now, updated_at=now,
            expires_at=now + timedelta(minutes=SURVEY_MINUTES))
    answers = conversation.data.get("answers", {})
    questions = numeric_questions(invitation.instrument)
    remaining = [q for q in questions if q.code not in answers]
    if not remaining:
        return None
    question, number = remaining[0], int(words)
    low, high = RANGES[question.type]
    if not low <= number <= high:
        return _("Please reply with a number from %(low)d to %(high)d.") % {
            "low": low, "high": high} + " " + question_prompt(question)
    answers[question.code] = str(number)
    if len(remaining) > 1:
        conversation.data = {**conversation.data, "answers": answers}
        conversation.updated_at = now
        conversation.expires_at = now + timedelta(minutes=SURVEY_MINUTES)
        conversation.save(update_fields=["data", "updated_at", "expires_at"])
        return question_prompt(remaining[1])
    conversation.delete()
    try:
        response_submit(invitation=invitation, answers=answers)
    except DomainError as refusal:
        return refusal.message
    return _("Thank you for your answers. They help us serve you better.")
