"""Photos sent with a case: checked by their content, not their name.

The first bytes must be those of a JPEG, PNG or WebP file, and the image
decoder (Pillow) must read the whole file as that format: a file that only
starts like an image (an HTML or script "polyglot") is refused. The photo is
then stored under a name of our own and served only to staff who may see its
case, with headers that let a browser show it as an image and nothing else.
"""

import warnings

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from imbizo.core.errors import DomainError

from .errors import CaseError

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 3
MAX_PHOTO_PIXELS = 50_000_000  # a 8,000 x 6,000 camera photo; beyond that, a decompression bomb

_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png", "PNG"),
)


def _not_a_photo() -> DomainError:
    return DomainError(
        CaseError.INVALID_UPLOAD,
        _("The file is not a photo we can take: send a JPEG, PNG or WebP image."),
        field="photo",
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
    kind = _kind_of(head)
    if kind is None:
        raise _not_a_photo()
    content_type, extension, pil_format = kind
    _decode_check(upload, pil_format)
    return content_type, extension


def _kind_of(head: bytes) -> tuple[str, str, str] | None:
    """(content type, extension, decoder format) that the first bytes announce."""
    for signature, content_type, extension, pil_format in _SIGNATURES:
        if head.startswith(signature):
            return content_type, extension, pil_format
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp", "WEBP"
    return None


def _decode_check(upload, pil_format: str) -> None:
    """The decoder reads `upload` as `pil_format` of a sane size, or DomainError."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=[pil_format]) as image:
                if image.width * image.height > MAX_PHOTO_PIXELS:
                    raise _not_a_photo()
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _not_a_photo() from exc
    finally:
        upload.seek(0)
