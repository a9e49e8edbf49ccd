"""Dashboard pages of connected channels (/c/<slug>/manage/channels/…): list, connect, detail, actions."""

from datetime import UTC, datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from community.errors import ServiceError
from community.policy import can
from community.views.manage import dashboard_render
from community.views.scoping import community_page
from integrations.connectors import KINDS, get_connector, kind_choices
from integrations.forms import ConnectionForm, ResyncForm
from integrations.selectors import (
    access_connection,
    access_inbox_event,
    connection_list,
    failed_inbox,
    sync_run_list,
)
from integrations.services import connections as services
from integrations.services.inbox import inbox_replay


def _signs_with_our_secret(connection) -> bool:
    """Slack and Discord sign with the platform's own secret or key; the other webhook channels with ours."""
    return get_connector(connection.kind).receives_webhooks and connection.kind not in ("slack", "discord")


def _secret_once(request, connection, secret: str):
    """The webhook secret, in the one response that follows its creation or rotation (like an API key)."""
    webhook_url = request.build_absolute_uri(reverse("channel_webhook", args=[connection.uuid]))
    context = {"connection": connection, "secret": secret, "webhook_url": webhook_url}
    response = dashboard_render(request, "integrations/secret_once.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _detail(slug: str, connection_id: int):
    return redirect("community:integrations:channel_detail", community_slug=slug, connection_id=connection_id)


@community_page("channels.view")
def channel_list(request, community_slug):
    connections = list(connection_list(community=request.community))
    context = {
        "connections": connections,
        "kinds": kind_choices(),
        "can_manage": can(request.actor, "channels.manage"),
    }
    return dashboard_render(request, "integrations/list.html", context)


@community_page("channels.manage")
def channel_connect(request, community_slug, kind):
    if kind not in KINDS:
        raise Http404("No such channel kind.")
    form = ConnectionForm(request.POST or None, kind=kind, initial={"display_name": get_connector(kind).label})
    if request.method == "POST" and form.is_valid():
        try:
            connection = services.connection_create(
                community=request.community, actor=request.actor, kind=kind, **form.service_kwargs()
            )
        except ServiceError as error:
            field = f"config_{error.field}" if f"config_{error.field}" in form.fields else error.field
            form.add_error(field if field in form.fields else None, error.message)
        else:
            messages.success(request, f"{connection.display_name} is connected.")
            if _signs_with_our_secret(connection):
                return _secret_once(request, connection, connection.webhook_secret)
            return _detail(community_slug, connection.pk)
    return dashboard_render(request, "integrations/connect.html", {"form": form, "connector": get_connector(kind)})


@community_page("channels.view")
def channel_detail(request, community_slug, connection_id):
    connection = access_connection(community=request.community, connection_id=connection_id)
    connector = get_connector(connection.kind)
    initial = {"display_name": connection.display_name, "poll_interval": connection.poll_interval}
    initial.update({f"config_{key}": value for key, value in connection.config.items()})
    form = ConnectionForm(request.POST or None, kind=connection.kind, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.connection_update(
                community=request.community, actor=request.actor, connection=connection, **form.service_kwargs()
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Saved.")
            return _detail(community_slug, connection.pk)
    webhook_url = request.build_absolute_uri(reverse("channel_webhook", args=[connection.uuid]))
    context = {
        "connection": connection,
        "connector": connector,
        "form": form,
        "resync_form": ResyncForm(),
        "runs": list(sync_run_list(community=request.community, connection=connection)[:20]),
        "failed": list(failed_inbox(community=request.community, connection=connection)[:50]),
        "webhook_url": webhook_url if connector.receives_webhooks else "",
        "masked": connection.masked_credentials,
    }
    return dashboard_render(request, "integrations/detail.html", context)


@require_POST
@community_page("channels.manage")
def channel_action(request, community_slug, connection_id):
    connection = access_connection(community=request.community, connection_id=connection_id)
    kwargs = {"community": request.community, "actor": request.actor, "connection": connection}
    verb = request.POST.get("action", "")
    try:
        if verb == "check":
            services.connection_check_request(**kwargs)
            messages.info(request, "Checking the connection in the background; the result appears under Status.")
        elif verb == "pause":
            services.connection_pause(**kwargs)
            messages.info(request, "Paused: nothing is fetched; deliveries are kept until you resume.")
        elif verb == "resume":
            services.connection_resume(**kwargs)
            messages.success(request, "Resumed.")
        elif verb == "resync":
            form = ResyncForm(request.POST)
            if not form.is_valid():
                raise ServiceError("Choose a date to resync from.")
            since = datetime.combine(form.cleaned_data["since"], datetime.min.time(), tzinfo=UTC)
            services.connection_resync_from(**kwargs, since=since)
            messages.success(request, f"Resync from {form.cleaned_data['since']:%Y-%m-%d} started.")
        elif verb == "rotate":
            secret = services.connection_rotate_webhook_secret(**kwargs)
            messages.success(request, "New webhook secret: update it on the platform.")
            return _secret_once(request, connection, secret)
        elif verb == "disconnect":
            services.connection_disconnect(**kwargs)
            messages.info(request, f"{connection.display_name} is disconnected.")
            return redirect("community:integrations:channel_list", community_slug=community_slug)
        else:
            raise ServiceError("Unknown action.")
    except ServiceError as error:
        messages.error(request, error.message)
    return _detail(community_slug, connection.pk)


@require_POST
@community_page("channels.manage")
def inbox_event_replay(request, community_slug, connection_id, event_id):
    connection = access_connection(community=request.community, connection_id=connection_id)
    event = access_inbox_event(community=request.community, connection=connection, event_id=event_id)
    count = inbox_replay(community=request.community, actor=request.actor, events=[event])
    messages.success(request, f"{count} event queued again." if count else "Nothing to replay.")
    return _detail(community_slug, connection.pk)


@require_POST
@community_page("channels.manage")
def inbox_replay_failed(request, community_slug, connection_id):
    connection = access_connection(community=request.community, connection_id=connection_id)
    events = list(failed_inbox(community=request.community, connection=connection)[:1000])
    count = inbox_replay(community=request.community, actor=request.actor, events=events)
    messages.success(request, f"{count} failed events queued again.")
    return _detail(community_slug, connection.pk)
