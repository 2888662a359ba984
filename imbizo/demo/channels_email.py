"""The demo's email replies, stored as the mailbox poll would have stored them.

Citizens who gave an email address answer our emails about their reports:
while the report is open (on its timeline, for its officer; the `officer`
login's own open cases first, a few with a photo), and after it was
resolved (a message, not a reopening: ADR 0032). Out-of-office answers and
bounces are recorded and touch no case; a few strangers write without a
reference. Citizens who reported by email rate their contact from the
survey link in our email. Written in bulk, like the rest of the history.
"""

import io
import random
import secrets
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.db import transaction

from imbizo.cases.models import Attachment, Case, CaseEvent, EventKind
from imbizo.cases.transitions import OPEN_STATUSES
from imbizo.channels.email_replies import EmailOutcome
from imbizo.channels.models import GatewayKind, InboundMessage
from imbizo.core import clock
from imbizo.core.bulk import bulk_insert, sequence_reset
from imbizo.core.pseudonyms import citizen_key
from imbizo.engagement.models import Answer, Contact, Instrument, Invitation, Response
from imbizo.org.models import Staff

from .channels_sms import gateways_build

REPLIES = 120
AFTER_RESOLUTION = 0.2  # of the replies: written after the report was resolved
PHOTOS = 3  # replies with a photo, on the officer login's cases
AUTO_REPLIES = 25
BOUNCES = 8
STRANGERS = 6
RATED_SHARE = 0.5  # of the email-opened resolved cases nobody rated yet
REPLY_TEXTS = (
    "Thank you for the update. When will the team come?",
    "It is still not fixed; the water is running down the street.",
    "The team came but the hole is still open.",
    "Please phone me, I am at home after 4pm.",
    "It got worse after the rain last night.",
    "Can you tell me who is working on this?",
)
PHOTO_TEXT = "I attach a photo so that you can see where it is."
THANKS_TEXTS = (
    "Thank you, it is fixed now.",
    "Thanks for sorting this out so quickly.",
    "It is better, but the pavement was left broken.",
)
AUTO_TEXTS = (
    "I am out of the office until Monday with limited access to email.",
    "Thank you for your email. I am on leave and will reply on my return.",
)


def channels_email_build(*, seed: int, until: datetime | None = None) -> dict[str, int]:
    rng = random.Random(f"{seed}:channels-email")
    now = min(until, clock.now()) if until is not None else clock.now()
    gateway = next(g for g in gateways_build() if g.kind == GatewayKind.EMAIL)
    serial = iter(range(1, 10**7))
    messages, events, contacts = [], [], []
    first_contact = (Contact.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

    def message(sender, text, at, outcome, case=None, contact_id=None):
        messages.append({
            "gateway_id": gateway.pk, "provider_id": f"demo-{seed}-{next(serial)}@mail.example.org",
            "sender": sender, "text": text, "received_at": at,
            "case_id": case["pk"] if case else None, "contact_id": contact_id, "outcome": outcome})

    cases = _cases_replied(REPLIES)
    photo_cases = []
    for n, case in enumerate(cases):
        resolved = case["resolved_at"]
        thanks = bool(resolved and resolved < now and rng.random() < AFTER_RESOLUTION)
        if thanks:
            at = resolved + timedelta(hours=rng.uniform(1, 48))
            text = rng.choice(THANKS_TEXTS)
        else:
            end = min(now, resolved or now)
            at = case["opened_at"] + (end - case["opened_at"]) * rng.uniform(0.1, 0.9)
            text = rng.choice(REPLY_TEXTS)
        if at > now:
            continue
        # The officer login's cases come first, so they get the photos when they can.
        if len(photo_cases) < PHOTOS and case["status"] in OPEN_STATUSES and not thanks:
            photo_cases.append((case, n))
            text = PHOTO_TEXT
        contact_id = first_contact + len(contacts)
        contacts.append({"id": contact_id, "at": at, "kind": Contact.Kind.PERSON,
                         "channel": "email", "office_id": case["office_id"],
                         "case_id": case["pk"], "citizen_key": citizen_key(case["citizen_email"]),
                         "outcome": "Message from the citizen"})
        message(case["citizen_email"], text, at, InboundMessage.Outcome.CASE_MESSAGE, case,
                contact_id)
        events.append({"case_id": case["pk"], "kind": EventKind.MESSAGE_IN, "at": at,
                       "public": False, "note": text, "details": {"channel": "email"}})
    resolved_cases = [c for c in cases if c["resolved_at"] and c["resolved_at"] < now]
    for case in rng.sample(resolved_cases, min(AUTO_REPLIES, len(resolved_cases))):
        message(case["citizen_email"], rng.choice(AUTO_TEXTS),
                case["resolved_at"] + timedelta(minutes=rng.randrange(1, 30)),
                EmailOutcome.AUTO_REPLY)
    for case in rng.sample(cases, min(BOUNCES, len(cases))):
        message(f"mailer-daemon@mx{rng.randrange(1, 4)}.example.net",
                "Undelivered Mail Returned to Sender", case["opened_at"] + timedelta(minutes=2),
                EmailOutcome.BOUNCE)
    for n in range(STRANGERS):
        message(f"resident{n + 1}@example.net", "There is a burst pipe near the school.",
                now - timedelta(days=rng.randrange(1, 90)), EmailOutcome.UNMATCHED)
    rated = _ratings(rng, now)
    with transaction.atomic():
        bulk_insert(Contact, contacts, with_pk=True)
        sequence_reset(Contact)
        bulk_insert(InboundMessage, messages)
        bulk_insert(CaseEvent, events)
        bulk_insert(Invitation, rated["invitations"], with_pk=True)
        sequence_reset(Invitation)
        bulk_insert(Response, rated["responses"], with_pk=True)
        sequence_reset(Response)
        bulk_insert(Answer, rated["answers"])
        for case, n in photo_cases:
            _photo_attach(case, n)
    return {"email replies": len(events), "with a photo": len(photo_cases),
            "auto-replies and bounces": min(AUTO_REPLIES, len(resolved_cases))
            + min(BOUNCES, len(cases)), "ratings of email reports": len(rated["responses"])}


def _cases_replied(limit: int) -> list[dict]:
    """Cases whose citizen gave an email address: the `officer` login's open ones
    first, so that the officer finds an email reply on a case page; then the
    latest reports."""
    officer = Staff.objects.filter(user__username="officer").values_list("pk", flat=True).first()
    fields = ("pk", "reference", "citizen_email", "opened_at", "resolved_at", "status",
              "office_id")
    base = Case.objects.filter(anonymous=False, contact_consent=True).exclude(citizen_email="")
    own = [{**c, "own": True} for c in base.filter(
        assignee_id=officer, status__in=list(OPEN_STATUSES)).order_by("-opened_at")
        .values(*fields)[:6]]
    seen = {c["pk"] for c in own}
    others = [{**c, "own": False} for c in base.order_by("-opened_at").values(*fields)[:limit]
              if c["pk"] not in seen]
    return (own + others)[:limit]


def _ratings(rng: random.Random, now: datetime) -> dict[str, list]:
    """Email-opened resolved cases rated from the survey link of our email."""
    instrument = Instrument.objects.filter(code="after-contact").order_by("-version").first()
    made = {"invitations": [], "responses": [], "answers": []}
    if instrument is None:
        return made
    questions = [q for q in instrument.questions.all() if q.type == "scale5"]
    cases = list(Case.objects.filter(channel="email", resolved_at__lt=now, contact_consent=True,
                                     anonymous=False, responses__isnull=True)
                 .exclude(citizen_email="").order_by("pk")
                 .values("pk", "citizen_email", "resolved_at", "office_id", "assignee_id"))
    first_invitation = (Invitation.objects.order_by("-pk").values_list("pk", flat=True)
                        .first() or 0) + 1
    first_response = (Response.objects.order_by("-pk").values_list("pk", flat=True)
                      .first() or 0) + 1
    for case in cases:
        if rng.random() > RATED_SHARE:
            continue
        invited = case["resolved_at"] + timedelta(minutes=5)
        answered = invited + timedelta(hours=rng.uniform(1, 72))
        if answered > now:
            continue
        key = citizen_key(case["citizen_email"])
        invitation_id = first_invitation + len(made["invitations"])
        response_id = first_response + len(made["responses"])
        made["invitations"].append({
            "id": invitation_id, "token_hash": f"demo-email-survey-{invitation_id:08d}",
            "source": Invitation.Source.EMAIL, "instrument_id": instrument.pk,
            "case_id": case["pk"], "office_id": case["office_id"],
            "staff_id": case["assignee_id"], "citizen_key": key, "created_at": invited,
            "expires_at": invited + timedelta(days=14), "used_at": answered})
        made["responses"].append({
            "id": response_id, "invitation_id": invitation_id, "instrument_id": instrument.pk,
            "case_id": case["pk"], "office_id": case["office_id"],
            "staff_id": case["assignee_id"], "channel": "email", "citizen_key": key,
            "submitted_at": answered})
        mean = rng.choice((4.3, 4.0, 3.6))
        for question in questions:
            made["answers"].append({"response_id": response_id, "question_id": question.pk,
                                    "driver": question.driver,
                                    "number": max(1, min(5, round(rng.gauss(mean, 0.7))))})
    return made


def _photo_attach(case: dict, n: int) -> None:
    """A small picture of a flooded street, as a citizen's phone would send it."""
    from PIL import Image, ImageDraw  # heavy: only when the demo is built

    image = Image.new("RGB", (480, 360), (150, 170, 185))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 220, 480, 360), fill=(95, 95, 100))  # the road
    draw.ellipse((120 + n * 7, 250, 360, 330), fill=(70, 120, 170))  # the water
    draw.rectangle((30, 120, 150, 220), fill=(200, 190, 170))  # a wall
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    content = buffer.getvalue()
    attachment = Attachment(case_id=case["pk"], content_type="image/png", size=len(content))
    attachment.file.save(f"{case['reference']}-{secrets.token_hex(6)}.png", ContentFile(content),
                         save=False)
    attachment.save()
