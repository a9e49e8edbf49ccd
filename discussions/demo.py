"""Demo forum content for `manage.py seed_demo`: spaces, a solved question, a poll, replies and reactions.

Written through the services, so the demo also fills the activity stream and notifications like real use.
"""

from community.models import Community, Member
from community.policy import Actor
from discussions.models import Space, TopicKind
from discussions.services.engagement import poll_vote, reaction_toggle
from discussions.services.replies import answer_accept, reply_create
from discussions.services.spaces import space_create
from discussions.services.topics import topic_create


def _actor(community: Community, member: Member) -> Actor:
    return Actor(community=community, user_id=member.user_id, member=member)


def seed_forum(community: Community, members: dict[str, Member]) -> bool:
    """Create the demo forum once; False when it is there already (seed_demo stays idempotent)."""
    if Space.objects.for_community(community).exists():
        return False
    owner, ada, grace, linus, alan, katherine = (
        members[h] for h in ("owner", "ada", "grace", "linus", "alan", "katherine")
    )
    staff = _actor(community, owner)
    help_space = space_create(
        community=community, actor=staff, name="Help & questions", description="Ask anything; mark what solved it."
    )
    ideas = space_create(community=community, actor=staff, name="Ideas", description="What should we build next?")
    news = space_create(
        community=community, actor=staff, name="Announcements", start_policy="staff", description="News from the team."
    )
    topic_create(
        community=community,
        actor=staff,
        space=news,
        kind=TopicKind.ANNOUNCEMENT,
        title="Welcome to the Hearth demo community 👋",
        body="Introduce yourself below, and **say hi** to @ada and @grace, who run this place.",
    )
    question = topic_create(
        community=community,
        actor=_actor(community, alan),
        space=help_space,
        kind=TopicKind.QUESTION,
        title="How do I export my reports as CSV?",
        body="I can see the reports page, but there's no export button. Is there an API for it?\n\n```python\n"
        "client.reports.list()\n```",
        tags=["reports", "export"],
    )
    answer = reply_create(
        community=community,
        actor=_actor(community, grace),
        topic=question,
        body="Use the **Export this list** button on the directory, or `GET /api/v1/activities/` with a key.",
    )
    reply_create(community=community, actor=_actor(community, katherine), topic=question, body="Worked for me too!")
    answer_accept(community=community, actor=_actor(community, alan), topic=question, reply=answer)
    reaction_toggle(community=community, actor=_actor(community, alan), topic=question, reply=answer, emoji="👍")
    poll = topic_create(
        community=community,
        actor=_actor(community, ada),
        space=ideas,
        kind=TopicKind.POLL,
        title="Which integration should come next?",
        body="Vote for one; we'll build the winner first.",
        poll_options=["Discourse", "Mastodon", "Telegram"],
    )
    options = list(poll.poll.options.order_by("pk"))
    for voter, option in ((linus, options[1]), (katherine, options[1]), (alan, options[0])):
        poll_vote(community=community, actor=_actor(community, voter), poll=poll.poll, option_ids=[option.pk])
    topic_create(
        community=community,
        actor=_actor(community, linus),
        space=ideas,
        title="Dark mode for the forum",
        body="Late-night readers would love it. Anyone else? 🌙",
        tags=["ui"],
    )
    return True
