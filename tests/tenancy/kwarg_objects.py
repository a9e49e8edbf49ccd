"""How the cross-tenant suite fills URL kwargs with community B's objects: kwarg name -> "app_label.Model".

Every page or API route with a kwarg must have its name here (DRF `pk` is resolved from the viewset's
`scoped_queryset`); the suite fails on an unknown kwarg, so a new route cannot skip the cross-tenant test.
"""

# "app_label.Model" fills the kwarg with the pk of B's first such object; "app_label.Model.field" with that field
# (e.g. "discussions.Space.slug" for a <slug:space_slug> kwarg).
KWARG_MODELS: dict[str, str] = {
    "member_id": "community.Member",
    "organization_id": "community.Organization",
    "segment_id": "community.Segment",
    "merge_id": "community.MemberMerge",
    "suggestion_id": "community.MergeSuggestion",
    "space_slug": "discussions.Space.slug",
    "topic_id": "discussions.Topic",
    "reply_id": "discussions.Reply",
    "connection_id": "integrations.ChannelConnection",
    "event_id": "integrations.InboxEvent",
    "share_id": "insights.DashboardShare",
    "alert_id": "insights.Alert",
    "rule_id": "insights.AlertRule",
    "item_id": "moderation.QueueItem",
    "sanction_id": "moderation.Sanction",
    "board_slug": "feedback.Board.slug",
    "idea_id": "feedback.Idea",
    "activity_id": "community.Activity",
}

# kwargs that are not object ids: a fixed value to use.
KWARG_VALUES: dict[str, str] = {
    "community_slug": "<B's slug>",  # replaced by the suite
    "area": "channels",
    "token": "not-a-valid-token",
    "kind": "github",  # /manage/channels/connect/<kind>/
    "metric": "activities",  # /api/v1/metrics/<metric>/
    "block": "top_contributors",  # /c/<slug>/manage/insights/csv/<block>/
}
