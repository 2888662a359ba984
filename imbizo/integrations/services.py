"""Writes for integrations: API keys (created, authenticated, revoked)."""

import hashlib
import hmac
import re
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.notify.models import MessageChannel, OutboxMessage
from imbizo.notify.services import message_deliver_after_commit
from imbizo.org.models import Department

from .errors import IntegrationError
from .models import ApiKey, Scope, WebhookSubscription
from .receivers import webhook_snapshot_reset
from .webhooks import EVENT_NAMES

KEY_PATTERN = re.compile(r"^imb_(?P<prefix>[0-9a-f]{8})_(?P<secret>[A-Za-z0-9_-]{40,60})$")
# How stale `last_used_at` may get before a request writes it again: one write
# a minute per key instead of one per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _digest(raw_key: str) -> str:
    # The secret is 256 random bits, not a password: a fast hash is enough and
    # keeps every API request cheap (ADR 0015).
    return hashlib.sha256(raw_key.encode()).hexdigest()


def scopes_parse(text: str | list[str]) -> list[str]:
    """'open311, read' or ['open311', 'read'] -> ['open311', 'read'], checked."""
    items = text.split(",") if isinstance(text, str) else text
    scopes = []
    for item in (s.strip().lower() for s in items):
        if not item:
            continue
        if item not in Scope.values:
            raise DomainError(
                IntegrationError.UNKNOWN_SCOPE,
                _("Unknown scope %(scope)s: use %(known)s.")
                % {"scope": item, "known": ", ".join(Scope.values)},
                field="scopes",
            )
        if item not in scopes:
            scopes.append(item)
    if not scopes:
        raise DomainError(IntegrationError.UNKNOWN_SCOPE, _("Give the key at least one scope."),
                          field="scopes")
    return scopes


@transaction.atomic
def apikey_create(*, name: str, scopes: str | list[str], department: Department | None = None,
                  created_by=None) -> tuple[ApiKey, str]:
    """Create a key and return it with the raw key, which is never stored: the
    caller shows it once."""
    name = name.strip()
    if not name:
        raise DomainError(IntegrationError.INVALID_NAME, _("Give the key a name."), field="name")
    if ApiKey.objects.filter(name=name).exists():
        raise DomainError(IntegrationError.INVALID_NAME,
                          _("A key named %(name)s already exists.") % {"name": name}, field="name")
    checked = scopes_parse(scopes)
    for _attempt in range(5):
        prefix = secrets.token_hex(4)
        raw_key = f"imb_{prefix}_{secrets.token_urlsafe(32)}"
        try:
            with transaction.atomic():
                key = ApiKey.objects.create(
                    name=name, prefix=prefix, key_hash=_digest(raw_key), scopes=checked,
                    department=department, created_at=clock.now(), created_by=created_by,
                )
            return key, raw_key
        except IntegrityError:
            continue  # a prefix already taken (one in four billion): draw again
    raise AssertionError("no free key prefix after five draws")


def apikey_authenticate(*, raw_key: str | None, scope: str) -> ApiKey:
    """The active key `raw_key` names, if it carries `scope`; DomainError otherwise.

    An unknown key and a wrong secret give the same error, so a caller cannot
    learn which prefixes exist.
    """
    raw_key = (raw_key or "").strip()
    if not raw_key:
        raise DomainError(IntegrationError.KEY_MISSING, _("An API key is required."),
                          field="api_key")
    match = KEY_PATTERN.match(raw_key)
    key = ApiKey.objects.filter(prefix=match["prefix"]).first() if match else None
    if key is None or not hmac.compare_digest(key.key_hash, _digest(raw_key)):
        raise DomainError(IntegrationError.KEY_INVALID, _("This API key is not valid."),
                          field="api_key")
    if not key.active:
        raise DomainError(IntegrationError.KEY_REVOKED, _("This API key has been revoked."),
                          field="api_key")
    if scope not in key.scopes:
        raise DomainError(
            IntegrationError.SCOPE_MISSING,
            _("This API key may not be used for %(scope)s.") % {"scope": scope},
            field="api_key",
        )
    now = clock.now()
    if key.last_used_at is None or key.last_used_at < now - LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


def apikey_revoke(*, key: ApiKey) -> ApiKey:
    """Stop `key` working at once. Revoking twice keeps the first time."""
    if key.revoked_at is None:
        key.revoked_at = clock.now()
        ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=key.revoked_at)
        # update() sends no signal: the webhook snapshot forgets the key here.
        webhook_snapshot_reset()
        transaction.on_commit(webhook_snapshot_reset)
    return key


# --- webhooks -------------------------------------------------------------------------


def webhook_events_parse(events: str | list[str]) -> list[str]:
    """'case.opened, case.resolved' -> a checked list; empty means every event."""
    items = events.split(",") if isinstance(events, str) else events
    checked = []
    for name in (item.strip() for item in items):
        if not name:
            continue
        if name not in EVENT_NAMES:
            raise DomainError(IntegrationError.UNKNOWN_EVENT,
                              _("Unknown event %(name)s: use %(known)s.")
                              % {"name": name, "known": ", ".join(EVENT_NAMES)}, field="events")
        if name not in checked:
            checked.append(name)
    return checked


def webhook_url_check(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname or len(url) > 254:
        raise DomainError(IntegrationError.INVALID_URL,
                          _("Give an http or https address of at most 254 characters."),
                          field="url")
    return url


@transaction.atomic
def webhook_subscribe(*, key: ApiKey, url: str, events: str | list[str] = "") -> tuple:
    """Subscribe `key`'s integration to case events at `url`. Returns the
    subscription and its signing secret, which the caller shows once."""
    if not key.active or Scope.READ not in key.scopes:
        raise DomainError(IntegrationError.SCOPE_MISSING,
                          _("Webhooks carry case data: the key needs the read scope."),
                          field="key")
    secret = f"whsec_{secrets.token_urlsafe(32)}"
    subscription = WebhookSubscription.objects.create(
        key=key, url=webhook_url_check(url), events=webhook_events_parse(events),
        secret=secret, created_at=clock.now())
    return subscription, secret


@transaction.atomic
def webhook_replay(*, delivery):
    """Send a delivery again (whatever became of it) as a new delivery with the
    same body: the payload's `id` is unchanged, so a consumer that already has
    it can tell. Goes out after commit."""
    if delivery.channel != MessageChannel.WEBHOOK:
        raise DomainError(IntegrationError.NOT_A_WEBHOOK, _("This message is not a webhook."))
    now = clock.now()
    replay = OutboxMessage.objects.create(
        channel=delivery.channel, recipient=delivery.recipient, template=delivery.template,
        body=delivery.body, context={**delivery.context, "replay_of": delivery.pk},
        case_id=delivery.case_id, created_at=now, next_attempt_at=now)
    message_deliver_after_commit(message_id=replay.pk)
    return replay
