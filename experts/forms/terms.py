"""Forms of the Terms of Reference: a version (a draft's fields) and an expert's acceptance."""

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.widgets import QuickInput, QuickTextarea

TEXT_HELP = _("Headings, paragraphs, lists, bold and italic text and links; anything else "
              "(images, tables, colours, scripts) is removed when saved. Include the "
              "confidentiality rules and the terms of membership: they are part of what each "
              "expert accepts.")


# The editor's words (experts/static/experts/terms-editor.js reads them off the textarea).
EDITOR = {"rows": 20, "data-rich-text": "terms", "data-label-toolbar": _("Formatting"),
          "data-label-h2": _("Heading"), "data-label-h3": _("Subheading"),
          "data-label-p": _("Paragraph"), "data-label-bold": _("Bold"),
          "data-label-italic": _("Italic"), "data-label-ul": _("Bulleted list"),
          "data-label-ol": _("Numbered list"), "data-label-link": _("Link"),
          "data-label-link-prompt": _("Link address (https://…)"),
          "data-label-source": _("Edit as HTML")}


class TermsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, widget=QuickInput)
    version = forms.CharField(label=_("Version"), max_length=20, widget=QuickInput,
                              help_text=_("Such as 3.1. Unique among the versions here."))
    effective_on = forms.DateField(label=_("Effective date"),
                                   widget=QuickInput(attrs={"type": "date"}))
    body = forms.CharField(label=_("Text"), widget=QuickTextarea(attrs=EDITOR),
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
