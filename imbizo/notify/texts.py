"""The words of an outbox message: rendered from `notify/<template>.<channel>.txt`,
when the message is built or, for a deferred one, when it is sent."""

from collections.abc import Callable

from django.template.loader import select_template
from django.utils import translation

from imbizo.core.languages import language_or_default

from .models import MessageChannel, OutboxMessage
from .segments import sms_normalise

_context_builders: dict[str, Callable[[OutboxMessage], dict]] = {}
_header_builders: dict[str, Callable[[OutboxMessage], dict]] = {}


def context_builder(template: str):
    """Register the function that builds a deferred message's template context
    (from the message: its `context` and `case_id`)."""

    def register(build: Callable[[OutboxMessage], dict]):
        _context_builders[template] = build
        return build

    return register


def header_builder(template: str):
    """Register the function that gives the extra email headers of messages of
    `template` (e.g. List-Unsubscribe), from the message, at sending time."""

    def register(build: Callable[[OutboxMessage], dict]):
        _header_builders[template] = build
        return build

    return register


def message_headers(message: OutboxMessage) -> dict:
    """Extra email headers of `message` (none unless its template registered a builder)."""
    build = _header_builders.get(message.template)
    return build(message) if build is not None else {}


def message_text(message: OutboxMessage) -> tuple[str, str]:
    """(subject, body) of `message`, rendering a deferred one now.

    The message is written in the language its builder puts in the context,
    else the one the sender gave (`message_build(language=...)`, kept as the
    deferred context's "language"): the recipient's, where its words are
    translated.
    """
    if message.body:
        return message.subject, message.body
    build = _context_builders.get(message.template)
    if build is None:
        raise LookupError(f"No context builder registered for template {message.template!r}.")
    context = build(message)
    return message_render(message.channel, message.template, context,
                          language=context.get("language") or message.context.get("language"))


def message_render(channel: str, template: str, context: dict,
                   language: str | None = None) -> tuple[str, str]:
    """(subject, body) of `template` for `channel` with `context`; the subject is
    the first line of an email, empty for other channels.

    In `language` (default: the active one), from
    `notify/<template>.<language>.<channel>.txt` when that template exists,
    else the usual one with its words translated.
    """
    # A stored or given code that is unknown or no longer enabled falls back
    # to the institution's default rather than failing the send.
    language = language_or_default(language or translation.get_language())
    with translation.override(language):
        text = select_template([f"notify/{template}.{language}.{channel}.txt",
                                f"notify/{template}.{channel}.txt"],
                               using="text").render(context).strip()
    subject, body = "", text
    if channel == MessageChannel.EMAIL:
        subject, _, body = text.partition("\n")
        body = body.strip()
    if channel == MessageChannel.SMS:
        body = sms_normalise(body)  # counted and sent as it will go (notify.segments)
    return subject.strip()[:255], body
