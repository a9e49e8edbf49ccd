"""Forms of the forum pages: labelled, validated server-side; services decide the rules."""

from django import forms

from .models import Digest, Level, Pin, ResultsVisibility, TopicKind


class TopicForm(forms.Form):
    title = forms.CharField(max_length=200, required=False)
    kind = forms.ChoiceField(choices=TopicKind.choices, initial=TopicKind.DISCUSSION, label="Type")
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 10}), required=False, label="Post (Markdown)")
    tags = forms.CharField(required=False, help_text="Up to five, separated by spaces or commas.")
    poll_options = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label="Poll options", help_text="One per line."
    )
    poll_multiple = forms.BooleanField(required=False, label="Allow several choices")
    poll_closes_at = forms.DateTimeField(
        required=False, label="Poll closes at", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    poll_results = forms.ChoiceField(
        choices=ResultsVisibility.choices, initial=ResultsVisibility.ALWAYS, label="Show results"
    )
    publish_at = forms.DateTimeField(
        required=False,
        label="Publish later (managers)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class EditForm(forms.Form):
    title = forms.CharField(max_length=200, required=False)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 10}), required=False, label="Post (Markdown)")


class ReplyForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False, label="Your reply (Markdown)")
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)
    quote_of = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ModerateForm(forms.Form):
    pin = forms.ChoiceField(choices=Pin.choices, required=False)
    locked = forms.BooleanField(required=False)
    archived = forms.BooleanField(required=False)
    space = forms.IntegerField(required=False, label="Move to space")
    merge_into = forms.IntegerField(required=False, label="Merge into topic #")


class SpaceForm(forms.Form):
    name = forms.CharField(max_length=80)
    slug = forms.SlugField(max_length=80, required=False, label="Address")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    colour = forms.CharField(max_length=7, initial="#c2410c", widget=forms.TextInput(attrs={"type": "color"}))
    icon = forms.CharField(max_length=8, required=False)
    visibility = forms.ChoiceField(
        choices=[("public", "Public"), ("members", "Members only"), ("group", "Private group")]
    )
    start_policy = forms.ChoiceField(
        choices=[("members", "Members"), ("staff", "Staff only")], label="Who may start topics"
    )
    reply_policy = forms.ChoiceField(choices=[("members", "Members"), ("staff", "Staff only")], label="Who may reply")


class PreferenceForm(forms.Form):
    email_replies = forms.BooleanField(required=False, label="Email me replies to my posts and watched topics")
    email_mentions = forms.BooleanField(required=False, label="Email me when I am mentioned or quoted")
    auto_watch = forms.BooleanField(required=False, label="Watch topics I start or reply to")
    digest = forms.ChoiceField(choices=Digest.choices, label="Digest email")


class WatchForm(forms.Form):
    level = forms.ChoiceField(choices=Level.choices)


class SearchForm(forms.Form):
    q = forms.CharField(required=False, label="Search")
    space = forms.CharField(required=False)
    tag = forms.CharField(required=False)
    author = forms.IntegerField(required=False)
    kind = forms.ChoiceField(choices=[("", "Any type"), *TopicKind.choices], required=False, label="Type")
    solved = forms.ChoiceField(choices=[("", "Any"), ("yes", "Solved"), ("no", "Unsolved")], required=False)
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="From")
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="To")
