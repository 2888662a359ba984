"""The words of an outbox message: rendered from `notify/<template>.<channel>.txt`,
when the message is built or, for a deferred one, when it is sent."""

from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils import translation

from .models import MessageChannel, OutboxMessage

_context_builders: dict[str, Callable[[OutboxMessage], dict]] = {}


def context_builder(template: str):
    """Register the function that builds a deferred message's template context
    (from the message: its `context` and `case_id`)."""

    def register(build: Callable[[OutboxMessage], dict]):
        _context_builders[template] = build
        return build

    return register


def message_text(message: OutboxMessage) -> tuple[str, str]:
    """(subject, body) of `message`, rendering a deferred one now."""
    if message.body:
        return message.subject, message.body
    build = _context_builders.get(message.template)
    if build is None:
        raise LookupError(f"No context builder registered for template {message.template!r}.")
    return message_render(message.channel, message.template, build(message))


def message_render(channel: str, template: str, context: dict) -> tuple[str, str]:
    """(subject, body) of `template` for `channel` with `context`; the subject is
    the first line of an email, empty for other channels."""
    with translation.override(translation.get_language() or "en"):
        text = render_to_string(f"notify/{template}.{channel}.txt", context).strip()
    subject, body = "", text
    if channel == MessageChannel.EMAIL:
        subject, _, body = text.partition("\n")
        body = body.strip()
    return subject.strip()[:255], body
