"""Photos sent with a case: checked by their content, not their name."""

from django.utils.translation import gettext as _

from imbizo.core.errors import DomainError

from .errors import CaseError

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 3

_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


def image_check(upload) -> tuple[str, str]:
    """(content type, extension) of an uploaded JPEG, PNG or WebP photo, or DomainError."""
    if upload.size > MAX_PHOTO_BYTES:
        raise DomainError(
            CaseError.INVALID_UPLOAD,
            _("The photo is %(size).1f MB; the limit is %(max)d MB.")
            % {"size": upload.size / 1024 / 1024, "max": MAX_PHOTO_BYTES // 1024 // 1024},
            field="photo",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type, extension in _SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    raise DomainError(
        CaseError.INVALID_UPLOAD,
        _("The file is not a photo we can take: send a JPEG, PNG or WebP image."),
        field="photo",
    )
