"""Photos sent on WhatsApp: fetched through the Graph API, checked like an
upload, kept as case photos.

A WhatsApp image arrives as a media id. The Graph API gives its URL, size and
type (GET /<media-id>), and the bytes come from that URL with the gateway's
token. The photo then passes the same checks as a form upload
(cases.uploads.image_check: size, JPEG/PNG/WebP by content, decoded whole)
and is stored under a name of our own as an Attachment of the case.

A photo sent before the report it belongs to exists (a citizen who starts
with the picture) waits under a folder named by the sender's pseudonym
(core.pseudonyms.citizen_key: no number in a path) and joins the case when
the dialogue opens it; it is deleted when the citizen's data is erased, or
after PENDING_DAYS if no report came of it (privacy's hooks,
whatsapp_privacy.py). Nothing here logs a number or a text.
"""

import logging
import secrets
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from imbizo.cases.models import Attachment, Case
from imbizo.cases.uploads import MAX_PHOTO_BYTES, image_check
from imbizo.core.errors import DomainError
from imbizo.core.pseudonyms import citizen_key
from imbizo.notify.whatsapp import DEFAULT_API_VERSION, GraphClient, WhatsAppError

logger = logging.getLogger("imbizo.channels")

PENDING_FOLDER = "channels/whatsapp/pending"
# The most photos a report made on WhatsApp waits with, and the most a case
# takes from WhatsApp in all (a citizen's camera roll is not a case file).
MAX_PENDING = 3
MAX_CASE_PHOTOS = 10
# A photo whose report was never finished is deleted after this many days.
PENDING_DAYS = 2


class PhotoRefused(Exception):  # noqa: N818 - reads as what happened
    """The photo is not taken; the text (translated) tells the citizen why."""


def graph_client(gateway, *, graph_url: str) -> GraphClient:
    settings = gateway.settings or {}
    return GraphClient(access_token=str(settings.get("access_token") or ""),
                       graph_url=str(settings.get("graph_url") or graph_url),
                       api_version=str(settings.get("api_version") or DEFAULT_API_VERSION))


def photo_fetch(client: GraphClient, *, media_id: str) -> ContentFile:
    """The checked photo behind `media_id`, as a file named by its type.

    PhotoRefused when it is too large, not an image, or cannot be fetched.
    Too large is known from the Graph API's file_size before any download,
    and enforced again while reading."""
    if not client.access_token:
        logger.warning("WhatsApp photo not fetched: the gateway has no access_token")
        raise PhotoRefused(_("We could not fetch your photo. Please send it again."))
    try:
        info = client.media_info(media_id)
        size = _int(info.get("file_size"))
        if size is not None and size > MAX_PHOTO_BYTES:
            raise PhotoRefused(_too_large(size))
        mime = str(info.get("mime_type") or "")
        if mime and not mime.startswith("image/"):
            raise PhotoRefused(_not_a_photo())
        content = client.media_download(info["url"], max_bytes=MAX_PHOTO_BYTES)
    except WhatsAppError as exc:
        if str(exc) == "answer too large":
            raise PhotoRefused(_too_large(MAX_PHOTO_BYTES + 1)) from exc
        logger.warning("WhatsApp photo not fetched: %s", exc)
        raise PhotoRefused(_("We could not fetch your photo. Please send it again.")) from exc
    photo = ContentFile(content, name="photo")
    try:
        _content_type, extension = image_check(photo)
    except DomainError as exc:
        raise PhotoRefused(exc.message) from exc
    photo.name = f"photo.{extension}"
    return photo


def photo_attach(*, case: Case, photo: ContentFile) -> Attachment:
    """Keep a checked photo as a photo of `case` (our own file name).
    PhotoRefused when the case already has MAX_CASE_PHOTOS."""
    if case.attachments.count() >= MAX_CASE_PHOTOS:
        raise PhotoRefused(_("Report %(ref)s already has %(n)d photos; we cannot add more.")
                           % {"ref": case.reference, "n": MAX_CASE_PHOTOS})
    content_type, extension = image_check(photo)
    attachment = Attachment(case=case, content_type=content_type, size=photo.size)
    attachment.file.save(f"{case.reference}-{secrets.token_hex(6)}.{extension}", photo,
                         save=False)
    attachment.save()
    return attachment


def _folder(address: str) -> str:
    return f"{PENDING_FOLDER}/{citizen_key(address)[:32]}"


def photo_hold(*, address: str, photo: ContentFile) -> None:
    """Keep a photo until the report it belongs to is opened (photos_join).
    PhotoRefused when MAX_PENDING photos already wait."""
    folder = _folder(address)
    if len(_pending(folder)) >= MAX_PENDING:
        raise PhotoRefused(_("We keep at most %(n)d photos for one report.")
                           % {"n": MAX_PENDING})
    default_storage.save(f"{folder}/{secrets.token_hex(8)}.{photo.name.rpartition('.')[2]}",
                         photo)


def photos_join(*, address: str, case: Case) -> int:
    """Attach the photos waiting for `address` to `case`; how many."""
    folder = _folder(address)
    joined = 0
    for name in _pending(folder):
        path = f"{folder}/{name}"
        with default_storage.open(path, "rb") as stored:
            photo = ContentFile(stored.read(), name=name)
        try:
            photo_attach(case=case, photo=photo)
            joined += 1
        except (PhotoRefused, DomainError):
            pass  # checked when held; a full case keeps the ones it has
        default_storage.delete(path)
    return joined


def photos_forget(*, keys) -> int:
    """Delete the photos waiting for the citizens with these pseudonyms
    (privacy erasure); how many."""
    deleted = 0
    for key in keys:
        folder = f"{PENDING_FOLDER}/{key[:32]}"
        for name in _pending(folder):
            default_storage.delete(f"{folder}/{name}")
            deleted += 1
    return deleted


def photos_expire(*, now) -> int:
    """Delete photos that waited longer than PENDING_DAYS for a report that
    was never finished; how many."""
    deleted = 0
    try:
        folders, _files = default_storage.listdir(PENDING_FOLDER)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    for folder in folders:
        for name in _pending(f"{PENDING_FOLDER}/{folder}"):
            path = f"{PENDING_FOLDER}/{folder}/{name}"
            if now - default_storage.get_modified_time(path) > timedelta(days=PENDING_DAYS):
                default_storage.delete(path)
                deleted += 1
    return deleted


def _pending(folder: str) -> list[str]:
    try:
        _dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(files)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _too_large(size: int) -> str:
    return (_("The photo is %(size).1f MB; the limit is %(max)d MB.")
            % {"size": size / 1024 / 1024, "max": MAX_PHOTO_BYTES // 1024 // 1024})


def _not_a_photo() -> str:
    return _("The file is not a photo we can take: send a JPEG, PNG or WebP image.")
