"""Writing the community guidelines (a new version each time) and recording a member's acceptance."""

from django.db import IntegrityError, transaction

from community.errors import ServiceError
from community.models import Community, Member
from community.policy import Actor, can

from ..models import GuidelinesAcceptance
from ..selectors import guidelines_get
from .log import log_record


def guidelines_update(*, community: Community, actor: Actor, text: str) -> dict:
    if not can(actor, "moderation.guidelines"):
        raise ServiceError("Your role or key scopes do not allow this.", code="permission_denied")
    text = (text or "").strip()
    if not text or len(text) > 20000:
        raise ServiceError("Write the guidelines (up to 20,000 characters).", field="text")
    current = guidelines_get(community)
    if text == current["text"]:
        return current
    new = {"version": current["version"] + 1, "text": text}
    with transaction.atomic():
        settings = dict(community.settings or {})
        settings["moderation"] = {**settings.get("moderation", {}), "guidelines": new}
        Community.objects.filter(pk=community.pk).update(settings=settings)
        community.settings = settings
        log_record(
            community=community, actor=actor, action="guidelines.update", before={"version": current["version"]},
            after={"version": new["version"]},
        )  # fmt: skip
    return new


def guidelines_accept(*, community: Community, member: Member) -> GuidelinesAcceptance:
    version = guidelines_get(community)["version"]
    try:
        with transaction.atomic():
            return GuidelinesAcceptance.objects.create(community=community, member=member, version=version)
    except IntegrityError:
        return GuidelinesAcceptance.objects.for_community(community).get(member=member, version=version)
