"""RSS/Atom feeds of the latest topics (whole forum or one space) and sitemap.xml of public topics."""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from community.policy import Actor
from community.views.scoping import community_page

from .. import selectors
from ..models import SpaceVisibility
from .common import NS

FEED_SIZE = 30


class LatestTopicsFeed(Feed):
    """Feeds are read anonymously by feed readers: only what a visitor may read is in them."""

    def get_object(self, request, community_slug, space_slug=None):
        community = request.community
        visitor = Actor(community=community)
        space = selectors.access_space(community=community, actor=visitor, slug=space_slug) if space_slug else None
        return {"community": community, "space": space, "actor": visitor}

    def title(self, obj):
        return f"{obj['community'].name}: {obj['space'].name}" if obj["space"] else f"{obj['community'].name}: latest"

    def link(self, obj):
        if obj["space"]:
            return reverse(
                f"{NS}:space", kwargs={"community_slug": obj["community"].slug, "space_slug": obj["space"].slug}
            )
        return reverse(f"{NS}:latest", kwargs={"community_slug": obj["community"].slug})

    def description(self, obj):
        return obj["community"].description

    def items(self, obj):
        qs = selectors.topic_queryset(community=obj["community"], actor=obj["actor"]).defer(None)
        if obj["space"]:
            qs = qs.filter(space=obj["space"])
        topics = list(qs.order_by("-created_at")[:FEED_SIZE])
        for topic in topics:
            topic.community = obj["community"]
        return topics

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.body_html

    def item_link(self, item):
        return reverse(f"{NS}:topic", kwargs={"community_slug": item.community.slug, "topic_id": item.pk})

    def item_pubdate(self, item):
        return item.created_at

    def item_author_name(self, item):
        return item.author.display_name if item.author else ""

    def item_categories(self, item):
        return [item.space.name, *item.tags]


class AtomLatestTopicsFeed(LatestTopicsFeed):
    feed_type = Atom1Feed
    subtitle = LatestTopicsFeed.description


@community_page("discussions.read")
def rss(request, community_slug):
    return LatestTopicsFeed()(request, community_slug=community_slug)


@community_page("discussions.read")
def atom(request, community_slug):
    return AtomLatestTopicsFeed()(request, community_slug=community_slug)


@community_page("discussions.read")
def space_rss(request, community_slug, space_slug):
    return LatestTopicsFeed()(request, community_slug=community_slug, space_slug=space_slug)


class PublicTopicSitemap(Sitemap):
    changefreq = "daily"
    limit = 5000

    def __init__(self, community):
        self.community = community

    def items(self):
        if not self.community.is_public:
            return []
        return list(
            selectors.topic_queryset(community=self.community, actor=Actor(community=self.community))
            .filter(space__visibility=SpaceVisibility.PUBLIC)
            .order_by("-last_posted_at")
            .select_related(None)
            .only("pk", "last_posted_at")[: self.limit]
        )

    def location(self, item):
        return reverse(f"{NS}:topic", kwargs={"community_slug": self.community.slug, "topic_id": item.pk})

    def lastmod(self, item):
        return item.last_posted_at


@community_page("discussions.read")
def sitemap(request, community_slug):
    return sitemap_view(request, sitemaps={"topics": PublicTopicSitemap(request.community)})
