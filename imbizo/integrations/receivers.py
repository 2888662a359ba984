"""Webhook messages written with the case events that cause them.

cases sends `case_events_recorded` (one case's events: opening, status
changes, updates) and `case_events_swept` (the clock sweep's bulk events)
inside the writing transaction; the answer is a list of unsaved outbox
messages, one per event and matching subscription, which cases inserts with
the events. A rollback therefore leaves no message, and notify's worker sends
what was committed (docs/adr/0010).

Intake is a hot path: subscriptions and the codes payloads need (services,
offices, wards) come from a per-process snapshot, so an event costs no query
here; with no subscription it costs one dictionary look-up.

Importing this module (IntegrationsConfig.ready) also registers the sender
of the webhook channel with notify.
"""

import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from imbizo.cases.hooks import case_events_recorded, case_events_swept
from imbizo.cases.links import track_link
from imbizo.cases.selectors import case_values
from imbizo.catalogue.models import Service
from imbizo.core import clock
from imbizo.core.links import site_link
from imbizo.core.snapshots import ProcessSnapshot
from imbizo.geo.models import Ward
from imbizo.notify.delivery import register_sender
from imbizo.notify.models import MessageChannel, OutboxMessage
from imbizo.org.models import Office

from . import webhooks
from .models import ApiKey, Scope, WebhookSubscription
from .sending import webhook_send

SNAPSHOT_TTL = 30.0
PERSONAL_FIELDS = ("description", "address", "lat", "lon", "citizen_name", "citizen_phone",
                   "citizen_email", "contact_consent")
CASE_FIELDS = ("id", "reference", "status", "kind", "priority", "service_id", "ward_id",
               "office_id", "outcome")


@dataclass(frozen=True)
class Target:
    subscription_id: int
    url: str
    events: tuple[str, ...]
    department_id: int | None
    personal: bool


@dataclass(frozen=True)
class WebhookSnapshot:
    targets: tuple[Target, ...]
    services: dict[int, tuple[str, int | None]]  # id -> (code, department id)
    offices: dict[int, tuple[str, int]]
    wards: dict[int, str]

    def targets_for(self, name: str, *, service_id, office_id) -> list[Target]:
        departments = {self.services.get(service_id, (None, None))[1],
                       self.offices.get(office_id, (None, None))[1]}
        return [t for t in self.targets if webhooks.wanted(t.events, name)
                and (t.department_id is None or t.department_id in departments)]

    def wanted(self, name: str) -> bool:
        return any(webhooks.wanted(t.events, name) for t in self.targets)


def _build() -> WebhookSnapshot:
    targets = tuple(
        Target(subscription_id=s.pk, url=s.url, events=tuple(s.events or ()),
               department_id=s.key.department_id, personal=s.key.allows(Scope.PERSONAL))
        for s in WebhookSubscription.objects.filter(
            active=True, key__revoked_at__isnull=True).select_related("key")
        if s.key.allows(Scope.READ)
    )
    if not targets:
        return WebhookSnapshot(targets=(), services={}, offices={}, wards={})
    return WebhookSnapshot(
        targets=targets,
        services={pk: (code, dept) for pk, code, dept in
                  Service.objects.values_list("pk", "code", "department_id")},
        offices={pk: (code, dept) for pk, code, dept in
                 Office.objects.values_list("pk", "code", "department_id")},
        wards=dict(Ward.objects.values_list("pk", "code")),
    )


_snapshot = ProcessSnapshot(_build, ttl=SNAPSHOT_TTL)


def webhook_snapshot() -> WebhookSnapshot:
    return _snapshot.get()


def webhook_snapshot_reset() -> None:
    _snapshot.reset()


@receiver([post_save, post_delete], sender=WebhookSubscription)
@receiver([post_save, post_delete], sender=ApiKey)
@receiver([post_save, post_delete], sender=Service)
@receiver([post_save, post_delete], sender=Office)
@receiver([post_save, post_delete], sender=Ward)
def _subscriptions_changed(**kwargs) -> None:
    # Now and after commit, as with the catalogue snapshot (ADR 0004).
    webhook_snapshot_reset()
    transaction.on_commit(webhook_snapshot_reset)


def _facts(snapshot: WebhookSnapshot, row: dict, *, personal: bool) -> webhooks.CaseFacts:
    return webhooks.CaseFacts(
        reference=row["reference"], status=row["status"], kind=row["kind"],
        priority=row["priority"],
        service=snapshot.services.get(row["service_id"], (None, None))[0],
        ward=snapshot.wards.get(row["ward_id"]),
        office=snapshot.offices.get(row["office_id"], (None, None))[0],
        outcome=row["outcome"],
        personal={name: row[name] for name in PERSONAL_FIELDS} if personal else None,
    )


def _message(*, target: Target, name: str, row: dict, facts: webhooks.CaseFacts,
             event: webhooks.EventFacts, case=None, now) -> OutboxMessage:
    document = webhooks.payload(
        delivery_id=uuid.uuid4().hex, name=name, case=facts, event=event,
        api_url=site_link(f"/api/v1/cases/{row['reference']}"),
        track_url=track_link(row["reference"]),
    )
    return OutboxMessage(
        channel=MessageChannel.WEBHOOK, recipient=target.url, template=name,
        body=webhooks.body_bytes(document),
        context={"subscription": target.subscription_id, "event": name},
        created_at=now, next_attempt_at=now,
        # An unsaved case (being opened) gets its id when cases inserts both.
        **({"case": case} if case is not None else {"case_id": row["id"]}),
    )


@receiver(case_events_recorded)
def webhooks_for_case_events(*, case, events, **kwargs) -> list[OutboxMessage]:
    snapshot = webhook_snapshot()
    if not snapshot.targets:
        return []
    now = clock.now()
    messages = []
    for event in events:
        name = webhooks.event_name(event.kind, event.to_status)
        if name is None:
            continue
        targets = snapshot.targets_for(name, service_id=case.service_id, office_id=case.office_id)
        if not targets:
            continue
        row = {field: getattr(case, field) for field in (*CASE_FIELDS, *PERSONAL_FIELDS)}
        facts = webhooks.EventFacts(kind=event.kind, at=event.at, public=event.public,
                                    from_status=event.from_status, to_status=event.to_status,
                                    note=event.note, details=event.details)
        for target in targets:
            messages.append(_message(
                target=target, name=name, row=row, event=facts, now=now,
                case=case if case.pk else None,
                facts=_facts(snapshot, row, personal=target.personal)))
    return messages


@receiver(case_events_swept)
def webhooks_for_swept_events(*, events, **kwargs) -> list[OutboxMessage]:
    """One query for the cases of the whole batch, and only when someone listens."""
    snapshot = webhook_snapshot()
    if not snapshot.targets:
        return []
    named = [(row, name) for row in events
             if (name := webhooks.event_name(row["kind"])) and snapshot.wanted(name)]
    if not named:
        return []
    personal = any(t.personal for t in snapshot.targets)
    fields = (*CASE_FIELDS, *PERSONAL_FIELDS) if personal else CASE_FIELDS
    cases = case_values(ids={row["case_id"] for row, _name in named}, fields=fields)
    now = clock.now()
    messages = []
    for row, name in named:
        case = cases[row["case_id"]]
        event = webhooks.EventFacts(kind=row["kind"], at=row["at"],
                                    public=row.get("public", False),
                                    details=row.get("details"))
        for target in snapshot.targets_for(name, service_id=case["service_id"],
                                           office_id=case["office_id"]):
            messages.append(_message(target=target, name=name, row=case, event=event, now=now,
                                     facts=_facts(snapshot, case, personal=target.personal)))
    return messages


# notify's worker sends the webhook channel's messages with integrations.sending.
register_sender(MessageChannel.WEBHOOK, webhook_send)
