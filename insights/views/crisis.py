"""The crisis watch pages (/c/<slug>/manage/insights/crisis/): unresolved alerts, the rules and where alerts go;
one alert with its evidence, its history and what staff do about it."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from community.errors import ServiceError
from community.policy import can
from community.views.manage import dashboard_render
from community.views.scoping import community_page
from insights import alert_selectors as selectors
from insights.models import AlertStatus, AlertSubscription, RuleKind
from insights.services import alerts as alert_services
from insights.services import crisis as crisis_services
from insights.services.alert_notify import alert_subscribe
from insights.services.baseline import channel_words, window_words

NS = "community:insights"


def _subscribed(request) -> bool:
    member = request.actor.member
    return (
        bool(member) and AlertSubscription.objects.for_community(request.community).filter(member_id=member.pk).exists()
    )


@community_page("insights.view")
def crisis(request, community_slug):
    community = request.community
    settings_row = crisis_services.crisis_watch_ensure(community=community)
    rules = list(selectors.alert_rule_list(community=community))
    for rule in rules:
        where = channel_words(rule.channel) if rule.channel else "on each channel and across the community"
        if rule.kind == RuleKind.KEYWORD and not rule.channel:
            where = "on all channels"
        rule.label = f"{rule.get_kind_display()} {where}, {window_words(rule.window_minutes)}"
    context = {
        "open_alerts": selectors.alerts_unresolved(community=community),
        "recent": list(
            selectors.alert_list(community=community, status=AlertStatus.RESOLVED).order_by("-raised_at")[:10]
        ),
        "rules": rules,
        "settings_row": settings_row,
        "subscribed": _subscribed(request),
        "can_configure": can(request.actor, "insights.alert_rules"),
    }
    return dashboard_render(request, "insights/crisis.html", context)


@require_POST
@community_page("insights.view")
def crisis_email(request, community_slug):
    try:
        on = alert_subscribe(community=request.community, actor=request.actor, subscribe=request.POST.get("on") == "1")
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "You will get an email for every new alert." if on else "No more alert emails.")
    return redirect(f"{NS}:crisis", community_slug=community_slug)


@require_POST
@community_page("insights.alert_rules")
def crisis_webhook(request, community_slug):
    try:
        crisis_services.crisis_webhook_set(
            community=request.community, actor=request.actor, url=request.POST.get("webhook_url", "")
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Saved where alerts are posted.")
    return redirect(f"{NS}:crisis", community_slug=community_slug)


@require_POST
@community_page("insights.alert_rules")
def crisis_rule(request, community_slug, rule_id):
    rule = selectors.access_alert_rule(community=request.community, rule_id=rule_id)
    fields = {"enabled": request.POST.get("enabled") == "1"}
    if rule.kind == RuleKind.KEYWORD and "keywords" in request.POST:
        fields["keywords"] = [p for p in request.POST.get("keywords", "").split(",") if p.strip()]
    try:
        crisis_services.alert_rule_update(community=request.community, actor=request.actor, rule=rule, **fields)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Rule saved.")
    return redirect(f"{NS}:crisis", community_slug=community_slug)


def _draft(alert) -> str:
    where = channel_words(alert.channel).replace("across the community", "in our community")
    return (
        f"Hi everyone, we have seen the reports {where} and we are looking into it right now. "
        "We will post an update here within the hour, and reply to each of you who wrote to us. "
        "Thank you for telling us, and for your patience."
    )


@community_page("insights.view")
def alert_detail(request, community_slug, alert_id):
    community = request.community
    alert = selectors.access_alert(community=community, alert_id=alert_id)
    if request.method == "POST":
        return _alert_post(request, alert)
    events = selectors.alert_events(community=community, alert=alert)
    staff = selectors.alert_staff(community=community)
    people = selectors.members_by_id(
        community=community, ids=[e.member_id for e in events] + [e.assignee_member_id for e in events]
        + [alert.assignee_member_id],
    )  # fmt: skip
    for event in events:
        event.who = people.get(event.member_id)
        event.assignee = people.get(event.assignee_member_id)
    context = {
        "alert": alert,
        "assignee": people.get(alert.assignee_member_id),
        "events": events,
        "activities": selectors.alert_activities(community=community, alert=alert),
        "staff": staff,
        "draft": _draft(alert),
        "can_act": can(request.actor, "insights.alerts"),
    }
    return dashboard_render(request, "insights/alert.html", context)


def _alert_post(request, alert):
    community, actor = request.community, request.actor
    what = request.POST.get("do", "")
    try:
        if not can(actor, "insights.alerts"):
            raise ServiceError("Your role does not allow this.", code="permission_denied")
        if what == "acknowledge":
            alert_services.alert_acknowledge(community=community, actor=actor, alert=alert)
            messages.success(request, "Acknowledged: the team knows someone is on it.")
        elif what == "assign":
            raw = request.POST.get("member_id", "")
            if raw and not raw.isdigit():
                raise ServiceError("Choose a staff member.", field="member_id")
            alert_services.alert_assign(
                community=community, actor=actor, alert=alert, member_id=int(raw) if raw else None
            )
            messages.success(request, "Assigned." if raw else "Nobody is assigned now.")
        elif what == "comment":
            alert_services.alert_comment(
                community=community, actor=actor, alert=alert, text=request.POST.get("text", "")
            )
            messages.success(request, "Comment added.")
        elif what == "draft":
            text = request.POST.get("draft", "").strip()
            alert_services.alert_comment(community=community, actor=actor, alert=alert,
                                         text=f"Draft response: {text}" if text else "")  # fmt: skip
            messages.success(request, "Draft saved in the history; copy it to the channel when it is ready.")
        elif what == "resolve":
            if request.POST.get("confirm") != "yes":
                raise ServiceError("Tick the box to confirm the alert is resolved.")
            alert_services.alert_resolve(
                community=community, actor=actor, alert=alert, note=request.POST.get("note", "")
            )
            messages.success(request, "Resolved.")
        elif what == "reopen":
            alert_services.alert_reopen(community=community, actor=actor, alert=alert)
            messages.success(request, "Reopened.")
        else:
            raise ServiceError("Unknown action.")
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(f"{NS}:alert", community_slug=community.slug, alert_id=alert.pk)
