"""Forms of the feedback pages: shape only; the services decide."""

from django import forms

from .models import BoardVisibility, Importance


class IdeaForm(forms.Form):
    title = forms.CharField(label="Your idea in one line", max_length=200)
    body = forms.CharField(label="Describe it: what problem would it solve?", widget=forms.Textarea(attrs={"rows": 8}))
    tags = forms.CharField(label="Tags (optional, separated by spaces)", required=False, max_length=220)


class VoteForm(forms.Form):
    importance = forms.ChoiceField(label="How important is it to you?", choices=Importance.choices, required=False)


class BoardForm(forms.Form):
    name = forms.CharField(label="Board name", max_length=80)
    slug = forms.SlugField(label="Address (optional)", max_length=60, required=False)
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    visibility = forms.ChoiceField(label="Who can see it", choices=BoardVisibility.choices)


class ResponseForm(forms.Form):
    response = forms.CharField(label="Public staff response", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    eta = forms.DateField(label="ETA (optional)", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    tracker_url = forms.URLField(label="Tracker link (optional)", required=False, max_length=500, assume_scheme="https")


class ChangelogForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    body = forms.CharField(label="What shipped", widget=forms.Textarea(attrs={"rows": 6}))
    idea_id = forms.IntegerField(label="Idea number (optional)", required=False, min_value=1)
