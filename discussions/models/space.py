"""Spaces (categories): ordered, coloured, with a visibility and who may start topics or reply."""

from django.db import models

from community.tenancy.models import CommunityOwned


class SpaceVisibility(models.TextChoices):
    PUBLIC = "public", "Public: everyone who can read the community"
    MEMBERS = "members", "Members only"
    GROUP = "group", "Private group of members"


class PostPolicy(models.TextChoices):
    MEMBERS = "members", "Members"
    STAFF = "staff", "Staff only"


class SpaceKind(models.TextChoices):
    FORUM = "forum", "Forum"
    # Topics of an ideas space are ideas: the feedback app owns their votes and statuses (Discourse's ideas
    # category type); the forum still gives them its editor, replies, search and notifications.
    IDEAS = "ideas", "Ideas"


class Space(CommunityOwned):
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80)
    description = models.TextField(blank=True)
    colour = models.CharField(max_length=7, default="#c2410c")
    icon = models.CharField(max_length=8, blank=True)
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(
        max_length=10, choices=SpaceKind.choices, default=SpaceKind.FORUM, db_default=SpaceKind.FORUM
    )
    visibility = models.CharField(max_length=10, choices=SpaceVisibility.choices, default=SpaceVisibility.PUBLIC)
    start_policy = models.CharField(max_length=10, choices=PostPolicy.choices, default=PostPolicy.MEMBERS)
    reply_policy = models.CharField(max_length=10, choices=PostPolicy.choices, default=PostPolicy.MEMBERS)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "slug"], name="space_unique_slug")]
        indexes = [models.Index(fields=["community", "position"], name="space_position")]
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class SpaceGroupMember(CommunityOwned):
    """Membership of a private-group space."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="group_members")
    member = models.ForeignKey("community.Member", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "space", "member"], name="spacegroupmember_unique"),
        ]
