"""The insights dashboard (/c/<slug>/manage/insights/): KPIs, charts, cohorts, people, threads, health; its CSVs."""

import csv
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from community.errors import ServiceError
from community.policy import can
from community.selectors.members import segment_list
from community.views.manage import dashboard_render
from community.views.scoping import community_page
from insights.forms import DashboardFilterForm, TimezoneForm
from insights.metrics import DEFINITIONS, LABELS, segment_members, value_display
from insights.selectors import FIGURES, HEALTH_PARTS, dashboard_read
from insights.services.reports import weekly_summary_subscribe, weekly_summary_subscribed
from insights.services.rollups import community_timezone
from insights.services.settings import insights_timezone_set
from moderation.selectors import moderation_figures

# Lower is better for these: the page colours their fall as good news.
LOWER_IS_BETTER = {"response_time", "negative_share"}


def _today(community) -> date:
    return timezone.now().astimezone(ZoneInfo(community_timezone(community))).date()


def _read(request, params=None):
    params = request.GET if params is None else params
    segments = list(segment_list(community=request.community))
    form = DashboardFilterForm(params or {"days": "30"}, today=_today(request.community), segments=segments)
    period = form.period()
    members = segment_members(community=request.community, segment=form.segment_id())
    if members is not None:
        period = replace(period, members=members)
    return form, period, dashboard_read(community=request.community, period=period)


def _series_values(data, name: str) -> list:
    return [point["value"] for point in data["series"][name]["series"]]


def _charts(data) -> dict:
    """What insights.js draws: labels and datasets per canvas (response times in hours, shares in %)."""
    labels = [point["date"] for point in data["series"]["activities"]["series"]]

    def scaled(name, factor):
        return [None if v is None else round(v * factor, 2) for v in _series_values(data, name)]

    return {
        "activity": {"type": "line", "labels": labels, "datasets": [
            {"label": "Activities", "data": _series_values(data, "activities")},
            {"label": "Active members", "data": _series_values(data, "active_members")},
        ]},
        "new_members": {"type": "bar", "labels": labels, "datasets": [
            {"label": "New members", "data": _series_values(data, "new_members")},
        ]},
        "responsiveness": {"type": "line", "labels": labels, "datasets": [
            {"label": "Median first response (hours)", "data": scaled("response_time", 1 / 3600)},
            {"label": "Response rate (%)", "data": scaled("response_rate", 100)},
        ]},
        "sentiment": {"type": "line", "labels": labels, "datasets": [
            {"label": "Sentiment mean (-100 … 100)", "data": scaled("sentiment_mean", 100)},
            {"label": "Negative share (%)", "data": scaled("negative_share", 100)},
        ]},
        "channels": {"type": "bar", "horizontal": True, "labels": [c["channel"] for c in data["channels"]], "datasets": [
            {"label": "Activities", "data": [c["activities"] for c in data["channels"]]},
            {"label": "Active members", "data": [c["active_members"] for c in data["channels"]]},
        ]},
    }  # fmt: skip


def _kpi_cards(data) -> list[dict]:
    cards = []
    for kpi in data["kpis"]:
        change = kpi["change"]["value"]
        good = None if not change else (change < 0) == (kpi["name"] in LOWER_IS_BETTER)
        cards.append(
            {**kpi, "label": LABELS[kpi["name"]], "good": good, "display": value_display(kpi["name"], kpi["value"])}
        )
    return cards


def _moderation(request, period) -> dict | None:
    """Moderation's figures for the same local days; for those who may see the queue, never on a share link."""
    if not can(request.actor, "moderation.view"):
        return None
    zone = ZoneInfo(community_timezone(request.community))
    since = datetime.combine(period.start, time.min, tzinfo=zone)
    until = datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=zone)
    figures = moderation_figures(community=request.community, since=since, until=until, now=timezone.now())
    figures["display"] = {
        "oldest": value_display("response_time", figures["oldest_open_seconds"]),
        "median": value_display("response_time", figures["median_first_action_seconds"]),
        "held_approved": value_display("response_rate", figures["auto_held_approved_share"]),
    }
    figures["flags_chart"] = {"type": "bar", "horizontal": True,
                              "labels": [f["reason"] for f in figures["flags_by_reason"]],
                              "datasets": [{"label": "Flags", "data": [f["count"] for f in figures["flags_by_reason"]]}]}  # fmt: skip
    return figures


def dashboard_context(request, params=None) -> dict:
    """The dashboard's context from its filters (the request's, or a share link's frozen ones)."""
    form, period, data = _read(request, params)
    channels = [c["channel"] for c in data["channels"]]
    if period.channel and period.channel not in channels:
        channels.append(period.channel)
    context = {
        "form": form, "period": period, "data": data, "kpis": _kpi_cards(data), "charts": _charts(data),
        "channels": channels, "figures": FIGURES, "definitions": DEFINITIONS, "health_parts": HEALTH_PARTS,
        "query": request.GET.urlencode(),
        "can_set_timezone": params is None and can(request.actor, "community.update"),
        "can_share": params is None and can(request.actor, "insights.share"),
        "weekly_email": params is None and request.actor.member is not None,
        "subscribed": params is None and weekly_summary_subscribed(
            community=request.community, member_id=request.actor.member.pk if request.actor.member else None
        ),
        "heat": [
            {"cohort": c, "cells": [None if s is None else {"share": s, "level": min(10, round(s * 10))}
                                    for s in c.shares]}
            for c in data["cohorts"]
        ],
        "offsets": range(len(data["cohorts"][0].shares)) if data["cohorts"] else range(0),
        "moderation": None if params is not None else _moderation(request, period),
    }  # fmt: skip
    if context["moderation"] and context["moderation"]["flags_by_reason"]:
        context["charts"]["moderation_flags"] = context["moderation"]["flags_chart"]
    return context


@community_page("insights.view")
def dashboard(request, community_slug):
    from insights.alert_selectors import alerts_unresolved

    # The crisis watch's unresolved alerts head the dashboard (the core's home page has no hook for apps yet).
    context = {**dashboard_context(request), "open_alerts": alerts_unresolved(community=request.community, limit=3)}
    return dashboard_render(request, "insights/dashboard.html", context)


def _csv_rows(block: str, data) -> tuple[list[str], list[list]]:
    dates = [point["date"] for point in data["series"]["activities"]["series"]]

    def columns(*names):
        return ["date", *names], [
            list(row) for row in zip(dates, *(_series_values(data, n) for n in names), strict=True)
        ]

    if block == "activity":
        return columns("activities", "active_members")
    if block == "new_members":
        return columns("new_members")
    if block == "responsiveness":
        return columns("response_time", "response_rate")
    if block == "sentiment":
        return columns("sentiment_mean", "negative_share")
    if block == "report":  # every metric of the period, one row per interval: "a CSV of any period"
        return columns(*data["series"])
    if block == "kpis":
        return ["metric", "value", "previous_period"], [[k["name"], k["value"], k["previous"]] for k in data["kpis"]]
    if block == "channels":
        return ["channel", "activities", "active_members"], [
            [c["channel"], c["activities"], c["active_members"]] for c in data["channels"]
        ]
    if block == "retention":
        weeks = len(data["cohorts"][0].shares) if data["cohorts"] else 0
        return ["cohort_week", "size", *(f"week_{n}" for n in range(weeks))], [
            [c.week.isoformat(), c.size, *c.shares] for c in data["cohorts"]
        ]
    if block == "health":
        return ["part", "points", "rule"], [[p["name"], p["points"], p["rule"]] for p in data["health"]["parts"]] + [
            ["score", data["health"]["score"], "sum of the parts, rounded"]
        ]
    if block in ("top_contributors", "rising_members"):
        return ["member_id", "name", "activities", "previous_period"], [
            [p["member_id"], p["name"], p["activities"], p["previous"]] for p in data[block]
        ]
    if block == "churn_risk":
        return ["member_id", "name", "weeks_active", "last_day"], [
            [p["member_id"], p["name"], p["weeks_active"], p["last_day"].isoformat()] for p in data["churn"]["members"]
        ]
    if block == "top_topics":
        return ["source", "thread", "title", "activities", "people"], [
            [t["source"], t["thread"], t["title"], t["activities"], t["people"]] for t in data["top_topics"]
        ]
    if block == "negative_topics":
        return ["source", "thread", "title", "sentiment_mean", "scored", "activities"], [
            [t["source"], t["thread"], t["title"], t["sentiment_mean"], t["scored"], t["activities"]]
            for t in data["negative_topics"]
        ]
    if block == "top_tags":
        return ["tag", "activities"], [[t["tag"], t["activities"]] for t in data["top_tags"]]
    raise Http404("No such table.")


def _cell(value):
    # A spreadsheet runs cells that start with = + - @ as formulas; member names and titles come from outside.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not isinstance(value, int | float) else text


@community_page("insights.view")
def dashboard_csv(request, community_slug, block):
    _, period, data = _read(request)
    header, rows = _csv_rows(block, data)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"{request.community.slug}-{block}-{period.start.isoformat()}-{period.end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return response


def timezone_panel(request) -> str:
    """The time zone form shown on the community settings page (registered as a settings panel)."""
    form = TimezoneForm(initial={"timezone": community_timezone(request.community)})
    return render_to_string(
        "insights/timezone_panel.html", {"timezone_form": form, "community": request.community}, request
    )


@require_POST
@community_page("community.update")
def timezone_update(request, community_slug):
    form = TimezoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a time zone from the list (an IANA name such as Europe/Lisbon).")
    else:
        try:
            insights_timezone_set(
                community=request.community, actor=request.actor, timezone=form.cleaned_data["timezone"]
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Time zone set to {form.cleaned_data['timezone']}; insights are being rebuilt.")
    return redirect("community:manage_settings", community_slug=community_slug)


@require_POST
@community_page("insights.view")
def weekly_email_update(request, community_slug):
    subscribe = request.POST.get("subscribe") == "1"
    try:
        weekly_summary_subscribe(community=request.community, actor=request.actor, subscribe=subscribe)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, "You will get the weekly summary on Mondays." if subscribe else "The weekly summary is off."
        )
    return redirect("community:insights:dashboard", community_slug=community_slug)
