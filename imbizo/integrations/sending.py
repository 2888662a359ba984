"""Sending one webhook delivery (registered with notify for the "webhook" channel).

notify claims the message, calls `webhook_send`, and marks it sent or
schedules the retry (its back-off), so a webhook is sent exactly like an
email or a text message (notify.delivery). Each attempt is signed afresh
with the current time; the body is the one written with the event.
"""

import time
import urllib.error
import urllib.request

from django.conf import settings

from imbizo.core import clock
from imbizo.notify.delivery import DeliveryFailed, Receipt
from imbizo.notify.models import OutboxMessage

from . import webhooks
from .models import WebhookSubscription

DEFAULT_TIMEOUT = 10.0
USER_AGENT = "Imbizo-Webhooks/1"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect is an answer, not a delivery: the consumer fixes its URL.
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def webhook_send(message: OutboxMessage) -> Receipt:
    subscription = (WebhookSubscription.objects.select_related("key")
                    .filter(pk=(message.context or {}).get("subscription")).first())
    if subscription is None or not subscription.active or not subscription.key.active:
        raise DeliveryFailed("the subscription is gone, paused or its key revoked",
                             permanent=True)
    body = message.body.encode()
    timestamp = int(clock.now().timestamp())
    # The URL was checked to be http(s) when the subscription was made.
    request = urllib.request.Request(subscription.url, data=body, method="POST", headers={  # noqa: S310
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        webhooks.EVENT_HEADER: message.template,
        webhooks.DELIVERY_HEADER: str(message.pk),
        webhooks.SIGNATURE_HEADER: webhooks.signature_header(subscription.secret, timestamp,
                                                             body),
    })
    timeout = float(getattr(settings, "WEBHOOK_TIMEOUT", DEFAULT_TIMEOUT))
    started = time.perf_counter()
    try:
        with _opener.open(request, timeout=timeout) as response:
            response.read(1024)
            status = response.status
    except urllib.error.HTTPError as exc:
        raise DeliveryFailed(f"HTTP {exc.code}", response_status=exc.code,
                             response_ms=_since(started)) from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DeliveryFailed(f"no answer: {type(reason).__name__}: {reason}",
                             response_ms=_since(started)) from exc
    if not 200 <= status < 300:
        raise DeliveryFailed(f"HTTP {status}", response_status=status, response_ms=_since(started))
    return Receipt(response_status=status, response_ms=_since(started))


def _since(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
