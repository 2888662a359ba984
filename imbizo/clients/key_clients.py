"""What happens to key clients: contact persons' keys, the intake link, visits,
signals and their corrective actions, and the closed loop's follow-up.

A negative signal about a key client (a deadline breached on its case, a
complaint opened for it) is stored as a Signal and mailed to the account
manager; it stays open on the key client's page until the corrective action is
recorded. A poor rating raises one reaction only: the closed loop's follow-up
case, which `follow_up_owner` gives to the account manager and files as the
signal, without a separate email (docs/adr/0039-one-reaction-to-a-poor-rating.md).
"""

from datetime import date
from enum import StrEnum

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from imbizo.cases.intake import phone_normalise
from imbizo.cases.models import EventKind, Kind
from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.core.links import site_link
from imbizo.core.pseudonyms import citizen_key
from imbizo.notify.models import OutboxMessage
from imbizo.notify.services import message_build, message_deliver_after_commit, message_enqueue
from imbizo.org.models import Role, Staff

from .key_models import Signal, SignalKind, Visit
from .key_selectors import account_manager_of_case
from .models import CaseClient, ContactPerson, KeyClient
from .services import case_client_set, default_group

NOTES_MAX = 4000


class KeyClientError(StrEnum):
    REQUIRED = "key_client.required"
    DATE = "key_client.date"
    FORBIDDEN = "key_client.forbidden"
    ALREADY_RECORDED = "key_client.already_recorded"


# --- contact persons ---------------------------------------------------------------------


def phone_key(phone: str) -> str:
    """The citizen key of a phone number as typed ('082 123 4567'): the key a
    caller giving the same number at intake has. Empty when it is no number."""
    if not phone.strip():
        return ""
    try:
        return citizen_key(phone_normalise(phone))
    except DomainError:
        return ""


def email_key(email: str) -> str:
    return citizen_key(email.strip().lower()) if email.strip() else ""


def contact_person_keys(person: ContactPerson) -> ContactPerson:
    """Compute the person's phone and email keys from their phone and email (not saved)."""
    person.phone_key, person.email_key = phone_key(person.phone), email_key(person.email)
    return person


def key_client_of_caller(*, phone: str = "", email: str = "") -> KeyClient | None:
    """The active key client one of whose active contact persons has this phone
    or email, or None. One indexed query."""
    keys = [k for k in (phone_key(phone), email_key(email)) if k]
    if not keys:
        return None
    person = (ContactPerson.objects.filter(active=True, key_client__active=True)
              .filter(Q(phone_key__in=keys) | Q(email_key__in=keys))
              .select_related("key_client").order_by("pk").first())
    return person.key_client if person else None


# --- the intake link ---------------------------------------------------------------------


def intake_link(*, case, group=None, key_client: KeyClient | None = None, agreed: str = "",
                phone: str = "", email: str = "") -> CaseClient | None:
    """File the case opened at intake under its client group and key client.

    Call inside the intake transaction. The key client the agent picked wins;
    else a caller whose phone or email is a contact person's links the case to
    that key client. Without a group chosen, the key client's group, else the
    default group of the case's client type; None (no link) when the
    institution has no client groups yet. A complaint for a key client is a
    signal to its account manager. Safe to call again for the same case (a
    resubmitted form): nothing is added.
    """
    source = CaseClient.Source.INTAKE
    if key_client is None:
        key_client = key_client_of_caller(phone=phone, email=email)
        if key_client is not None:
            source = CaseClient.Source.CLIENT
    if group is None and key_client is None:
        group = default_group(case.client_type)
        source = CaseClient.Source.DERIVED
        if group is None:
            return None
    link = case_client_set(case=case, group=group, key_client=key_client, source=source,
                           agreed=agreed.strip()[:NOTES_MAX])
    if key_client is not None and case.kind == Kind.COMPLAINT:
        signal_raise(key_client=key_client, case=case, kind=SignalKind.COMPLAINT)
    return link


# --- signals -----------------------------------------------------------------------------


def _alert_context(signal: Signal) -> dict:
    return {"signal": signal, "kind": SignalKind(signal.kind).label,
            "client": signal.key_client, "reference": signal.case.reference if signal.case else "",
            "link": site_link(f"/staff/clients/key/{signal.key_client_id}/#signals")}


def signal_raise(*, key_client: KeyClient, case, kind: SignalKind, alert: bool = True) -> Signal:
    """Store a signal (once per case and kind) and, when `alert`, email the
    account manager. Call inside the transaction of what caused it."""
    signal, created = Signal.objects.get_or_create(
        case=case, kind=kind, defaults={"key_client": key_client, "at": clock.now()})
    manager = key_client.account_manager
    if created and alert and manager.active and manager.user.email:
        message_enqueue(channel="email", recipient=manager.user.email,
                        template="key_client_signal", context=_alert_context(signal), case=case,
                        dedupe_key=f"key-signal:{signal.pk}")
    return signal


SWEEP_SIGNALS = {EventKind.BREACHED: SignalKind.BREACH,
                 EventKind.ACK_BREACHED: SignalKind.ACK_BREACH,
                 EventKind.UPDATE_OVERDUE: SignalKind.OVERDUE}


def signals_from_sweep(*, fired) -> int:
    """Signals for the clock sweep's breaches on key clients' cases: one row per
    case and kind and one email each, written in the sweep's batch transaction.
    Three queries per batch whatever its size (none when nothing breached)."""
    wanted = {(case.pk, SWEEP_SIGNALS[f.kind]): (case, f.at) for case, fires in fired
              for f in fires if f.kind in SWEEP_SIGNALS}
    if not wanted:
        return 0
    case_ids = {case_id for case_id, _kind in wanted}
    links = {link.case_id: link.key_client for link in CaseClient.objects.filter(
        case_id__in=case_ids, key_client__isnull=False)
        .select_related("key_client__account_manager__user")}
    if not links:
        return 0
    seen = set(Signal.objects.filter(case_id__in=list(links))
               .values_list("case_id", "kind"))
    new = [Signal(key_client=links[case_id], case=case, kind=kind, at=at)
           for (case_id, kind), (case, at) in wanted.items()
           if case_id in links and (case_id, kind) not in seen]
    if not new:
        return 0
    Signal.objects.bulk_create(new)
    messages = []
    for signal in new:
        manager = signal.key_client.account_manager
        if signal.pk is None or not manager.active or not manager.user.email:
            continue
        messages.append(message_build(
            channel="email", recipient=manager.user.email, template="key_client_signal",
            context=_alert_context(signal), case=signal.case,
            dedupe_key=f"key-signal:{signal.pk}"))
    OutboxMessage.objects.bulk_create(messages)
    for message in messages:
        if message.pk is not None:
            message_deliver_after_commit(message_id=message.pk)
    return len(new)


def may_act_for(staff: Staff, key_client: KeyClient) -> bool:
    """The account manager, and supervisors, managers and administrators, record
    visits and corrective actions; others read."""
    return staff.active and (key_client.account_manager_id == staff.pk
                             or staff.role in {Role.SUPERVISOR, Role.MANAGER, Role.ADMINISTRATOR})


def _forbidden() -> DomainError:
    return DomainError(KeyClientError.FORBIDDEN,
                       _("Only the account manager or a supervisor or manager records this."))


@transaction.atomic
def signal_correct(*, signal: Signal, actor: Staff, action: str) -> Signal:
    """Record the corrective action taken on a signal, which closes it."""
    signal = Signal.objects.select_for_update().select_related("key_client").get(pk=signal.pk)
    if not may_act_for(actor, signal.key_client):
        raise _forbidden()
    if signal.recorded_at is not None:
        raise DomainError(KeyClientError.ALREADY_RECORDED,
                          _("The corrective action for this signal is already recorded."))
    action = action.strip()
    if not action:
        raise DomainError(KeyClientError.REQUIRED,
                          _("Say what was done to put it right."), field="corrective_action")
    signal.corrective_action = action[:NOTES_MAX]
    signal.recorded_by, signal.recorded_at = actor, clock.now()
    signal.save(update_fields=["corrective_action", "recorded_by", "recorded_at"])
    return signal


# --- visits ------------------------------------------------------------------------------


@transaction.atomic
def visit_record(*, key_client: KeyClient, actor: Staff, visited_on: date, notes: str,
                 actions_agreed: str = "", next_visit_on: date | None = None) -> Visit:
    """Log a visit to a key client. The next visit must come after this one;
    without one, the client's interval plans it (key_selectors.next_visit_due)."""
    if not may_act_for(actor, key_client):
        raise _forbidden()
    today = timezone.localdate(clock.now())
    if visited_on > today:
        raise DomainError(KeyClientError.DATE, _("A visit is logged once it has happened: "
                                                 "the visit date is in the future."),
                          field="visited_on")
    if next_visit_on is not None and next_visit_on <= visited_on:
        raise DomainError(KeyClientError.DATE,
                          _("The next visit must come after this visit."), field="next_visit_on")
    if not notes.strip():
        raise DomainError(KeyClientError.REQUIRED, _("Write what you saw and heard."),
                          field="notes")
    return Visit.objects.create(
        key_client=key_client, visited_on=visited_on, by=actor, notes=notes.strip()[:NOTES_MAX],
        actions_agreed=actions_agreed.strip()[:NOTES_MAX], next_visit_on=next_visit_on,
        recorded_at=clock.now())


# --- the closed loop ---------------------------------------------------------------------


def follow_up_owner(*, response, case) -> Staff | None:
    """engagement's follow-up assignee finder: a poor rating on a key client's
    case goes to its account manager. The follow-up case joins the key client
    and is its signal (no email: the assignment is the alert)."""
    original = response.case
    manager = account_manager_of_case(original)
    if manager is None:
        return None
    link = CaseClient.objects.select_related("key_client__group").get(case_id=original.pk)
    if not (link.key_client.active and link.key_client.group.active):
        return None  # a former key client's rating goes to the supervisor, as anyone's
    case_client_set(case=case, group=link.group, key_client=link.key_client,
                    source=CaseClient.Source.CLIENT)
    signal_raise(key_client=link.key_client, case=case, kind=SignalKind.POOR_RATING, alert=False)
    return manager
