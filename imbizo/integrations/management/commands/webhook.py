"""`imbizo webhook create KEY_PREFIX URL [--events a,b]`, `list`, `replay ID... | --failed`."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from imbizo.core.errors import DomainError
from imbizo.integrations.models import ApiKey, WebhookDelivery, WebhookSubscription
from imbizo.integrations.services import webhook_replay, webhook_subscribe
from imbizo.notify.models import MessageStatus


class Command(BaseCommand):
    help = "Subscribe integrations to case events, list subscriptions, replay deliveries."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser(
            "create", help="subscribe a key's integration; the signing secret is the last word")
        create.add_argument("prefix", help="the API key's prefix (imbizo apikey list)")
        create.add_argument("url")
        create.add_argument("--events", default="", help="comma list, e.g. case.opened; "
                                                         "empty for every event")
        actions.add_parser("list", help="list subscriptions")
        replay = actions.add_parser("replay", help="send deliveries again")
        replay.add_argument("ids", nargs="*", type=int, help="delivery ids")
        replay.add_argument("--failed", action="store_true",
                            help="every delivery that was given up")
        replay.add_argument("--since", help="with --failed: created at or after (ISO 8601)")

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"_{action}")(**options)

    def _create(self, *, prefix: str, url: str, events: str, **_options) -> None:
        key = ApiKey.objects.filter(prefix=prefix.strip()).first()
        if key is None:
            raise CommandError(_("No key has the prefix %(prefix)s.") % {"prefix": prefix})
        try:
            subscription, secret = webhook_subscribe(key=key, url=url, events=events)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_("Subscribed %(s)s (id %(id)d). The signing secret is shown only now:")
                          % {"s": subscription, "id": subscription.pk})
        self.stdout.write(secret)

    def _list(self, **_options) -> None:
        for s in WebhookSubscription.objects.select_related("key"):
            events = ",".join(s.events) or "*"
            state = _("active") if s.active else _("paused")
            self.stdout.write(f"{s.pk}  {s.key.prefix}  {s.url}  {events}  {state}")

    def _replay(self, *, ids: list[int], failed: bool, since: str | None, **_options) -> None:
        deliveries = WebhookDelivery.objects.filter(channel="webhook")
        if failed:
            deliveries = deliveries.filter(status=MessageStatus.FAILED)
            if since:
                moment = parse_datetime(since)
                if moment is None or moment.tzinfo is None:
                    raise CommandError(_("Give --since as a date and time with an offset, "
                                         "e.g. 2026-03-01T00:00:00+02:00."))
                deliveries = deliveries.filter(created_at__gte=moment)
        elif ids:
            deliveries = deliveries.filter(pk__in=ids)
            missing = set(ids) - set(deliveries.values_list("pk", flat=True))
            if missing:
                raise CommandError(_("No webhook delivery has the id %(id)d.")
                                   % {"id": min(missing)})
        else:
            raise CommandError(_("Name delivery ids, or use --failed."))
        count = 0
        for delivery in deliveries.order_by("id"):
            webhook_replay(delivery=delivery)
            count += 1
        self.stdout.write(_("%(n)d deliveries will be sent again.") % {"n": count})
