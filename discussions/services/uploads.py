"""Image uploads: decoded and re-encoded before they are stored, within a per-member daily quota.

Re-encoding is the check that matters. Sniffing the first bytes let polyglots through (a valid PNG header in front
of HTML or a script); decoding the whole image with Pillow and writing new pixels keeps only the picture, drops
EXIF and other metadata (camera serial numbers, GPS positions), and refuses decompression bombs by pixel count.
"""

import io
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count, Sum
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError

from community.models import Community
from community.policy import Actor, can

from ..models import Upload
from .common import require

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 5 MB file may decode to gigabytes; Pillow raises beyond twice this, we refuse beyond it
# Pillow's format name -> (content type, extension, options for save)
FORMATS = {
    "PNG": ("image/png", ".png", {"optimize": True}),
    "JPEG": ("image/jpeg", ".jpg", {"quality": 88}),
    "GIF": ("image/gif", ".gif", {"save_all": True}),
    "WEBP": ("image/webp", ".webp", {"quality": 88}),
}


def _quota() -> tuple[int, int]:
    """Per member and rolling 24 hours: (uploads, bytes)."""
    return settings.HEARTH_UPLOAD_DAILY_COUNT, settings.HEARTH_UPLOAD_DAILY_BYTES


def _reencode(file: UploadedFile) -> tuple[bytes, str]:
    """The image decoded and written anew, and its Pillow format; ServiceError when it is not a usable image."""
    not_an_image = "Upload a PNG, JPEG, GIF or WebP image."
    try:
        with Image.open(file) as probe:
            fmt = probe.format
            require(fmt in FORMATS, not_an_image, field="file")
            width, height = probe.size
            require(width * height <= MAX_PIXELS, "The image has too many pixels: at most 40 megapixels.", field="file")
            probe.verify()  # structure and checksums, before any pixel is decoded
        file.seek(0)
        with Image.open(file) as image:
            image.load()
            if fmt == "JPEG":  # apply the camera's rotation before its EXIF (which carried it) is dropped
                image = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            options = dict(FORMATS[fmt][2])
            if fmt == "GIF" and getattr(image, "n_frames", 1) == 1:
                options.pop("save_all")
            image.save(out, format=fmt, **options)  # no exif=, no pnginfo=: metadata is not carried over
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        require(False, not_an_image, field="file")
    return out.getvalue(), fmt


def upload_create(*, community: Community, actor: Actor, file: UploadedFile) -> Upload:
    require(actor.is_member and can(actor, "discussions.post"), "Only members may upload.", code="permission_denied")
    require(file.size <= MAX_UPLOAD_BYTES, "The image is too large: at most 5 MB.", field="file")
    max_count, max_bytes = _quota()
    recent = (
        Upload.objects.for_community(community)
        .filter(member=actor.member, created_at__gte=timezone.now() - timedelta(days=1))
        .aggregate(n=Count("pk"), total=Sum("size"))
    )
    require(
        recent["n"] < max_count and (recent["total"] or 0) + file.size <= max_bytes,
        f"You reached today's upload limit ({max_count} images or {max_bytes // (1024 * 1024)} MB); "
        "try again tomorrow.",
        code="rate_limited",
        field="file",
    )
    data, fmt = _reencode(file)
    content_type, extension, _ = FORMATS[fmt]
    upload = Upload(
        community=community,
        member=actor.member,
        token=secrets.token_hex(16),
        extension=extension,
        content_type=content_type,
        size=len(data),
    )
    upload.file.save(f"{upload.token}{extension}", ContentFile(data), save=False)
    upload.save()
    return upload


def upload_find(*, community_id: int, token: str, extension: str) -> Upload | None:
    """The stored upload a /media/ URL names (its 128-bit token is the capability), inside the caller's scope."""
    return Upload.objects.filter(community_id=community_id, token=token, extension=extension).first()
