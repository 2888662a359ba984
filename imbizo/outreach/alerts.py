"""Ward alerts: subscribing, confirming, unsubscribing, and the fan-out that
tells every matching subscriber of a change (docs/outreach.md).

A subscription names wards (or a point and radius, stored as the wards it
touches) and services (all, or chosen ones), by email or SMS. It counts only
once confirmed: by the link in the confirmation email, or by the code in the
confirmation SMS typed on the page. Every alert carries a link that ends
every subscription of its address at once.

The fan-out (`alerts_fanout`) is one INSERT ... SELECT into the outbox: one
BULK-priority message per confirmed address, deduplicated per change and
address, its words rendered when sent (`alert_context`), in the subscriber's
language.
"""

import hmac
import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from imbizo.cases.intake import phone_normalise
from imbizo.catalogue.models import Service
from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.core.languages import language_or_default
from imbizo.core.limits import LINE_MAX
from imbizo.core.links import site_link
from imbizo.core.pseudonyms import citizen_key
from imbizo.geo.models import Ward
from imbizo.geo.selectors import ward_ids_near
from imbizo.notify import tasks as notify_tasks
from imbizo.notify.models import MessagePriority, MessageStatus, OutboxMessage
from imbizo.notify.segments import sms_segments, sms_shorten
from imbizo.notify.services import message_enqueue, messages_drop
from imbizo.notify.texts import context_builder, header_builder
from imbizo.org.selectors import institution_get
from imbizo.privacy.consent import ALERTS, ALERTS_WORDING
from imbizo.privacy.services import consent_wording

from .alert_errors import AlertError
from .alert_models import (
    AlertChannel,
    Subscription,
    SubscriptionService,
    SubscriptionStatus,
    SubscriptionWard,
)
from .interruption_models import Interruption

# Numbers that can receive an SMS (phonenumbers' judgement of the number's range).
_TEXTABLE = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)

# How far a point subscription may reach.
RADIUS_MIN_M, RADIUS_MAX_M = 100, 5000
# Wrong SMS codes allowed before the subscriber must start again.
CONFIRM_TRIES = 5
NOTICE_MAX = 480
# The dedupe key is "<prefix>:<channel>:<40 characters of the address key>".
DEDUPE_PREFIX_MAX = 120 - 1 - 5 - 1 - 40

NOTICE_TEMPLATE = "alert_notice"
INTERRUPTION_TEMPLATE = "alert_interruption"
ALERT_TEMPLATES = (NOTICE_TEMPLATE, INTERRUPTION_TEMPLATE)


# --- subscribing ----------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float
    radius_m: int


def address_normalise(*, channel: str, address: str) -> str:
    """The stored form of `address` for `channel` (E.164 phone, lower-case email),
    or DomainError naming what is wrong."""
    address = (address or "").strip()
    if channel == AlertChannel.SMS:
        if not address:
            raise DomainError(AlertError.INVALID_PHONE, _("Give a mobile phone number."),
                              field="address")
        try:
            number = phone_normalise(address)
        except DomainError as error:
            raise DomainError(AlertError.INVALID_PHONE, error.message, field="address") from error
        if phonenumbers.number_type(phonenumbers.parse(number)) not in _TEXTABLE:
            raise DomainError(AlertError.INVALID_PHONE,
                              _("This is a landline number: SMS alerts need a mobile number."),
                              field="address")
        return number
    if channel == AlertChannel.EMAIL:
        try:
            validate_email(address)
        except ValidationError as error:
            raise DomainError(AlertError.INVALID_EMAIL,
                              _("This is not an email address; check it for typing errors."),
                              field="address") from error
        return address.lower()
    raise DomainError(AlertError.INVALID_CHANNEL, _("Choose email or SMS."), field="channel")


def _ward_ids_chosen(ward_ids: Iterable[int], point: Point | None) -> list[int]:
    chosen = sorted({int(pk) for pk in ward_ids})
    if chosen:
        found = set(Ward.objects.filter(pk__in=chosen).values_list("pk", flat=True))
        if len(found) != len(chosen):
            raise DomainError(AlertError.UNKNOWN_WARD, _("One of the wards chosen does not exist."),
                              field="wards")
    if point is not None:
        if not RADIUS_MIN_M <= point.radius_m <= RADIUS_MAX_M:
            raise DomainError(
                AlertError.INVALID_RADIUS,
                _("The distance must be between %(low)d and %(high)d metres.")
                % {"low": RADIUS_MIN_M, "high": RADIUS_MAX_M}, field="radius_m")
        if not (-90 <= point.lat <= 90 and -180 <= point.lon <= 180):
            raise DomainError(AlertError.OUTSIDE_WARDS, _("This point is not on the map."),
                              field="point")
        near = ward_ids_near(lat=point.lat, lon=point.lon, radius_m=point.radius_m)
        if not near:
            raise DomainError(AlertError.OUTSIDE_WARDS,
                              _("No ward lies within that distance of the point."), field="point")
        chosen = sorted(set(chosen) | set(near))
    if not chosen:
        raise DomainError(AlertError.NO_WARDS, _("Choose at least one ward, or a point on the map."),
                          field="wards")
    return chosen


def _service_ids_chosen(service_ids: Iterable[int]) -> list[int]:
    chosen = sorted({int(pk) for pk in service_ids})
    if chosen and Service.objects.filter(pk__in=chosen).count() != len(chosen):
        raise DomainError(AlertError.UNKNOWN_SERVICE,
                          _("One of the services chosen does not exist."), field="services")
    return chosen


def _code_hash(subscription_token: str, code: str) -> str:
    return salted_hmac("imbizo.alerts.code", f"{subscription_token}:{code}",
                       algorithm="sha256").hexdigest()


@transaction.atomic
def subscription_request(
    *,
    channel: str,
    address: str,
    ward_ids: Sequence[int] = (),
    point: Point | None = None,
    service_ids: Sequence[int] = (),
    consent: bool,
    language: str | None = None,
    by=None,
) -> Subscription:
    """Store a subscription waiting for confirmation and send the confirmation:
    an email with a link, or an SMS with a code to type on the page.

    `service_ids` empty means every service. `by` is the member of staff who
    took it for a caller. Raises DomainError for an invalid address, no (or
    unknown) wards or services, or no consent.
    """
    address = address_normalise(channel=channel, address=address)
    wards = _ward_ids_chosen(ward_ids, point)
    services = _service_ids_chosen(service_ids)
    if not consent:
        raise DomainError(AlertError.CONSENT_REQUIRED,
                          _("Tick the box to agree to receive these alerts."), field="consent")
    now = clock.now()
    language = language_or_default(language or get_language())
    subscription = Subscription(
        channel=channel, address=address, address_key=citizen_key(address), language=language,
        all_services=not services, confirm_token=secrets.token_urlsafe(32),
        unsubscribe_token=secrets.token_urlsafe(16),
        consent_wording=consent_wording(purpose=ALERTS, text=ALERTS_WORDING, language=language),
        created_at=now, created_by=by,
        lat=point.lat if point else None, lon=point.lon if point else None,
        radius_m=point.radius_m if point else None,
    )
    code = ""
    if channel == AlertChannel.SMS:
        code = f"{secrets.randbelow(10**6):06d}"
        subscription.confirm_code_hash = _code_hash(subscription.confirm_token, code)
    subscription.save(force_insert=True)
    SubscriptionWard.objects.bulk_create(
        [SubscriptionWard(subscription=subscription, ward_id=pk) for pk in wards])
    SubscriptionService.objects.bulk_create(
        [SubscriptionService(subscription=subscription, service_id=pk) for pk in services])
    message_enqueue(
        channel=channel, recipient=address, template="alert_confirm",
        context={"institution": institution_get(), "code": code,
                 "confirm_url": site_link(f"/alerts/confirm/{subscription.confirm_token}/"),
                 "ward_names": _ward_names(wards)},
        language=language,
    )
    return subscription


def _ward_names(ward_ids: Sequence[int], limit: int = 3) -> str:
    names = list(Ward.objects.filter(pk__in=ward_ids).order_by("code")
                 .values_list("name", flat=True)[:limit + 1])
    if len(names) > limit:
        return ", ".join(names[:limit]) + _(" and %(n)d more") % {"n": len(ward_ids) - limit}
    return ", ".join(names)


def subscription_for_confirmation(*, token: str) -> Subscription:
    """The subscription whose confirmation link holds `token`, or DomainError."""
    subscription = (Subscription.objects.filter(confirm_token=token).first()
                    if token and len(token) <= 43 else None)
    if subscription is None:
        raise DomainError(AlertError.NOT_FOUND,
                          _("This confirmation link is not known: it may be mistyped, or the "
                            "sign-up was removed because it was not confirmed in time."))
    return subscription


def subscription_confirm(*, token: str, code: str = "") -> Subscription:
    """Confirm the subscription of `token` (and, for SMS, the code it was sent).

    Confirming again is harmless: the confirmed subscription is returned as it
    is. Raises DomainError for an unknown token, a wrong code (counted: after
    CONFIRM_TRIES wrong codes the sign-up must start again), or an ended
    subscription.
    """
    found = subscription_for_confirmation(token=token)
    wrong = 0
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().get(pk=found.pk)
        if subscription.status == SubscriptionStatus.CONFIRMED:
            return subscription
        if subscription.status == SubscriptionStatus.ENDED:
            raise DomainError(AlertError.ENDED,
                              _("These alerts were stopped. Sign up again to receive them."))
        if subscription.channel == AlertChannel.SMS:
            if subscription.confirm_failures >= CONFIRM_TRIES:
                raise DomainError(AlertError.TOO_MANY_TRIES,
                                  _("Too many wrong codes. Sign up again for a new code."),
                                  field="code")
            typed = "".join((code or "").split())
            if not hmac.compare_digest(_code_hash(subscription.confirm_token, typed),
                                       subscription.confirm_code_hash):
                # Stored before the error is raised, outside this block: the
                # count must outlive the failed attempt.
                wrong = subscription.confirm_failures + 1
                Subscription.objects.filter(pk=subscription.pk).update(confirm_failures=wrong)
        if not wrong:
            subscription.status = SubscriptionStatus.CONFIRMED
            subscription.confirmed_at = clock.now()
            subscription.save(update_fields=["status", "confirmed_at"])
            return subscription
    left = CONFIRM_TRIES - wrong
    raise DomainError(AlertError.WRONG_CODE,
                      _("That is not the code we sent. %(left)d tries left.") % {"left": left}
                      if left > 0 else _("Too many wrong codes. Sign up again for a new code."),
                      field="code")


def subscription_for_unsubscribe(*, token: str) -> Subscription | None:
    """The subscription of an unsubscribe link, or None (unknown, or already removed)."""
    if not token or len(token) > 22:
        return None
    return Subscription.objects.filter(unsubscribe_token=token).first()


@transaction.atomic
def subscriptions_end(*, token: str) -> int:
    """End every subscription of the address the link `token` was sent to.

    Returns how many were still running; 0 when the link is unknown or they
    had ended already, which is not an error (a repeated click is harmless).
    """
    subscription = subscription_for_unsubscribe(token=token)
    if subscription is None:
        return 0
    ended = Subscription.objects.filter(
        channel=subscription.channel, address_key=subscription.address_key,
        status__in=(SubscriptionStatus.PENDING, SubscriptionStatus.CONFIRMED),
    ).update(status=SubscriptionStatus.ENDED, ended_at=clock.now())
    # Alerts still waiting in the outbox (a large one drains for minutes) are
    # not sent after the subscriber said stop.
    messages_drop(channel=subscription.channel, recipient=subscription.address,
                  templates=ALERT_TEMPLATES)
    return ended


# --- fan-out --------------------------------------------------------------------------


def subscribers_matching(*, ward_ids: Iterable[int], service_id: int | None) -> QuerySet:
    """Confirmed subscriptions of any of `ward_ids` for `service_id` (or every
    service when None)."""
    in_wards = SubscriptionWard.objects.filter(subscription=OuterRef("pk"),
                                               ward_id__in=list(ward_ids))
    matching = Subscription.objects.filter(Exists(in_wards), status=SubscriptionStatus.CONFIRMED)
    if service_id is not None:
        for_service = SubscriptionService.objects.filter(subscription=OuterRef("pk"),
                                                         service_id=service_id)
        matching = matching.filter(Q(all_services=True) | Exists(for_service))
    return matching


def alerts_fanout(*, ward_ids: Iterable[int], service_id: int | None, change: str,
                  template: str, deferred_context: dict, dedupe_prefix: str) -> int:
    """Enqueue one alert per confirmed address subscribed to any of `ward_ids`
    and to `service_id` (None: a notice about no one service, for every
    subscriber of those wards).

    One INSERT ... SELECT, in the caller's transaction: BULK priority, the
    words rendered when sent by the builder of `template` from
    `deferred_context` (small, JSON) with the subscriber's language and
    unsubscribe link added. `dedupe_prefix` names the change (e.g.
    "interruption:12:started:0"): the same prefix never reaches an address
    twice, however often the fan-out runs or however many of its
    subscriptions match. Returns how many messages were enqueued. The outbox
    sweep is asked to start once the caller commits.
    """
    ward_ids = sorted({int(pk) for pk in ward_ids})
    if not ward_ids:
        return 0
    if not dedupe_prefix or len(dedupe_prefix) > DEDUPE_PREFIX_MAX:
        raise ValueError(f"dedupe_prefix must be 1 to {DEDUPE_PREFIX_MAX} characters")
    context = {**deferred_context, "change": change}
    fields = {f.attname: f for f in OutboxMessage._meta.concrete_fields if not f.primary_key}
    now = clock.now()
    quote = connection.ops.quote_name
    chosen = {  # column -> (SQL, parameters)
        "channel": ("s.channel", []),
        "recipient": ("s.address", []),
        "dedupe_key": ("%s || s.channel || ':' || substr(s.address_key, 1, 40)",
                       [dedupe_prefix + ":"]),
        "template": ("%s", [template]),
        "context": ("%s", [fields["context"].get_db_prep_save(context, connection)]),
        "status": ("%s", [MessageStatus.PENDING.value]),
        "priority": ("%s", [int(MessagePriority.BULK)]),
        "created_at": ("%s", [fields["created_at"].get_db_prep_save(now, connection)]),
        "next_attempt_at": ("%s", [fields["next_attempt_at"].get_db_prep_save(now, connection)]),
    }
    columns, values, parameters = [], [], []
    for attname, field in fields.items():
        sql, params = chosen.get(attname) or ("%s", [field.get_db_prep_save(
            field.get_default(), connection)])
        columns.append(quote(field.column))
        values.append(sql)
        parameters.extend(params)
    wards = ", ".join(["%s"] * len(ward_ids))
    service_filter = ""
    if service_id is not None:
        service_filter = (f" AND (s.all_services OR EXISTS (SELECT 1 FROM "  # noqa: S608 - names from _meta, values bound
                          f"{quote(SubscriptionService._meta.db_table)} x WHERE "
                          "x.subscription_id = s.id AND x.service_id = %s))")
    # Table and column names come from _meta; every value is bound.
    sql = (
        f"INSERT INTO {quote(OutboxMessage._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {', '.join(values)} FROM {quote(Subscription._meta.db_table)} s "
        f"WHERE s.status = %s AND EXISTS (SELECT 1 FROM "
        f"{quote(SubscriptionWard._meta.db_table)} w WHERE w.subscription_id = s.id "
        f"AND w.ward_id IN ({wards})){service_filter} "
        # Two subscriptions of one address, or a fan-out run twice: one message.
        "ON CONFLICT DO NOTHING"
    )
    parameters += [SubscriptionStatus.CONFIRMED.value, *ward_ids]
    if service_id is not None:
        parameters.append(int(service_id))
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        enqueued = max(cursor.rowcount, 0)
    if enqueued:
        transaction.on_commit(_sweep_soon)
    return enqueued


def _sweep_soon() -> None:
    # Bulk rows have no on-commit delivery of their own; the periodic sweep
    # would find them within OUTBOX_SWEEP_SECONDS, this starts one at once.
    try:
        notify_tasks.outbox_sweep.enqueue()
    except Exception:  # noqa: BLE001 - the periodic sweep sends them all the same
        return


def alerts_preview(ward_ids: Iterable[int], service_id: int | None, text: str) -> tuple[int, int]:
    """(recipients, SMS segments) of a notice: how many addresses a fan-out to
    `ward_ids` and `service_id` would reach now, and how many segments its SMS
    (`text` and the unsubscribe link) takes."""
    recipients = (subscribers_matching(ward_ids=ward_ids, service_id=service_id)
                  .values("channel", "address_key").distinct().count())
    return recipients, sms_segments(_sms_notice(text, unsubscribe_url=_sample_unsubscribe()))


def _sample_unsubscribe() -> str:
    return site_link("/alerts/u/" + "x" * 22 + "/")


def _sms_notice(text: str, *, unsubscribe_url: str) -> str:
    return f"{text.strip()} {_('Stop:')} {unsubscribe_url}"


@transaction.atomic
def notice_send(*, ward_ids: Sequence[int], service_id: int | None, text: str, by) -> int:
    """Send a free-text notice from staff to the subscribers of `ward_ids`
    (and `service_id`); returns how many messages were enqueued."""
    text = " ".join((text or "").split())
    if not text:
        raise DomainError(AlertError.NOTICE_EMPTY, _("Write the notice."), field="text")
    if len(text) > NOTICE_MAX:
        raise DomainError(AlertError.NOTICE_TOO_LONG,
                          _("Keep the notice under %(n)d characters.") % {"n": NOTICE_MAX},
                          field="text")
    if not ward_ids:
        raise DomainError(AlertError.NO_WARDS, _("Choose at least one ward."), field="wards")
    if service_id is not None and not Service.objects.filter(pk=service_id).exists():
        raise DomainError(AlertError.UNKNOWN_SERVICE, _("That service does not exist."),
                          field="service")
    now = clock.now()
    return alerts_fanout(
        ward_ids=ward_ids, service_id=service_id, change="notice", template=NOTICE_TEMPLATE,
        deferred_context={"text": text, "sent_at": now.isoformat(),
                          "service_id": service_id, "ward_ids": sorted(ward_ids)[:50]},
        dedupe_prefix=f"notice:{now.strftime('%Y%m%d%H%M%S%f')}:{getattr(by, 'pk', 0)}")


# --- words, when sent -----------------------------------------------------------------


def _subscription_of(message) -> Subscription | None:
    """The newest subscription of the message's address (for its language and
    unsubscribe link); None once it was erased."""
    return (Subscription.objects.filter(channel=message.channel,
                                        address_key=citizen_key(message.recipient))
            .only("language", "unsubscribe_token").order_by("-created_at", "-pk").first())


def _unsubscribe_url(subscription: Subscription | None) -> str:
    return site_link(f"/alerts/u/{subscription.unsubscribe_token}/") if subscription else ""


# The words shared by every message of one notice (the institution, the
# service and ward names) are read once per process per NAMES_TTL seconds, not
# once per message: a notice to 100,000 subscribers is rendered 100,000 times.
NAMES_TTL = 60.0
_names: dict[tuple, tuple[float, dict]] = {}


def _notice_names(service_id: int | None, ward_ids: tuple[int, ...]) -> dict:
    key = (service_id, ward_ids)
    now = time.monotonic()
    cached = _names.get(key)
    if cached is None or now - cached[0] > NAMES_TTL:
        if len(_names) > 256:
            _names.clear()
        service = (Service.objects.filter(pk=service_id).only("name").first()
                   if service_id else None)
        cached = (now, {"institution": institution_get(), "service": service,
                        "ward_names": _ward_names(list(ward_ids))})
        _names[key] = cached
    return cached[1]


@context_builder(NOTICE_TEMPLATE)
def notice_context(message) -> dict:
    subscription = _subscription_of(message)
    unsubscribe_url = _unsubscribe_url(subscription)
    deferred = message.context
    return {
        **_notice_names(deferred.get("service_id"), tuple(deferred.get("ward_ids", []))),
        "language": subscription.language if subscription else None,
        "text": deferred.get("text", ""),
        "sms_text": _sms_notice(deferred.get("text", ""), unsubscribe_url=unsubscribe_url),
        "unsubscribe_url": unsubscribe_url,
    }


def interruption_context(message) -> dict:
    """The words of an interruption alert, from the interruption as it is when
    sent (its latest times and text), with the subscriber's language."""
    subscription = _subscription_of(message)
    unsubscribe_url = _unsubscribe_url(subscription)
    deferred = message.context
    interruption = (Interruption.objects.select_related("service")
                    .filter(pk=deferred.get("interruption_id")).first())
    stop = f" {_('Stop:')} {unsubscribe_url}"
    headline = ""
    if interruption is not None:
        headline = interruption_headline(interruption, change=deferred.get("change", ""))
    return {
        "language": subscription.language if subscription else None,
        "institution": institution_get(),
        "interruption": interruption,
        "change": deferred.get("change", ""),
        "headline": headline,
        "sms_text": sms_shorten(headline, stop),
        "unsubscribe_url": unsubscribe_url,
    }


context_builder(INTERRUPTION_TEMPLATE)(interruption_context)


def interruption_headline(interruption, *, change: str) -> str:
    """One line on an interruption: what, where, until when (fits one SMS with a link)."""
    service = interruption.service.name
    when = interruption.expected_restoration_at
    until = (_(" until %(when)s") % {"when": date_format(localtime(when), "D j M H:i")}
             if when else "")
    # Service names are often the problem itself ("No water supply"), so the
    # staff's title leads and the service follows in brackets.
    title = " ".join(interruption.title.split()) or service
    words = {
        "announced": _("Planned: %(title)s (%(service)s)%(until)s."),
        "started": _("Now: %(title)s (%(service)s)%(until)s."),
        "updated": _("Update: %(title)s (%(service)s)%(until)s."),
        "restored": _("Restored: %(title)s (%(service)s)."),
        "cancelled": _("Called off: %(title)s (%(service)s)."),
    }.get(change, _("%(title)s (%(service)s)%(until)s."))
    return (words % {"service": service, "until": until, "title": title})[:LINE_MAX]


def alert_headers(message) -> dict:
    """RFC 2369 and RFC 8058 headers: mail programs show an unsubscribe button
    that ends the alerts in one click (a POST to the same link)."""
    unsubscribe_url = _unsubscribe_url(_subscription_of(message))
    if not unsubscribe_url:
        return {}
    return {"List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


for _template in ALERT_TEMPLATES:
    header_builder(_template)(alert_headers)


# --- privacy --------------------------------------------------------------------------


def subscriptions_of(*, keys: Iterable[str]) -> QuerySet:
    return Subscription.objects.filter(address_key__in=[k for k in keys if k])


def subscriptions_export(*, keys: Iterable[str]) -> list[dict]:
    """A citizen's subscriptions as plain data, for their export."""
    subscriptions = (subscriptions_of(keys=keys).select_related("consent_wording")
                     .prefetch_related("wards", "services").order_by("created_at"))
    return [{
        "channel": s.channel, "address": s.address, "status": s.status,
        "language": s.language, "wards": [w.name for w in s.wards.all()],
        "services": ([] if s.all_services else [v.name for v in s.services.all()]),
        "every_service": s.all_services,
        "point": ({"latitude": s.lat, "longitude": s.lon, "radius_m": s.radius_m}
                  if s.lat is not None else None),
        "asked_at": s.created_at.isoformat(),
        "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
        "ended_at": s.ended_at.isoformat() if s.ended_at else None,
        "consent": {"wording": s.consent_wording.text, "version": s.consent_wording.version,
                    "language": s.consent_wording.language},
    } for s in subscriptions]


def subscriptions_erase(*, keys: Iterable[str]) -> int:
    """Delete a citizen's subscriptions (the caller holds the transaction)."""
    _deleted, by_model = subscriptions_of(keys=keys).delete()
    return by_model.get(Subscription._meta.label, 0)


UNCONFIRMED_DAYS = 7


@transaction.atomic
def subscriptions_expire(*, now: datetime) -> dict[str, int]:
    """The retention rule for subscriptions: sign-ups not confirmed within
    ALERTS_UNCONFIRMED_DAYS (7) and ended ones are deleted, with their wards
    and services. Set-based."""
    days = int(getattr(settings, "ALERTS_UNCONFIRMED_DAYS", UNCONFIRMED_DAYS))
    expired = Subscription.objects.filter(
        Q(status=SubscriptionStatus.PENDING, created_at__lte=now - timedelta(days=days))
        | Q(status=SubscriptionStatus.ENDED))
    _deleted, by_model = expired.delete()
    return {"alert_subscriptions": by_model.get(Subscription._meta.label, 0)}
