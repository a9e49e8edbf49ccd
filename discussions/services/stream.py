"""The one place where forum events become activities in the community's activity stream."""

from community.services.activities import activity_record

SOURCE = "forum"


def record(
    *,
    community,
    member,
    kind: str,
    external_id: str,
    occurred_at,
    title: str = "",
    body: str = "",
    url: str = "",
    parent_external_id: str = "",
    extra: dict | None = None,
):
    """Record one forum event (post, reply, reaction, vote, accepted_answer); idempotent on external_id.

    Posts made through an API key have no member: they are not a member's activity, so nothing is recorded.
    """
    if member is None:
        return None
    return activity_record(
        community=community,
        member=member,
        kind=kind,
        source=SOURCE,
        external_id=external_id,
        occurred_at=occurred_at,
        title=title,
        body=body[:5000],
        url=url,
        parent_external_id=parent_external_id,
        channel="forum",
        extra=extra or {},
    )
