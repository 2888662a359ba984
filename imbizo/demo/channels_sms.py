"""The demo's channel gateways, and what citizens did by SMS.

Every gateway kind is configured with the path secret "demo", so that `make
run` answers /channels/sms/africastalking/demo/,
/channels/ussd/africastalking/demo/ and the others (docs/channels.md). The
history's SMS reports get the messages that opened them; some citizens
reply to an open report (on its timeline, for its officer), some answer
their survey invitation by SMS (ratings from basic phones) and a few text
STOP. Written in bulk, as the channel services would have written them.
"""

import random
from datetime import timedelta

from django.db import transaction

from imbizo.cases.models import Case, CaseEvent, EventKind
from imbizo.cases.transitions import OPEN_STATUSES
from imbizo.channels.models import Gateway, GatewayKind, InboundMessage
from imbizo.core import clock
from imbizo.core.bulk import bulk_insert, sequence_reset
from imbizo.core.pseudonyms import citizen_key
from imbizo.engagement.models import Answer, Contact, Instrument, Invitation, Response
from imbizo.notify.models import OptOut
from imbizo.org.models import Staff

DEMO_SECRET = "demo"  # noqa: S105 - the documented demo callback secret
# (kind, slug, adapter, settings, active): the slug is the adapter's name.
GATEWAYS = (
    (GatewayKind.SMS, "africastalking", "africastalking", {}, True),
    (GatewayKind.SMS, "generic", "generic", {
        "format": "json", "fields": {"id": "id", "sender": "from", "text": "text",
                                     "received_at": "date"},
        "signature": {"header": "X-Signature", "secret": DEMO_SECRET, "prefix": "sha256="}},
     True),
    (GatewayKind.USSD, "africastalking", "africastalking", {}, True),
    (GatewayKind.WHATSAPP, "whatsapp_cloud", "whatsapp_cloud", {
        "verify_token": DEMO_SECRET, "app_secret": DEMO_SECRET,
        "phone_number_id": "100000000000001",
        "template": {"name": "imbizo_update", "language": "en",
                     "parameters": ["reference", "text"]}}, True),
    # Polled, not called; off in the demo, which has no mailbox to read.
    (GatewayKind.EMAIL, "imap", "imap", {
        "host": "127.0.0.1", "port": 1143, "tls": "none", "user": "imbizo",
        "password_env": "IMBIZO_IMAP_PASSWORD"}, False),
)
OPENED_BY_SMS = 300
REPLIES = 150
SURVEYS = 120
STOPS = 5
REPLY_TEXTS = (
    "Any news on my report?", "It is still not fixed.", "The water is now running into the road.",
    "Thank you, the team came today.", "Please send someone, the children play there.",
    "When will you come?", "It got worse after the rain.", "I am at home after 4pm to show you.",
)


def gateways_build() -> list[Gateway]:
    """One gateway of each kind with the secret "demo" (kept if it exists)."""
    made = []
    for kind, slug, adapter, settings, active in GATEWAYS:
        gateway = Gateway.objects.filter(kind=kind, adapter=adapter).first()
        if gateway is None:
            gateway = Gateway(kind=kind, slug=slug, adapter=adapter, settings=settings,
                              active=active)
            gateway.secret_set(DEMO_SECRET)
            gateway.save()
        made.append(gateway)
    return made


def channels_sms_build(*, seed: int) -> dict[str, int]:
    rng = random.Random(f"{seed}:channels-sms")
    gateways = gateways_build()
    sms = next(g for g in gateways if g.kind == GatewayKind.SMS)
    cases = list(Case.objects.filter(channel="sms", anonymous=False).exclude(citizen_phone="")
                 .order_by("-opened_at").values("pk", "citizen_phone", "description", "address",
                                                "opened_at", "status", "office_id",
                                                "assignee_id", "resolved_at", "contact_consent",
                                                "ward__name")[:OPENED_BY_SMS * 3])
    now = clock.now()
    messages, events, contacts = [], [], []
    serial = iter(range(1, 10**7))

    def message(case, sender, text, at, outcome, contact_id=None):
        messages.append({"gateway_id": sms.pk, "provider_id": f"ATXid_demo_{next(serial)}",
                         "sender": sender, "text": text, "received_at": at,
                         "case_id": case["pk"] if case else None, "contact_id": contact_id,
                         "outcome": outcome})

    first_contact = (Contact.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    opened = cases[:OPENED_BY_SMS]
    for case in opened:
        at = case["opened_at"]
        message(case, case["citizen_phone"], case["description"][:300],
                at - timedelta(minutes=4), InboundMessage.Outcome.DIALOGUE)
        message(case, case["citizen_phone"], case["address"] or case["ward__name"] or "",
                at - timedelta(minutes=2), InboundMessage.Outcome.DIALOGUE)
        message(case, case["citizen_phone"], "1", at, InboundMessage.Outcome.CASE_OPENED)
    replied = _cases_replied(REPLIES)
    for case in replied:
        # While the case was open: after it opened, before it was resolved.
        end = min(now, case["resolved_at"] or now)
        at = case["opened_at"] + (end - case["opened_at"]) * rng.uniform(0.1, 0.9)
        text = rng.choice(REPLY_TEXTS)
        contact_id = first_contact + len(contacts)
        contacts.append({"id": contact_id, "at": at, "kind": Contact.Kind.PERSON, "channel": "sms",
                         "office_id": case["office_id"], "case_id": case["pk"],
                         "citizen_key": citizen_key(case["citizen_phone"]),
                         "outcome": "Message from the citizen"})
        message(case, case["citizen_phone"], text, at, InboundMessage.Outcome.CASE_MESSAGE,
                contact_id)
        events.append({"case_id": case["pk"], "kind": EventKind.MESSAGE_IN, "at": at,
                       "public": False, "note": text, "details": {"channel": "sms"}})
    rated = _surveys(rng, [c for c in cases if c["resolved_at"] and c["contact_consent"]],
                     message)
    stopped = []
    for case in cases[-STOPS:]:
        at = now - timedelta(days=rng.randrange(1, 60))
        message(None, case["citizen_phone"], "STOP", at, InboundMessage.Outcome.STOP)
        stopped.append({"channel": "sms", "address": case["citizen_phone"], "at": at})
    with transaction.atomic():
        bulk_insert(Contact, contacts, with_pk=True)
        sequence_reset(Contact)
        bulk_insert(InboundMessage, messages)
        bulk_insert(CaseEvent, events)
        bulk_insert(Response, rated["responses"], with_pk=True)
        sequence_reset(Response)
        bulk_insert(Invitation, rated["invitations"], with_pk=True)
        sequence_reset(Invitation)
        bulk_insert(Answer, rated["answers"])
        bulk_insert(OptOut, {row["address"]: row for row in stopped}.values())
    return {"gateways": len(gateways), "SMS reports": len(opened), "SMS replies": len(replied),
            "SMS ratings": len(rated["responses"]), "STOPs": len(stopped)}


def _cases_replied(limit: int) -> list[dict]:
    """Cases whose citizen texted while they were open: the `officer` login's
    own open cases first (whatever channel they came by: the citizen answers an
    update by SMS), so that the officer finds a citizen's SMS on a case page;
    then the latest SMS reports."""
    officer = Staff.objects.filter(user__username="officer").values_list("pk", flat=True).first()
    fields = ("pk", "citizen_phone", "opened_at", "resolved_at", "office_id", "assignee_id")
    base = Case.objects.filter(anonymous=False, contact_consent=True).exclude(citizen_phone="")
    own = list(base.filter(assignee_id=officer, status__in=list(OPEN_STATUSES))
               .order_by("-opened_at").values(*fields)[:10])
    seen = {c["pk"] for c in own}
    others = [c for c in base.filter(channel="sms").order_by("-opened_at").values(*fields)[:limit]
              if c["pk"] not in seen]
    return (own + others)[:limit]


def _surveys(rng: random.Random, resolved: list[dict], message) -> dict[str, list]:
    """Invitations answered by SMS, question by question, like channels.surveys."""
    instrument = Instrument.objects.filter(code="after-contact").order_by("-version").first()
    made = {"invitations": [], "responses": [], "answers": []}
    if instrument is None:
        return made
    questions = [q for q in instrument.questions.all() if q.type == "scale5"]
    first_invitation = (Invitation.objects.order_by("-pk").values_list("pk", flat=True)
                        .first() or 0) + 1
    first_response = (Response.objects.order_by("-pk").values_list("pk", flat=True)
                      .first() or 0) + 1
    for n, case in enumerate(resolved[:SURVEYS]):
        invited = case["resolved_at"] + timedelta(minutes=10)
        answered = invited + timedelta(minutes=rng.randrange(3, 300))
        if answered > clock.now():
            continue
        key = citizen_key(case["citizen_phone"])
        invitation_id, response_id = first_invitation + n, first_response + n
        made["invitations"].append({
            "id": invitation_id, "token_hash": f"demo-sms-survey-{invitation_id:08d}",
            "source": Invitation.Source.SMS, "instrument_id": instrument.pk,
            "case_id": case["pk"], "office_id": case["office_id"],
            "staff_id": case["assignee_id"], "citizen_key": key, "created_at": invited,
            "expires_at": invited + timedelta(days=14), "used_at": answered})
        made["responses"].append({
            "id": response_id, "invitation_id": invitation_id, "instrument_id": instrument.pk,
            "case_id": case["pk"], "office_id": case["office_id"],
            "staff_id": case["assignee_id"], "channel": "sms", "citizen_key": key,
            "submitted_at": answered})
        mean = rng.choice((4.2, 3.9, 3.4))
        for step, question in enumerate(questions):
            number = max(1, min(5, round(rng.gauss(mean, 0.8))))
            made["answers"].append({"response_id": response_id, "question_id": question.pk,
                                    "driver": question.driver, "number": number})
            message(case, case["citizen_phone"], str(number),
                    answered - timedelta(minutes=len(questions) - step),
                    InboundMessage.Outcome.SURVEY_ANSWER)
    return made
