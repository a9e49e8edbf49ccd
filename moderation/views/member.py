"""The member side: flagging a post, reading and accepting the guidelines, one's own notices (sanctions, appeals)."""

import functools

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render

from community.errors import ServiceError
from community.models import MemberStatus
from community.policy import Actor
from community.selectors import community_find_by_slug, member_for_user
from community.tenancy import community_scope
from community.views.scoping import community_page
from discussions.selectors import access_reply, access_topic

from .. import selectors
from ..models import FlagReason, SubjectKind
from ..services import flags as flag_services
from ..services import guidelines as guideline_services
from ..services import sanctions as sanction_services

NS = "community:moderation"


def _flag(request, subject_kind: str, subject_id: int, post, back: str):
    if request.method == "POST":
        try:
            flag_services.flag_create(
                community=request.community, actor=request.actor, subject_kind=subject_kind, subject_id=subject_id,
                reason=request.POST.get("reason", ""), note=request.POST.get("note", ""),
            )  # fmt: skip
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Thank you: a moderator will look at it.")
            return redirect(back)
    context = {"community": request.community, "post": post, "kind": subject_kind, "reasons": FlagReason.choices,
               "back": back}  # fmt: skip
    return render(request, "moderation/flag.html", context)


@community_page("moderation.flag")
def flag_topic(request, community_slug, topic_id):
    topic = access_topic(community=request.community, actor=request.actor, topic_id=topic_id)
    return _flag(request, SubjectKind.TOPIC, topic.pk, topic, topic.get_absolute_url())


@community_page("moderation.flag")
def flag_reply(request, community_slug, reply_id):
    reply = access_reply(community=request.community, actor=request.actor, reply_id=reply_id)
    if reply.is_deleted:
        raise Http404("No such reply.")
    return _flag(request, SubjectKind.REPLY, reply.pk, reply, f"{reply.topic.get_absolute_url()}#r{reply.position}")


@community_page("moderation.read_guidelines")
def guidelines(request, community_slug):
    member = request.actor.member if request.actor.is_member else None
    if request.method == "POST" and member is not None:
        guideline_services.guidelines_accept(community=request.community, member=member)
        messages.success(request, "Thank you for accepting the guidelines.")
        return redirect(f"{NS}:guidelines", community_slug=community_slug)
    context = {
        "community": request.community,
        "guidelines": selectors.guidelines_get(request.community),
        "accepted": selectors.guidelines_accepted(community=request.community, member=member),
        "can_accept": member is not None,
    }
    return render(request, "moderation/guidelines.html", context)


def sanctioned_member_page(view):
    """Like community_page, for pages a sanctioned member must still reach (a suspended or banned member is no
    longer an active member, so the policy sees a visitor): signed in, and a member of this community in any status
    but erased or merged. Everyone else gets the 404 an unknown community gets."""

    @functools.wraps(view)
    def wrapper(request, community_slug, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        community = community_find_by_slug(community_slug)
        if community is None:
            raise Http404("No such community.")
        with community_scope(community.pk):
            member = member_for_user(community=community, user=request.user)
            if member is None or member.status in (MemberStatus.ERASED, MemberStatus.MERGED, MemberStatus.PENDING):
                raise Http404("No such community.")
            request.community = community
            request.actor = Actor(community=community, user_id=request.user.pk, member=member)
            return view(request, community_slug, *args, **kwargs)

    return wrapper


@sanctioned_member_page
def notices(request, community_slug):
    member = request.actor.member
    context = {
        "community": request.community,
        "member": member,
        "sanctions": selectors.member_sanctions(community=request.community, member=member),
    }
    return render(request, "moderation/notices.html", context)


@sanctioned_member_page
def appeal(request, community_slug, sanction_id):
    if request.method != "POST":
        return redirect(f"{NS}:notices", community_slug=community_slug)
    sanction = selectors.access_sanction(community=request.community, sanction_id=sanction_id)
    if sanction.member_id != request.actor.member.pk:
        raise Http404("No such sanction.")
    try:
        sanction_services.appeal_create(
            community=request.community,
            member=request.actor.member,
            sanction=sanction,
            body=request.POST.get("body", ""),
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Your appeal was sent; the outcome will be shown here.")
    return redirect(f"{NS}:notices", community_slug=community_slug)
