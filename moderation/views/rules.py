"""The moderation rules page: watched words (add, remove, a tester) and posting limits; a member's trust level."""

from django.contrib import messages
from django.shortcuts import redirect

from community.errors import ServiceError
from community.policy import can
from community.selectors import access_member
from community.views.manage import dashboard_render
from community.views.scoping import community_page

from .. import selectors
from ..models import WordAction, WordKind
from ..services import posting_rules, trust, watched_words

NS = "community:moderation"
LIMIT_LABELS = ("Topics a minute", "Topics a day", "Replies a minute", "Replies a day")


def _rules_post(request) -> dict | None:
    """Apply the posted form; the tester's result (rendered on the same page) or None to redirect."""
    community, actor, post = request.community, request.actor, request.POST
    what = post.get("do", "")
    if what == "test":
        return watched_words.watched_words_test(community=community, text=post.get("text", ""))
    if what == "add":
        watched_words.watched_word_create(
            community=community, actor=actor, pattern=post.get("pattern", ""), kind=post.get("kind", "word"),
            action=post.get("action", ""), message=post.get("message", ""),
        )  # fmt: skip
        messages.success(request, "Watched word added: it applies to the next post.")
    elif what == "remove":
        if post.get("confirm") != "yes":
            raise ServiceError("Tick the box to confirm the removal.")
        word = selectors.access_watched_word(community=community, word_id=post.get("word_id") or 0)
        watched_words.watched_word_delete(community=community, actor=actor, word=word)
        messages.success(request, f"No longer watching {word.pattern!r}.")
    elif what == "limits":
        rate_limits = {
            str(level): {name: post.get(f"{name}_{level}") for name in posting_rules.LIMIT_NAMES
                         if post.get(f"{name}_{level}") not in (None, "")}
            for level in posting_rules.DEFAULT_RATE_LIMITS
        }  # fmt: skip
        posting_rules.posting_limits_set(
            community=community, actor=actor, hold_first_posts=post.get("hold_first_posts") or None,
            rate_limits=rate_limits,
        )  # fmt: skip
        messages.success(request, "Posting limits saved.")
    else:
        raise ServiceError("Unknown action.")
    return None


@community_page("moderation.view")
def rules(request, community_slug):
    tested, status = None, 200
    if request.method == "POST":
        try:
            tested = _rules_post(request)
        except ServiceError as error:
            messages.error(request, error.message)
            status = 400
        if tested is None and status == 200:
            return redirect(f"{NS}:rules", community_slug=community_slug)
    limits = posting_rules.posting_limits(request.community)
    context = {
        "words": list(selectors.watched_word_list(community=request.community)),
        "kinds": WordKind.choices,
        "actions": WordAction.choices,
        "tested": tested,
        "tested_text": request.POST.get("text", "") if tested is not None else "",
        "hold_first_posts": limits["hold_first_posts"],
        "limit_labels": LIMIT_LABELS,
        "limit_rows": [
            (level, [(n, LIMIT_LABELS[i], values[n]) for i, n in enumerate(posting_rules.LIMIT_NAMES)])
            for level, values in limits["rate_limits"].items()
        ],
        "can_change": can(request.actor, "moderation.rules"),
    }
    return dashboard_render(request, "moderation/rules.html", context, status=status)


@community_page("moderation.sanction")
def member_trust(request, community_slug, member_id):
    """Lock a member's trust level (or unlock it); shown on the member's moderation page."""
    member = access_member(community=request.community, member_id=member_id)
    if request.method == "POST":
        try:
            locked = request.POST.get("do") == "lock"
            trust.trust_lock(
                community=request.community, actor=request.actor, member=member, level=request.POST.get("level"),
                locked=locked,
            )  # fmt: skip
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Trust level locked." if locked else "Trust level unlocked.")
    return redirect(f"{NS}:member_sanctions", community_slug=community_slug, member_id=member.pk)
