"""Forms of the Terms of Reference: a version (a draft's fields) and an expert's acceptance."""

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.widgets import QuickInput, QuickTextarea

TEXT_HELP = _("HTML with headings (<h2>, <h3>), paragraphs (<p>), lists (<ul>, <ol>, <li>), "
              "emphasis (<strong>, <em>) and links (<a href>). Anything else is removed when "
              "saved. Include the confidentiality rules and the terms of membership: they are "
              "part of what each expert accepts.")


class TermsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, widget=QuickInput)
    version = forms.CharField(label=_("Version"), max_length=20, widget=QuickInput,
                              help_text=_("Such as 3.1. Unique among the versions here."))
    effective_on = forms.DateField(label=_("Effective date"),
                                   widget=QuickInput(attrs={"type": "date"}))
    body = forms.CharField(label=_("Text"), widget=QuickTextarea(attrs={"rows": 20}),
                           help_text=TEXT_HELP)


class AcceptTermsForm(forms.Form):
    accept = forms.BooleanField(
        label=_("I have read and accept these Terms of Reference, including their "
                "confidentiality rules and terms of membership."),
        required=True,
        error_messages={"required": _("Tick that you have read and accept the Terms of "
                                      "Reference.")})
    typed_name = forms.CharField(label=_("Your full name"), max_length=150, widget=QuickInput(
        attrs={"autocomplete": "name"}),
        help_text=_("Type your name as the portal knows it: it stands for your signature."))
