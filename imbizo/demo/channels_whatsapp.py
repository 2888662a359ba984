"""Demo WhatsApp reports: citizens who wrote, dropped a location pin and sent a
photo; the replies they got; follow-up messages on open cases; ratings of the
ones resolved. Made through the channels services (the same path as the
webhook), with the Graph API left out: the photos are drawn here.

The gateway is the demo's WhatsApp Cloud gateway (secret "demo", app secret
"demo", verify token "demo"): `make run` answers
/channels/whatsapp/whatsapp_cloud/demo/ (see docs/channels-whatsapp.md).
"""

import datetime
import io
import random

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw

from imbizo.cases.models import Case
from imbizo.cases.services import case_resolve
from imbizo.catalogue.models import Channel, Service
from imbizo.channels.inbound import Inbound
from imbizo.channels.models import Gateway, GatewayKind
from imbizo.channels.services import (
    case_message_add,
    case_open_from_channel,
    inbound_receive,
    outcome_set,
    reply_send,
)
from imbizo.channels.whatsapp_media import photo_attach
from imbizo.core import clock
from imbizo.engagement.models import Invitation, QuestionType
from imbizo.engagement.services import invitation_create, invitation_get, response_submit
from imbizo.geo.models import Ward
from imbizo.notify.models import MessageChannel, MessageStatus, OutboxMessage

DEFAULT_REPORTS = 40
DEMO_SECRET = "demo"  # noqa: S105 - the documented demo secret
# Services a citizen photographs, with what they write.
REPORTS = {
    "water-leak": ("Water pipe burst, water running in the street", (40, 110, 200)),
    "sewer-blockage": ("Sewage overflowing next to the houses", (110, 90, 40)),
    "pothole": ("Big pothole, cars swerving into the other lane", (70, 70, 70)),
    "streetlight-out": ("Street light broken, the corner is dark at night", (230, 200, 60)),
    "missed-bin": ("Refuse not collected for two weeks", (60, 140, 60)),
    "illegal-dumping": ("Rubble dumped on the open field", (150, 120, 90)),
}
FOLLOW_UPS = ("Any news on this?", "It is getting worse, please come soon.",
              "The team came but it is leaking again.")


def whatsapp_gateway() -> Gateway:
    """The demo WhatsApp gateway (made here when the channels demo has not made it)."""
    gateway = (Gateway.objects.filter(kind=GatewayKind.WHATSAPP, adapter="whatsapp_cloud")
               .order_by("pk").first())
    if gateway is None:
        gateway = Gateway(kind=GatewayKind.WHATSAPP, slug="whatsapp_cloud", adapter="whatsapp_cloud",
                          settings={"verify_token": DEMO_SECRET, "app_secret": DEMO_SECRET,
                                    "phone_number_id": "100000000000001",
                                    "template": {"name": "imbizo_update", "language": "en",
                                                 "parameters": ["reference", "text"]}})
        gateway.secret_set(DEMO_SECRET)
        gateway.save()
    return gateway


def _services() -> list[tuple[Service, str, tuple]]:
    """The demo services above that ask no required question."""
    services = {s.code: s for s in Service.objects.filter(active=True, code__in=REPORTS)
                .exclude(attributes__required=True)}
    return [(services[code], text, colour) for code, (text, colour) in REPORTS.items()
            if code in services]


def _photo(rng: random.Random, colour: tuple) -> ContentFile:
    image = Image.new("RGB", (320, 240), colour)
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randrange(300), rng.randrange(220)
        draw.ellipse((x, y, x + rng.randrange(20, 80), y + rng.randrange(20, 60)),
                     fill=tuple(max(0, c - rng.randrange(20, 60)) for c in colour))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return ContentFile(buffer.getvalue(), name="photo.jpg")


def whatsapp_build(*, seed: int, reports: int = DEFAULT_REPORTS) -> dict[str, int]:
    """WhatsApp reports of the last hour; counts of what was made."""
    rng = random.Random(seed + 18_003)  # noqa: S311 - demo data, not security
    gateway = whatsapp_gateway()
    services = _services()
    wards = list(Ward.objects.exclude(centroid_lat=0).order_by("code"))
    if not services or not wards:
        return {"WhatsApp reports": 0}
    now = clock.now()
    made = {"WhatsApp reports": 0, "photos": 0, "follow-ups": 0, "rated": 0}
    for n in range(reports):
        service, text, colour = services[n % len(services)]
        ward = rng.choice(wards)
        sender = f"+2776{seed % 1000:03d}{n:04d}"
        # Reports of the last hour: the case's own times (opened, due, events)
        # are the intake's, so the messages before it are dated just before.
        at = now - datetime.timedelta(minutes=rng.uniform(5, 60))
        lat = ward.centroid_lat + rng.uniform(-0.002, 0.002)
        lon = ward.centroid_lon + rng.uniform(-0.002, 0.002)
        case = _report(gateway, seed=seed, n=n, sender=sender, at=at, service=service, text=text,
                       lat=lat, lon=lon, photo=_photo(rng, colour))
        if case is None:
            continue
        made["WhatsApp reports"] += 1
        made["photos"] += case.attachments.count()
        if n % 3 == 0:
            _follow_up(gateway, case=case, sender=sender, seed=seed, n=n, at=now,
                       text=FOLLOW_UPS[n % len(FOLLOW_UPS)])
            made["follow-ups"] += 1
        if n % 4 == 1 and _resolve_and_rate(case, rng):
            made["rated"] += 1
    # The demo's history was sent long ago: nothing of it leaves when `make run` starts.
    OutboxMessage.objects.filter(channel=MessageChannel.WHATSAPP,
                                 status=MessageStatus.PENDING).update(
        status=MessageStatus.SENT, sent_at=now, next_attempt_at=None)
    return made


@transaction.atomic
def _report(gateway, *, seed, n, sender, at, service, text, lat, lon, photo) -> Case | None:
    first, _ = inbound_receive(gateway=gateway, inbound=Inbound(
        provider_id=f"wamid.DEMO{seed}.{n:05d}A", sender=sender, text=text, received_at=at))
    pin, _ = inbound_receive(gateway=gateway, inbound=Inbound(
        provider_id=f"wamid.DEMO{seed}.{n:05d}B", sender=sender, text="",
        received_at=at + datetime.timedelta(minutes=1), lat=lat, lon=lon))
    outcome_set(first, "dialogue")
    case = case_open_from_channel(
        channel=Channel.WHATSAPP, sender=sender, service=service, description=text,
        lat=lat, lon=lon, idempotency_key=f"demo-whatsapp-{seed}-{n}", message=pin)
    photo_attach(case=case, photo=photo)
    reply_send(channel=Channel.WHATSAPP, address=sender, case=case, texts=[
        f"Thank you: your photo was added to report {case.reference}."])
    return case


@transaction.atomic
def _follow_up(gateway, *, case, sender, seed, n, at, text) -> None:
    message, created = inbound_receive(gateway=gateway, inbound=Inbound(
        provider_id=f"wamid.DEMO{seed}.{n:05d}C", sender=sender, text=text, received_at=at))
    if created:
        case_message_add(case=case, message=message, channel=Channel.WHATSAPP)
        reply_send(channel=Channel.WHATSAPP, address=sender, case=case, texts=[
            f"Thank you: your message was added to report {case.reference}."])


@transaction.atomic
def _resolve_and_rate(case: Case, rng: random.Random) -> bool:
    case_resolve(case=case, actor=None, outcome="fixed", note="Repaired by the depot team.")
    # Resolving invites the citizen (engagement); a case without one gets it here.
    invitation = (Invitation.objects.filter(case=case, used_at__isnull=True)
                  .order_by("-created_at").first())
    if invitation is None:
        token = invitation_create(instrument_code="after-contact", source="sms", case=case,
                                  identifier=case.citizen_phone)
        if token is None:
            return False
        invitation = invitation_get(token)
    score = rng.choice((2, 3, 4, 4, 5, 5))
    answers = {}
    for question in invitation.instrument.questions.filter(required=True):
        answers[question.code] = {
            QuestionType.SCALE_5: str(score), QuestionType.SCALE_11: str(score * 2),
            QuestionType.YES_NO: "yes" if score >= 3 else "no",
        }.get(question.type, (question.choices or ["-"])[0])
    response_submit(invitation=invitation, answers=answers)
    return True
