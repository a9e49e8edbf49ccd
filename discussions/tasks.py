"""Forum tasks: publish scheduled topics, email notifications, daily and weekly digests (beat fan-outs)."""

from celery import shared_task
from django.utils import timezone

from community.models import Community
from community.tenancy import scoped_task, unscoped

TASK_OPTIONS = {"acks_late": True, "reject_on_worker_lost": True}


@shared_task(name="discussions.publish_scheduled", **TASK_OPTIONS)
@scoped_task
def publish_scheduled_task(community_id: int) -> list[int]:
    from .services.topics import topics_publish_due

    return topics_publish_due(community=Community.objects.get(pk=community_id))


@shared_task(name="discussions.publish_due_fanout", **TASK_OPTIONS)
def publish_due_fanout_task() -> int:
    """Beat: one publish task per community that has scheduled topics due."""
    from .models import Topic, TopicStatus

    with unscoped("beat fan-out: communities with scheduled topics due"):
        community_ids = list(
            Topic.objects.filter(status=TopicStatus.SCHEDULED, publish_at__lte=timezone.now())
            .values_list("community_id", flat=True)
            .distinct()
        )
    for community_id in community_ids:
        publish_scheduled_task.delay(community_id)
    return len(community_ids)


@shared_task(name="discussions.send_notification_emails", **TASK_OPTIONS)
@scoped_task
def send_notification_emails_task(community_id: int, notification_ids: list[int]) -> int:
    from .services.notifications import notification_emails_send

    community = Community.objects.filter(pk=community_id).first()
    if community is None:
        return 0
    return notification_emails_send(community=community, notification_ids=notification_ids)


@shared_task(name="discussions.send_digest", **TASK_OPTIONS)
@scoped_task
def send_digest_task(community_id: int, frequency: str) -> int:
    from .services.notifications import digest_send

    community = Community.objects.filter(pk=community_id).first()
    return digest_send(community=community, frequency=frequency) if community else 0


@shared_task(name="discussions.digest_fanout", **TASK_OPTIONS)
def digest_fanout_task(frequency: str) -> int:
    """Beat: one digest task per community (communities are not tenant rows: no bypass needed)."""
    community_ids = list(Community.objects.values_list("pk", flat=True))
    for community_id in community_ids:
        send_digest_task.delay(community_id, frequency)
    return len(community_ids)
