"""Partner networks: city networks and institutional partners that help outreach."""

from django.utils.translation import gettext_lazy as _

from alliance.views.records import RecordPages

from .. import queries
from ..forms import PartnerNetworkForm
from ..services import partners

PAGES = RecordPages(
    noun="partner", prefix="partners", form=PartnerNetworkForm, rows=queries.partners_in,
    create=partners.create_partner_network, update=partners.update_partner_network,
    delete=partners.delete_partner_network,
    list_template="outreach/partner_list.html", form_template="outreach/partner_form.html",
    saved=_("Partner network saved."), deleted=_("Partner network deleted."),
    view_action="outreach.view", edit_action="outreach.edit")

urlpatterns = PAGES.urls()
