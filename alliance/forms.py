from django import forms
from django.utils.translation import gettext_lazy as _

from . import approvals, permissions
from .models import ApprovalRequest, Region, Role


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"))
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all(),
                                    required=False, empty_label=_("All regions (global)"))

    def __init__(self, *args, actor, region, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = permissions.invitable_roles(actor, region)
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r in allowed]
        if region is not None:
            # Inside a region the invitation is for that region; the inviter cannot change it.
            del self.fields["region"]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect,
        choices=[(ApprovalRequest.State.APPROVED, _("Approve")),
                 (ApprovalRequest.State.CHANGES_REQUESTED, _("Request changes")),
                 (ApprovalRequest.State.REJECTED, _("Reject"))])
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}),
                              required=False,
                              help_text=_("Required when you reject or request changes."))


class ApprovalFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False,
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


class RegionSettingsForm(forms.ModelForm):
    class Meta:
        model = Region
        fields = ["phase", "default_language", "time_zone"]

    def clean_time_zone(self):
        import zoneinfo

        name = self.cleaned_data["time_zone"]
        if name not in zoneinfo.available_timezones():
            raise forms.ValidationError(_("Not a time zone name, e.g. Asia/Tokyo."))
        return name
