"""Letter templates per kind and language, with merge fields."""

from django.utils.translation import gettext_lazy as _

from alliance.views.records import RecordPages

from .. import queries
from ..forms import LetterTemplateForm
from ..services import letter_templates

PAGES = RecordPages(
    noun="template", prefix="templates", form=LetterTemplateForm, rows=queries.templates_in,
    create=letter_templates.create_letter_template,
    update=letter_templates.update_letter_template,
    delete=letter_templates.delete_letter_template,
    list_template="outreach/template_list.html", form_template="outreach/template_form.html",
    saved=_("Template saved."),
    deleted=_("Template deleted; letters written from it keep their text."),
    view_action="outreach.view", edit_action="outreach.edit")

urlpatterns = PAGES.urls()
