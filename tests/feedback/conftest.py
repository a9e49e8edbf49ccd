"""Feedback fixtures: the forum world (tests/discussions) plus a moderator, boards of each visibility and ideas."""

from dataclasses import dataclass

import pytest

from community.models import Member, Role
from community.tenancy import community_scope
from feedback.models import Board, Idea
from feedback.services.boards import board_create
from feedback.services.ideas import idea_post
from moderation.services.posting_rules import posting_limits_set
from tests.discussions.conftest import Forum, actor_for, established, forum, in_a  # noqa: F401  (fixtures)
from tests.factories import add_member, make_user


@dataclass
class Fb:
    forum: Forum
    mia: Member  # moderator of A
    dan: Member  # another member of A
    board: Board  # public
    members_board: Board
    staff_board: Board

    def __getattr__(self, name):
        return getattr(self.forum, name)

    def post(self, author, title="Dark mode for the dashboard", body="Please add a dark theme", board=None) -> Idea:
        with community_scope(self.a.pk):
            return idea_post(
                community=self.a, actor=actor_for(self.a, author), board=board or self.board, title=title, body=body
            )


@pytest.fixture
def fb(forum):  # noqa: F811
    mia = add_member(forum.a, make_user("mia@example.com"), role=Role.MODERATOR, display_name="mia")
    dan = add_member(forum.a, make_user("dan@example.com"), display_name="dan")
    alice = actor_for(forum.a, forum.alice)
    established(forum.a, dan)
    with community_scope(forum.a.pk):
        # These tests post many ideas a minute from one member; the posting limits are tests/moderation's subject.
        busy = {
            "topics_per_minute": 1000,
            "topics_per_day": 10000,
            "replies_per_minute": 1000,
            "replies_per_day": 10000,
        }
        posting_limits_set(community=forum.a, actor=alice, rate_limits={level: busy for level in range(5)})
        board = board_create(community=forum.a, actor=alice, name="Feature requests")
        members_board = board_create(community=forum.a, actor=alice, name="Bugs", visibility="members")
        staff_board = board_create(community=forum.a, actor=alice, name="Internal", visibility="staff")
    return Fb(forum, mia, dan, board, members_board, staff_board)


@pytest.fixture
def fbs(fb):
    with community_scope(fb.a.pk):
        yield fb
