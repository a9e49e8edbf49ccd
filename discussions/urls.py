"""Forum page routes, included into community/urls.py (so under /c/<community_slug>/)."""

from django.urls import path

from .views import feeds, notifying, posting, reading

app_name = "discussions"

urlpatterns = [
    path("d/", reading.latest, name="latest"),
    path("d/top/", reading.top, name="top"),
    path("d/unanswered/", reading.unanswered, name="unanswered"),
    path("d/search/", reading.search, name="search"),
    path("d/bookmarks/", reading.bookmarks, name="bookmarks"),
    path("d/spaces/new/", posting.space_new, name="space_new"),
    path("d/s/<slug:space_slug>/", reading.space_topics, name="space"),
    path("d/s/<slug:space_slug>/new/", posting.topic_new, name="topic_new"),
    path("d/s/<slug:space_slug>/feed/", feeds.space_rss, name="space_feed"),
    path("d/t/<int:topic_id>/", reading.topic_detail, name="topic"),
    path("d/t/<int:topic_id>/reply/", posting.reply_create, name="reply"),
    path("d/t/<int:topic_id>/edit/", posting.topic_edit, name="topic_edit"),
    path("d/t/<int:topic_id>/accept/", posting.answer_accept, name="accept"),
    path("d/t/<int:topic_id>/vote/", posting.poll_vote, name="vote"),
    path("d/t/<int:topic_id>/react/", posting.react, name="react"),
    path("d/t/<int:topic_id>/bookmark/", posting.bookmark, name="bookmark"),
    path("d/t/<int:topic_id>/watch/", posting.watch, name="watch"),
    path("d/t/<int:topic_id>/moderate/", posting.moderate, name="moderate"),
    path("d/t/<int:topic_id>/split/", posting.split, name="split"),
    path("d/r/<int:reply_id>/edit/", posting.reply_edit, name="reply_edit"),
    path("d/r/<int:reply_id>/delete/", posting.reply_delete, name="reply_delete"),
    path("d/members/<int:member_id>/", reading.member_profile, name="member"),
    path("d/notifications/", notifying.notification_list, name="notifications"),
    path("d/preferences/", notifying.preferences, name="preferences"),
    path("d/unsubscribe/<str:token>/", notifying.unsubscribe, name="unsubscribe"),
    path("d/drafts/", posting.draft_save, name="draft_save"),
    path("d/uploads/", posting.upload, name="upload"),
    path("d/feed/rss/", feeds.rss, name="feed_rss"),
    path("d/feed/atom/", feeds.atom, name="feed_atom"),
    path("sitemap.xml", feeds.sitemap, name="sitemap"),
]
