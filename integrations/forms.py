"""Forms of the channel pages: one connect/edit form built from each connector's declared fields."""

from django import forms

from integrations.connectors import get_connector


class ConnectionForm(forms.Form):
    display_name = forms.CharField(max_length=120, label="Name")

    def __init__(self, *args, kind: str, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.connector = get_connector(kind)
        if self.connector.polls:
            self.fields["poll_interval"] = forms.IntegerField(
                min_value=0, initial=900, label="Poll every (seconds)", help_text="0 turns polling off."
            )
        for field in self.connector.config_fields:
            self.fields[f"config_{field.name}"] = forms.CharField(
                label=field.label, help_text=field.help, required=field.required
            )
        for field in self.connector.credential_fields:
            help_text = field.help + (" Leave blank to keep the stored value." if editing else "")
            self.fields[f"credential_{field.name}"] = forms.CharField(
                label=field.label,
                help_text=help_text,
                required=False,  # secrets are optional: public repos and feeds need none
                widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
            )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {
            "display_name": data["display_name"],
            "config": {f.name: data.get(f"config_{f.name}", "") for f in self.connector.config_fields},
            "credentials": {f.name: data.get(f"credential_{f.name}", "") for f in self.connector.credential_fields},
        }
        if "poll_interval" in data and data["poll_interval"] is not None:
            kwargs["poll_interval"] = data["poll_interval"]
        return kwargs


class ResyncForm(forms.Form):
    since = forms.DateField(label="Resync from", widget=forms.DateInput(attrs={"type": "date"}))
