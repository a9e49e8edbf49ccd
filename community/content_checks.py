"""The verdict a registered content check gives on a post about to be stored, and the one call posting apps make.

The forum calls `content_verdict(...)` before it stores a topic or reply (new or edited) and applies the answer:
refuse with the message, store the post hidden until reviewed, render the censored text, and after storing call
each follow-up with the stored post's kind and id (where moderation opens its queue item). The checks themselves
come from the registry (`AppContribution.content_checks`), so the forum names no app.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from community import registry
from community.errors import ServiceError


@dataclass
class ContentVerdict:
    block: str = ""  # refuse the post with this message
    block_code: str = "invalid"  # the ServiceError code ("rate_limited" is a 429 through the API)
    hold: bool = False  # store it hidden until a moderator approves it
    # Censored text to store instead, None: unchanged. The title in plain text, the body in Markdown (a censored
    # character is the escaped "\\*", so it renders as an asterisk, not as emphasis).
    title: str | None = None
    body: str | None = None
    reasons: list[str] = field(default_factory=list)
    # Called as follow_up(kind, object_id) inside the storing transaction, once the post has its id.
    follow_ups: list[Callable[[str, int], None]] = field(default_factory=list)

    def raise_if_blocked(self) -> None:
        if self.block:
            raise ServiceError(self.block, code=self.block_code, field="body")

    def stored(self, kind: str, object_id: int) -> None:
        for follow_up in self.follow_ups:
            follow_up(kind, object_id)


def content_verdict(*, community, actor, kind: str, title: str, body: str, editing: bool = False) -> ContentVerdict:
    """Every registered check's verdict on a post (`kind` "topic" or "reply"; a reply's title is ""), combined: the
    first block wins (raised as a ServiceError), any hold holds, censoring chains (each check reads the previous
    one's censored text), reasons and follow-ups add up."""
    combined = ContentVerdict()
    for check in registry.content_checks():
        verdict = check(
            community=community, actor=actor, kind=kind, title=combined.title if combined.title is not None else title,
            body=combined.body if combined.body is not None else body, editing=editing,
        )  # fmt: skip
        if verdict is None:
            continue
        if verdict.block and not combined.block:
            combined.block, combined.block_code = verdict.block, verdict.block_code
        combined.hold = combined.hold or verdict.hold
        combined.title = verdict.title if verdict.title is not None else combined.title
        combined.body = verdict.body if verdict.body is not None else combined.body
        combined.reasons += verdict.reasons
        combined.follow_ups += verdict.follow_ups
    combined.raise_if_blocked()
    return combined
