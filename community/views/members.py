"""Manager pages about people: the member directory, profiles and timelines, organizations, merges, import, GDPR."""

import csv
import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from community.csv_cells import csv_row
from community.errors import ServiceError
from community.forms import MemberRoleForm
from community.models import ActivityKind, MemberStatus, Role
from community.policy import can
from community.selectors.activities import activity_list
from community.selectors.members import (
    FILTER_KEYS,
    SORTS,
    access_member_profile,
    access_merge,
    access_organization,
    access_segment,
    access_suggestion,
    channel_list,
    clean_filters,
    custom_field_list,
    identity_list,
    member_directory,
    merge_list,
    organization_list,
    segment_list,
    staff_note_list,
    suggestion_list,
    tag_list,
)
from community.services import imports as import_services
from community.services import merges as merge_services
from community.services import organizations as organization_services
from community.services import privacy as privacy_services
from community.services import profiles as profile_services
from community.services import segments as segment_services

from .manage import dashboard_render
from .paging import slice_page
from .scoping import community_page

PAGE_SIZE = 50
CSV_COLUMNS = ["id", "display_name", "handle", "email", "organization", "tags", "role", "status", "location"]
CSV_COLUMNS += ["joined_at", "first_seen_at", "last_active_at", "activity_count"]


class _Echo:
    def write(self, value):
        return value


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


@community_page("members.view")
def member_directory_page(request, community_slug):
    """The directory: filters, sort, saved segments, bulk tag, CSV export of the filtered list."""
    community = request.community
    filters = clean_filters(request.GET)
    sort = request.GET.get("sort", "last_active")
    members = member_directory(community=community, filters=filters, segment_id=request.GET.get("segment"), sort=sort)
    if request.GET.get("format") == "csv":
        return _csv_response(community, members)
    page = Paginator(members, PAGE_SIZE).get_page(_page_number(request))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "members": list(page.object_list),
        "filters": filters,
        "sort": sort,
        "sorts": list(SORTS),
        "query": query.urlencode(),
        "segments": list(segment_list(community=community)),
        "segment_id": request.GET.get("segment", ""),
        "tags": tag_list(community=community, limit=100),
        "organizations": list(organization_list(community=community).values("id", "name")),
        "channels": channel_list(community=community),
        "statuses": MemberStatus.choices,
        "roles": Role.choices,
        "role_form": MemberRoleForm(),
        "can_change_role": can(request.actor, "members.change_role"),
        "can_update": can(request.actor, "members.update"),
        "can_segments": can(request.actor, "segments.manage"),
        "open_suggestions": suggestion_list(community=community).count(),
    }
    return dashboard_render(request, "community/manage/members.html", context)


def _csv_response(community, members):
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(CSV_COLUMNS)
        for m in members.iterator(chunk_size=500):
            yield writer.writerow(
                csv_row(
                    [
                        m.pk,
                        m.display_name,
                        m.handle,
                        m.email,
                        m.organization.name if m.organization_id else "",
                        ";".join(m.tags),
                        m.role,
                        m.status,
                        m.location,
                        m.joined_at.isoformat() if m.joined_at else "",
                        m.first_seen_at.isoformat() if m.first_seen_at else "",
                        m.last_active_at.isoformat() if m.last_active_at else "",
                        m.activity_count,
                    ]
                )
            )

    # The scope ends with the view; materialize inside it rather than stream after it.
    response = StreamingHttpResponse(list(rows()), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{community.slug}-members.csv"'
    return response


@require_POST
@community_page("members.update")
def member_bulk_tag(request, community_slug):
    ids = [int(i) for i in request.POST.getlist("member") if i.isdigit()]
    tags = request.POST.get("tags", "")
    change = (
        profile_services.member_tags_remove if request.POST.get("op") == "remove" else profile_services.member_tags_add
    )
    try:
        count = change(community=request.community, actor=request.actor, member_ids=ids, tags=tags)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Tags updated on {count} member{'s' if count != 1 else ''}.")
    return redirect(_directory_url(request, request.POST.get("next", "")))


def _directory_url(request, query: str) -> str:
    url = reverse("community:manage_members", kwargs={"community_slug": request.community.slug})
    return f"{url}?{query}" if query else url


@require_POST
@community_page("segments.manage")
def segment_create(request, community_slug):
    try:
        segment = segment_services.segment_create(
            community=request.community,
            actor=request.actor,
            name=request.POST.get("name", ""),
            filters={key: request.POST.get(key, "") for key in FILTER_KEYS},
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(_directory_url(request, request.POST.get("next", "")))
    messages.success(request, f"Segment “{segment.name}” saved.")
    return redirect(_directory_url(request, f"segment={segment.pk}"))


@require_POST
@community_page("segments.manage")
def segment_delete(request, community_slug, segment_id):
    segment = access_segment(community=request.community, segment_id=segment_id)
    segment_services.segment_delete(community=request.community, actor=request.actor, segment=segment)
    messages.info(request, f"Segment “{segment.name}” deleted.")
    return redirect("community:manage_members", community_slug=community_slug)


@community_page("members.view")
def member_profile(request, community_slug, member_id):
    """One person across channels: identities, organization, tags, custom fields, notes and the timeline."""
    community = request.community
    member = access_member_profile(community=community, member_id=member_id)
    timeline_filters = {k: request.GET.get(k, "") for k in ("kind", "channel", "q", "since", "until")}
    activities = activity_list(community=community, filters={**timeline_filters, "member": member.pk})
    page = slice_page(activities, _page_number(request), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    fields = list(custom_field_list(community=community))
    context = {
        "member": member,
        "identities": list(identity_list(community=community, member_id=member.pk)),
        "notes": list(staff_note_list(community=community, member_id=member.pk)),
        "custom_fields": [(f, member.custom_fields.get(f.key) or "") for f in fields],
        "suggestions": [
            (s, s.other if s.member_id == member.pk else s.member)
            for s in suggestion_list(community=community, member_id=member.pk)
        ],
        "merges": list(merge_list(community=community, member_id=member.pk)),
        "organizations": list(organization_list(community=community).values("id", "name")),
        "page": page,
        "activities": page.object_list,
        "timeline_filters": timeline_filters,
        "query": query.urlencode(),
        "kinds": ActivityKind.choices,
        "channels": channel_list(community=community),
        "can_update": can(request.actor, "members.update"),
        "can_merge": can(request.actor, "members.merge"),
        "can_export": can(request.actor, "members.export"),
        "can_erase": can(request.actor, "members.erase"),
    }
    return dashboard_render(request, "community/manage/members_profile.html", context)


def _profile_redirect(member_id, community_slug):
    return redirect("community:manage_member_profile", community_slug=community_slug, member_id=member_id)


@require_POST
@community_page("members.update")
def member_edit(request, community_slug, member_id):
    member = access_member_profile(community=request.community, member_id=member_id)
    post = request.POST
    custom = {key.removeprefix("cf_"): value for key, value in post.items() if key.startswith("cf_")}
    try:
        fields = {key: post[key] for key in ("location", "tags") if key in post}
        if "organization" in post:
            fields["organization"] = post["organization"] or None
        profile_services.member_profile_update(
            community=request.community, actor=request.actor, member=member, custom_fields=custom, **fields
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Profile saved.")
    return _profile_redirect(member_id, community_slug)


@require_POST
@community_page("members.notes")
def member_note_add(request, community_slug, member_id):
    member = access_member_profile(community=request.community, member_id=member_id)
    try:
        profile_services.staff_note_add(
            community=request.community, actor=request.actor, member=member, body=request.POST.get("body", "")
        )
    except ServiceError as error:
        messages.error(request, error.message)
    return _profile_redirect(member_id, community_slug)


@require_POST
@community_page("members.merge")
def member_merge(request, community_slug, member_id):
    """Merge another member (by id) into this one."""
    target = access_member_profile(community=request.community, member_id=member_id)
    source_id = request.POST.get("source", "")
    try:
        if not source_id.isdigit():
            raise ServiceError("Give the id of the member to merge in.")
        source = access_member_profile(community=request.community, member_id=int(source_id))
        merge_services.member_merge(community=request.community, actor=request.actor, target=target, source=source)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{source.display_name} was merged into {target.display_name}.")
    return _profile_redirect(member_id, community_slug)


@require_POST
@community_page("members.merge")
def merge_undo(request, community_slug, merge_id):
    merge = access_merge(community=request.community, merge_id=merge_id)
    try:
        source = merge_services.member_unmerge(community=request.community, actor=request.actor, merge=merge)
    except ServiceError as error:
        messages.error(request, error.message)
        return _profile_redirect(merge.target_id, community_slug)
    messages.success(request, f"Merge undone: {source.display_name} is separate again.")
    return _profile_redirect(source.pk, community_slug)


@community_page("members.view")
def suggestion_queue(request, community_slug):
    suggestions = list(suggestion_list(community=request.community)[:200])
    return dashboard_render(
        request,
        "community/manage/members_suggestions.html",
        {"suggestions": suggestions, "can_merge": can(request.actor, "members.merge")},
    )


@require_POST
@community_page("members.merge")
def suggestion_decide(request, community_slug, suggestion_id):
    suggestion = access_suggestion(community=request.community, suggestion_id=suggestion_id)
    try:
        if request.POST.get("decision") == "merge":
            merge_services.suggestion_accept(community=request.community, actor=request.actor, suggestion=suggestion)
            messages.success(request, "Merged.")
        else:
            merge_services.suggestion_dismiss(community=request.community, actor=request.actor, suggestion=suggestion)
            messages.info(request, "Suggestion dismissed.")
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect("community:manage_member_suggestions", community_slug=community_slug)


@community_page("members.export")
def member_export(request, community_slug, member_id):
    member = access_member_profile(community=request.community, member_id=member_id)
    data = privacy_services.member_export(community=request.community, actor=request.actor, member=member)
    response = HttpResponse(json.dumps(data, cls=DjangoJSONEncoder, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="member-{member.pk}.json"'
    return response


@require_POST
@community_page("members.erase")
def member_erase(request, community_slug, member_id):
    member = access_member_profile(community=request.community, member_id=member_id)
    if request.POST.get("confirm") != "erase":
        messages.error(request, "Type “erase” to confirm.")
        return _profile_redirect(member_id, community_slug)
    try:
        privacy_services.member_erase(community=request.community, actor=request.actor, member=member)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The member was erased; their activities stay, anonymous.")
    return _profile_redirect(member_id, community_slug)


@community_page("members.import")
def member_import(request, community_slug):
    """Upload a CSV: a dry run previews each row; "Import" applies the same text."""
    report, csv_text, error = None, "", None
    if request.method == "POST":
        upload = request.FILES.get("file")
        csv_text = upload.read().decode("utf-8-sig", errors="replace") if upload else request.POST.get("csv_text", "")
        dry_run = request.POST.get("apply") != "1"
        try:
            report = import_services.member_import(
                community=request.community, actor=request.actor, csv_text=csv_text, dry_run=dry_run
            )
        except ServiceError as failure:
            error = failure.message
        else:
            if not dry_run:
                messages.success(
                    request, f"Imported: {report.created} created, {report.updated} updated, {report.errors} skipped."
                )
                return redirect("community:manage_members", community_slug=community_slug)
    context = {"report": report, "csv_text": csv_text, "error": error, "columns": sorted(import_services.BASE_COLUMNS)}
    return dashboard_render(request, "community/manage/members_import.html", context, status=400 if error else 200)


@community_page("organizations.view")
def organization_list_page(request, community_slug):
    if request.method == "POST":
        try:
            organization = organization_services.organization_create(
                community=request.community,
                actor=request.actor,
                name=request.POST.get("name", ""),
                domains=request.POST.get("domains", ""),
                website=request.POST.get("website", ""),
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{organization.name} added.")
            return redirect(
                "community:manage_organization", community_slug=community_slug, organization_id=organization.pk
            )
    organizations = list(organization_list(community=request.community)[:500])
    return dashboard_render(
        request,
        "community/manage/organizations.html",
        {"organizations": organizations, "can_manage": can(request.actor, "organizations.manage")},
    )


@community_page("organizations.view")
def organization_page(request, community_slug, organization_id):
    community = request.community
    organization = access_organization(community=community, organization_id=organization_id)
    members = list(member_directory(community=community, filters={"organization": organization.pk})[:200])
    activities = list(activity_list(community=community, filters={"organization": organization.pk})[:50])
    return dashboard_render(
        request,
        "community/manage/organization.html",
        {"organization": organization, "members": members, "activities": activities},
    )


@community_page("members.view")
def custom_fields_page(request, community_slug):
    """The community's custom member fields; admins define new ones."""
    if request.method == "POST":
        try:
            field = profile_services.custom_field_create(
                community=request.community,
                actor=request.actor,
                key=request.POST.get("key", "").strip(),
                label=request.POST.get("label", "").strip(),
                kind=request.POST.get("kind", "text"),
                choices=request.POST.get("choices", "").split(","),
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Field “{field.label}” added.")
            return redirect("community:manage_member_fields", community_slug=community_slug)
    from community.models import CustomFieldKind

    return dashboard_render(
        request,
        "community/manage/members_fields.html",
        {
            "fields": list(custom_field_list(community=request.community)),
            "kinds": CustomFieldKind.choices,
            "can_define": can(request.actor, "community.update"),
        },
    )
