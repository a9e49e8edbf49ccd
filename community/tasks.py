"""Celery tasks of the core: mail that must not be sent inside a request."""

from smtplib import SMTPException

from celery import shared_task

from community.models import Community
from community.tenancy import scoped_task


@shared_task(
    name="community.send_invitation",
    acks_late=True,
    reject_on_worker_lost=True,
    # A mail server that is down or refuses for a while: back off and try again for about an hour in all.
    autoretry_for=(OSError, SMTPException),
    retry_backoff=10,
    retry_backoff_max=600,
    max_retries=10,
)
@scoped_task
def send_invitation_task(community_id: int, invitation_id: int) -> bool:
    from community.services.invitations import invitation_email_send

    community = Community.objects.filter(pk=community_id).first()
    if community is None:  # deleted since
        return False
    return invitation_email_send(community=community, invitation_id=invitation_id)
