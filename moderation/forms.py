"""Moderation's forms: the screening thresholds on the community settings page."""

from django import forms

from .services.screening import MAX_FLAGS_TO_HIDE


class ThresholdsForm(forms.Form):
    spam_flag = forms.FloatField(
        label="Flag spam at",
        min_value=0,
        max_value=1,
        help_text="Spam score (0 to 1) at which a post goes up but is queued.",
    )
    spam_hold = forms.FloatField(
        label="Hold spam at", min_value=0, max_value=1, help_text="Spam score at which a post is held until reviewed."
    )
    toxicity_flag = forms.FloatField(label="Flag toxicity at", min_value=0, max_value=1)
    toxicity_hold = forms.FloatField(label="Hold toxicity at", min_value=0, max_value=1)
    flags_to_hide = forms.IntegerField(
        label="Flags that hide a post",
        min_value=1,
        max_value=MAX_FLAGS_TO_HIDE,
        help_text="Flags from trusted members that hide a post until a moderator looks at it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.FloatField):
                field.widget.attrs.update({"step": "0.01", "inputmode": "decimal"})
