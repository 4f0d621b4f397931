"""The portal's own form partial and quick widgets (alliance/_form_fields.html,
alliance.widgets) write what the design system's templates write (templates/django/forms/):
the same elements, attributes and text, for blank, filled and refused forms."""

from html.parser import HTMLParser

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import translation

from alliance import forms as portal_forms
from alliance.models import Region
from alliance.templatetags.portal import form_label
from alliance.widgets import QuickInput, QuickRadioSelect, QuickSelect, QuickTextarea

STOCK = {QuickInput: forms.TextInput, QuickSelect: forms.Select, QuickTextarea: forms.Textarea,
         QuickRadioSelect: forms.RadioSelect}
FILLED = {"email": "ana@example.org", "role": "expert", "decision": "approved",
          "comment": "Fine", "state": "pending", "phase": "launch", "default_language": "es",
          "time_zone": "Asia/Tokyo", "name_ja": "オーロラ"}
TYPED = {"email": "not an address", "role": "nobody", "decision": "maybe",
         "comment": "<b>why</b>", "state": "pending", "full_name": "Ana", "password1": "a",
         "password2": "b", "phase": "nowhere", "time_zone": "Nowhere/City", "name_ja": "<x>"}


class Elements(HTMLParser):
    """Tags with their attributes (in any order) and the text between them."""

    def __init__(self, html):
        super().__init__()
        self.seen = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.seen.append((tag, sorted(attrs)))

    def handle_endtag(self, tag):
        self.seen.append(f"/{tag}")

    def handle_data(self, data):
        if data.strip():
            self.seen.append(" ".join(data.split()))


def _with_stock_widgets(form):
    for field in form.fields.values():
        quick = field.widget
        if type(quick) in STOCK:
            stock = STOCK[type(quick)](attrs={"type": quick.input_type, **quick.attrs}
                                       if isinstance(quick, QuickInput) else quick.attrs)
            stock.choices, stock.is_required = getattr(quick, "choices", ()), quick.is_required
            field.widget = stock
    return form


def _through_design_system(form) -> str:
    return str(form.non_field_errors()) + "".join(
        field.as_field_group() for field in form.visible_fields())


FORMS = {
    "invitation": lambda data: portal_forms.InvitationForm(data, actor=_Admin(), region=None),
    "decision": portal_forms.DecisionForm,
    "approval filter": portal_forms.ApprovalFilterForm,
    "region settings": lambda data: portal_forms.RegionSettingsForm(data, instance=Region(
        name="Aurora", slug="aurora", name_translations={"ja": "オーロラ"})),
}


class _Admin:
    is_authenticated = is_superuser = True


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("data", [None, FILLED, TYPED], ids=["blank", "filled", "refused"])
@pytest.mark.parametrize("name", sorted(FORMS))
def test_forms_render_as_the_design_system_draws_them(name, data, language):
    with translation.override(language):
        ours, reference = FORMS[name](data), _with_stock_widgets(FORMS[name](data))
        if data:
            ours.is_valid(), reference.is_valid()
        html = render_to_string("alliance/_form_fields.html", {"form": ours})
        assert Elements(html).seen == Elements(_through_design_system(reference)).seen


class _Labels(forms.Form):
    plain = forms.CharField(label="Name")
    asking = forms.CharField(label="Works at a Forum Partner?", required=False)
    own_suffix = forms.CharField(label="Weight", label_suffix=" →")
    own_id = forms.CharField(label="Code <b>", widget=forms.TextInput(attrs={"id": "code"}))
    choice = forms.ChoiceField(label="Kind", choices=[("a", "A")], widget=QuickSelect())
    radio = forms.ChoiceField(label="Decision", choices=[("a", "A")], widget=forms.RadioSelect)


class _Required(_Labels):
    required_css_class = "required"


@pytest.mark.parametrize("form", [_Labels(), _Labels(auto_id=False), _Labels(label_suffix=""),
                                  _Required()], ids=["ids", "no ids", "no suffix", "required"])
def test_a_label_reads_as_label_tag_writes_it(form):
    for field in form:
        assert Elements(str(form_label(field))).seen == Elements(field.label_tag()).seen
        assert Elements(str(form_label(field, "legend"))).seen == Elements(
            field.legend_tag()).seen
