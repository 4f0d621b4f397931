from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import approvals, permissions
from .models import ApprovalRequest, Region, Role
from .widgets import QuickInput, QuickRadioSelect, QuickSelect, QuickTextarea


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), widget=QuickInput(attrs={"type": "email"}))
    role = forms.ChoiceField(label=_("Role"), widget=QuickSelect())
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all(),
                                    required=False, empty_label=_("All regions (global)"),
                                    widget=QuickSelect())

    def __init__(self, *args, actor, region, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = permissions.invitable_roles(actor, region)
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r in allowed]
        if region is not None:
            # Inside a region the invitation is for that region; the inviter cannot change it.
            del self.fields["region"]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), widget=QuickRadioSelect,
        choices=[(ApprovalRequest.State.APPROVED, _("Approve")),
                 (ApprovalRequest.State.CHANGES_REQUESTED, _("Request changes")),
                 (ApprovalRequest.State.REJECTED, _("Reject"))])
    comment = forms.CharField(label=_("Comment"), widget=QuickTextarea(attrs={"rows": 3}),
                              required=False,
                              help_text=_("Required when you reject or request changes."))


class ApprovalFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, widget=QuickSelect())
    state = forms.ChoiceField(label=_("State"), required=False, widget=QuickSelect(),
                              choices=[("", _("Any state"))] + ApprovalRequest.State.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Any kind"))] + approvals.kind_choices()


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters; not a common password."))
    password2 = forms.CharField(label=_("Password (again)"), widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.password_validation import validate_password

        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            try:
                validate_password(p1, get_user_model()(email=self.email,
                                                       full_name=data.get("full_name", "")))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100,
                           help_text=_("What will use it, e.g. “reporting script”."))


class LocalizedDecimalField(forms.DecimalField):
    """A decimal typed as the reader's language writes it: "1,5" in Spanish, "1.5" in English.

    A text input, not type=number: browsers refuse "1,00" there and show such a value blank."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(localize=True, **kwargs)

    def widget_attrs(self, widget):
        # min/max/step mean nothing on a text input; the field's validators keep the bounds.
        return {k: v for k, v in super().widget_attrs(widget).items()
                if k not in ("min", "max", "step")}


def translated_languages():
    """The interface languages besides the default, in which names may be given."""
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def _name_field(code: str) -> str:
    return "name_" + code.replace("-", "_")


def _with_a_name_field_per_language(form_class):
    for code, language in translated_languages():
        field = forms.CharField(label=format_lazy(_("Name in {language}"), language=language),
                                max_length=100, required=False, widget=QuickInput())
        form_class.base_fields[_name_field(code)] = field
        form_class.declared_fields[_name_field(code)] = field
    return form_class


@_with_a_name_field_per_language
class RegionNamesForm(forms.Form):
    """Mixed into a ModelForm of Region: the region's name in each other interface language
    (Region.name_translations); a name left empty reads the region's own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, name in (self.instance.name_translations or {}).items():
            if _name_field(code) in self.fields:
                self.fields[_name_field(code)].initial = name

    def clean(self):
        data = super().clean()
        data["name_translations"] = {
            code: data[_name_field(code)].strip() for code, _language in translated_languages()
            if data.get(_name_field(code), "").strip()}
        return data

    def save(self, commit=True):
        self.instance.name_translations = self.cleaned_data["name_translations"]
        return super().save(commit)


class RegionSettingsForm(RegionNamesForm, forms.ModelForm):
    class Meta:
        model = Region
        fields = ["phase", "default_language", "time_zone"]
        widgets = {"phase": QuickSelect(), "default_language": QuickSelect(),
                   "time_zone": QuickInput()}

    def clean_time_zone(self):
        import zoneinfo

        name = self.cleaned_data["time_zone"]
        if name not in zoneinfo.available_timezones():
            raise forms.ValidationError(_("Not a time zone name, e.g. Asia/Tokyo."))
        return name
