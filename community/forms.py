"""Forms of the community core pages (labelled, validated server-side)."""

from django import forms

from community.models import Role, Visibility
from community.registry import api_scopes


class CommunityCreateForm(forms.Form):
    name = forms.CharField(max_length=120)
    slug = forms.SlugField(
        max_length=60,
        help_text="Your community lives at /c/your-address/: lowercase letters, digits and hyphens.",
        label="Address",
    )
    visibility = forms.ChoiceField(choices=Visibility.choices, initial=Visibility.PUBLIC)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class CommunitySettingsForm(forms.Form):
    name = forms.CharField(max_length=120)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    visibility = forms.ChoiceField(choices=Visibility.choices)
    domain = forms.CharField(
        max_length=253,
        required=False,
        help_text="Optional: your own host name, e.g. forum.example.com. It is served once you verify it with a DNS record.",
    )


class InvitationForm(forms.Form):
    email = forms.EmailField()
    role = forms.ChoiceField(choices=[c for c in Role.choices if c[0] != Role.OWNER], initial=Role.MEMBER)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class ApiKeyForm(forms.Form):
    name = forms.CharField(max_length=100)
    scopes = forms.MultipleChoiceField(
        choices=lambda: [(s, s) for s in api_scopes()], widget=forms.CheckboxSelectMultiple, initial=api_scopes
    )
