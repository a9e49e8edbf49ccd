"""The dashboard's filter form (a GET form: every filter lives in the URL, so a view can be shared and reloaded)."""

from datetime import date, timedelta
from zoneinfo import available_timezones

from django import forms

from .selectors import Period

PRESETS = (("7", "Last 7 days"), ("30", "Last 30 days"), ("90", "Last 90 days"), ("custom", "Custom range"))
MAX_DAYS = 3 * 366  # as the metrics API


class DashboardFilterForm(forms.Form):
    days = forms.ChoiceField(choices=PRESETS, required=False, initial="30", label="Period")
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="From")
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="To")
    # Free text (the page offers the period's channels): listing every channel ever seen would cost history.
    channel = forms.CharField(required=False, max_length=40, label="Channel")
    segment = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Segment")
    include_staff = forms.BooleanField(required=False, label="Include staff")
    include_bots = forms.BooleanField(required=False, label="Include bots")

    def __init__(self, data, *, today: date, segments=()):
        super().__init__(data)
        self.today = today
        self.fields["segment"].choices = [("", "Everyone")] + [(s.pk, s.name) for s in segments]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("days") and cleaned.get("start") and cleaned.get("end"):
            cleaned["days"] = "custom"  # dates without a preset (a hand-written URL) mean those dates
        if cleaned.get("days") == "custom":
            start, end = cleaned.get("start"), cleaned.get("end")
            if not start or not end:
                raise forms.ValidationError("A custom range needs both dates.")
            if end < start:
                self.add_error("end", "The end is before the start.")
            elif (end - start).days >= MAX_DAYS:
                self.add_error("end", f"Ask for at most {MAX_DAYS} days at once.")
        return cleaned

    def period(self) -> Period:
        """The filters as a Period; invalid input falls back to the last 30 days (the form shows the errors)."""
        data = self.cleaned_data if self.is_valid() else {}
        end, days = self.today, int(data.get("days") or 30) if (data.get("days") or "30") != "custom" else None
        if days is None:
            start, end = data["start"], data["end"]
        else:
            start = end - timedelta(days - 1)
        return Period(
            start=start, end=end, channel=data.get("channel") or "", include_staff=bool(data.get("include_staff")),
            include_bots=bool(data.get("include_bots")),
        )  # fmt: skip

    def segment_id(self) -> int | None:
        return self.cleaned_data.get("segment") if self.is_valid() else None


class TimezoneForm(forms.Form):
    timezone = forms.ChoiceField(
        label="Time zone",
        help_text="Days in every metric and chart are this zone's local days (IANA name). Changing it rebuilds the "
        "insights in the background.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = [(name, name) for name in sorted(available_timezones())]
