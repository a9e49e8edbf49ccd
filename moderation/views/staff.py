"""The dashboard side: the review queue (list, item, bulk), sanctions on a member, the log (and its CSV), guidelines."""

import csv
import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from community.csv_cells import csv_row
from community.errors import ServiceError
from community.policy import can, can_act_on
from community.selectors import access_member
from community.views.manage import dashboard_render
from community.views.scoping import community_page
from integrations.selectors import removal_for_activity

from .. import selectors
from ..models import FlagReason, ItemStatus, SanctionKind, SubjectKind
from ..services import guidelines as guideline_services
from ..services import queue as queue_services
from ..services import sanctions as sanction_services
from ..services import subjects
from ..services import trust as trust_services

NS = "community:moderation"
PAGE_SIZE = 50


@community_page("moderation.view")
def queue(request, community_slug):
    status = request.GET.get("status") or ItemStatus.OPEN
    status = status if status in ItemStatus.values else ItemStatus.OPEN
    kind = request.GET.get("kind") or ""
    kind = kind if kind in SubjectKind.values else ""
    items = list(selectors.queue_list(community=request.community, status=status, kind=kind or None)[:PAGE_SIZE])
    context = {
        "items": items,
        "status": status,
        "kind": kind,
        "statuses": ItemStatus.choices,
        "kinds": SubjectKind.choices,
        "actions": [a for a in queue_services.ACTIONS if a != "lock"],
        "can_act": can(request.actor, "moderation.act"),
    }
    return dashboard_render(request, "moderation/queue.html", context)


@require_POST
@community_page("moderation.act")
def queue_bulk(request, community_slug):
    ids = [int(i) for i in request.POST.getlist("item_ids") if i.isdigit()]
    try:
        if request.POST.get("confirm") != "yes":
            raise ServiceError("Tick the box to confirm the action on the selected items.")
        result = queue_services.queue_items_bulk_act(
            community=request.community,
            actor=request.actor,
            item_ids=ids,
            action=request.POST.get("action", ""),
            reason=request.POST.get("reason", ""),
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{len(result['done'])} done, {len(result['skipped'])} skipped (held or decided).")
    return redirect(f"{NS}:queue", community_slug=community_slug)


@community_page("moderation.view")
def item_detail(request, community_slug, item_id):
    item = selectors.access_item(community=request.community, item_id=item_id)
    if request.method == "POST":
        return _item_post(request, item)
    appeal = None
    if item.subject_kind == SubjectKind.APPEAL:
        appeal = selectors.access_appeal(community=request.community, appeal_id=item.subject_id)
    text = None
    if item.status == ItemStatus.OPEN and item.subject_kind in (SubjectKind.TOPIC, SubjectKind.REPLY):
        text = subjects.content_text(
            community=request.community, subject_kind=item.subject_kind, subject_id=item.subject_id
        )
    removal = None
    if item.subject_kind == SubjectKind.ACTIVITY:
        removal = removal_for_activity(community=request.community, activity_id=item.subject_id)
    history = []
    if item.author_id:
        history = list(selectors.sanction_list(community=request.community, member_id=item.author_id)[:10])
    context = {
        "item": item,
        "appeal": appeal,
        "removal": removal,
        "text": text,
        "history": history,
        "actions": queue_services.ACTIONS,
        "sanction_kinds": SanctionKind.choices,
        "can_act": can(request.actor, "moderation.act"),
        "can_sanction": item.author is not None and can_act_on(request.actor, item.author),
        "held_by_other": item.claimed_by_id and item.claimed_by_id != getattr(request.actor.member, "pk", None),
    }
    return dashboard_render(request, "moderation/item.html", context)


def _item_post(request, item):
    community, actor = request.community, request.actor
    what = request.POST.get("do", "")
    reason = request.POST.get("reason", "")
    try:
        if not can(actor, "moderation.act"):
            raise ServiceError("Your role does not allow this.", code="permission_denied")
        if what == "reject" and request.POST.get("confirm") != "yes" and item.subject_kind != SubjectKind.SIGNUP:
            raise ServiceError("Tick the box to confirm the removal.")
        if what == "claim":
            queue_services.queue_item_claim(community=community, actor=actor, item=item)
            messages.success(request, "You hold this item for the next 15 minutes.")
        elif what == "release":
            queue_services.queue_item_release(community=community, actor=actor, item=item)
        elif what in ("grant", "deny"):
            appeal = selectors.access_appeal(community=community, appeal_id=item.subject_id)
            sanction_services.appeal_decide(
                community=community, actor=actor, appeal=appeal, grant=what == "grant", note=reason
            )
            messages.success(
                request, "Appeal granted: the sanction is lifted." if what == "grant" else "Appeal denied."
            )
        elif what == "edit":
            queue_services.queue_item_act(
                community=community, actor=actor, item=item, action="edit", reason=reason,
                body=request.POST.get("body", ""), title=request.POST.get("title") or None,
            )  # fmt: skip
            messages.success(request, "Edited and approved; the revision is kept with the post.")
        else:
            queue_services.queue_item_act(community=community, actor=actor, item=item, action=what, reason=reason)
            messages.success(request, f"Done: {what}.")
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(f"{NS}:item", community_slug=community.slug, item_id=item.pk)


@community_page("moderation.sanction")
def member_sanctions(request, community_slug, member_id):
    member = access_member(community=request.community, member_id=member_id)
    if request.method == "POST":
        try:
            if "lift" in request.POST:
                sanction = selectors.access_sanction(community=request.community, sanction_id=request.POST["lift"])
                if sanction.member_id != member.pk:
                    raise ServiceError("No such sanction.", code="not_found")
                sanction_services.sanction_lift(
                    community=request.community, actor=request.actor, sanction=sanction,
                    reason=request.POST.get("reason", ""),
                )  # fmt: skip
                messages.success(request, "Sanction lifted.")
            else:
                if request.POST.get("confirm") != "yes":
                    raise ServiceError("Tick the box to confirm the sanction.")
                days = request.POST.get("days") or None
                sanction_services.sanction_issue(
                    community=request.community, actor=request.actor, member=member,
                    kind=request.POST.get("kind", ""), reason=request.POST.get("reason", ""), days=days,
                    guideline=request.POST.get("guideline", ""),
                )  # fmt: skip
                messages.success(request, f"{member.display_name}: sanction recorded and shown to them.")
        except ServiceError as error:
            messages.error(request, error.message)
        return redirect(f"{NS}:member_sanctions", community_slug=community_slug, member_id=member.pk)
    context = {
        "member": member,
        "sanctions": list(selectors.sanction_list(community=request.community, member_id=member.pk)),
        "kinds": SanctionKind.choices,
        "can_act": can_act_on(request.actor, member),
        "trust": trust_services.trust_get(community=request.community, member=member),
        "levels": trust_services.LEVELS,
    }
    return dashboard_render(request, "moderation/member_sanctions.html", context)


def _log_filters(request) -> dict:
    params = request.GET
    filters = {"action": (params.get("action") or "")[:40], "subject_kind": (params.get("subject_kind") or "")[:10]}
    for name in ("actor_member_id", "target_member_id"):
        value = params.get(name) or ""
        filters[name] = int(value) if value.isdigit() else None
    return filters


CSV_COLUMNS = ["created_at", "actor_label", "actor_member_id", "action", "subject_kind", "subject_id",
               "target_member_id", "reason", "before", "after"]  # fmt: skip


@community_page("moderation.log")
def log(request, community_slug):
    filters = _log_filters(request)
    entries = selectors.log_list(community=request.community, filters=filters)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="moderation-log-{community_slug}.csv"'
        writer = csv.writer(response)
        writer.writerow(CSV_COLUMNS)
        for entry in entries.iterator(chunk_size=2000):
            values = [getattr(entry, c) for c in CSV_COLUMNS]
            writer.writerow(csv_row([json.dumps(v) if isinstance(v, dict) else v for v in values]))
        return response
    context = {"entries": list(entries[:200]), "filters": filters, "query": request.GET.urlencode()}
    return dashboard_render(request, "moderation/log.html", context)


@community_page("moderation.guidelines")
def guidelines_edit(request, community_slug):
    if request.method == "POST":
        try:
            guideline_services.guidelines_update(
                community=request.community, actor=request.actor, text=request.POST.get("text", "")
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Guidelines saved; members are asked to accept the new version.")
        return redirect(f"{NS}:guidelines_edit", community_slug=community_slug)
    context = {"guidelines": selectors.guidelines_get(request.community), "reasons": FlagReason.choices}
    return dashboard_render(request, "moderation/guidelines_edit.html", context)
