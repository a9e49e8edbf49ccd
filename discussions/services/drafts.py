"""Drafts (saved as one types) and image uploads through Django's storage API with size and type limits."""

import secrets

from django.core.files.uploadedfile import UploadedFile

from community.models import Community
from community.policy import Actor, can

from ..models import Draft, Upload
from .common import MAX_BODY, require

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Checked by content (magic bytes), not by the name or the browser's claim.
IMAGE_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
    b"GIF87a": ("image/gif", ".gif"),
    b"GIF89a": ("image/gif", ".gif"),
}


def draft_save(*, community: Community, actor: Actor, key: str, title: str = "", body: str = "") -> Draft | None:
    require(actor.is_member, "Only members have drafts.", code="permission_denied")
    require(len(key) <= 60 and key.count(":") == 2, "Unknown draft.", field="key")
    if not title.strip() and not body.strip():
        draft_clear(community=community, actor=actor, key=key)
        return None
    draft, _ = Draft.objects.for_community(community).update_or_create(
        community=community,
        member=actor.member,
        key=key,
        defaults={"title": title[:200], "body": body[:MAX_BODY]},
    )
    return draft


def draft_get(*, community: Community, actor: Actor, key: str) -> Draft | None:
    if not actor.is_member:
        return None
    return Draft.objects.for_community(community).filter(member=actor.member, key=key).first()


def draft_clear(*, community: Community, actor: Actor, key: str) -> None:
    if actor.is_member:
        Draft.objects.for_community(community).filter(member=actor.member, key=key).delete()


def _sniff(head: bytes) -> tuple[str, str] | None:
    for signature, kind in IMAGE_SIGNATURES.items():
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ("image/webp", ".webp")
    return None


def upload_create(*, community: Community, actor: Actor, file: UploadedFile) -> Upload:
    require(actor.is_member and can(actor, "discussions.post"), "Only members may upload.", code="permission_denied")
    require(file.size <= MAX_UPLOAD_BYTES, "The image is too large: at most 5 MB.", field="file")
    head = file.read(16)
    file.seek(0)
    kind = _sniff(head)
    require(kind is not None, "Upload a PNG, JPEG, GIF or WebP image.", field="file")
    content_type, extension = kind
    upload = Upload(
        community=community,
        member=actor.member,
        token=secrets.token_hex(16),
        extension=extension,
        content_type=content_type,
        size=file.size,
    )
    upload.file.save(f"{upload.token}{extension}", file, save=False)
    upload.save()
    return upload
