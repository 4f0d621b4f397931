"""URLs. Region pages live under /r/<region_slug>/, cross-region ones under /global/;
the tenancy middleware scopes both (alliance/tenancy.py). The API mirrors that shape."""

from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from assessments.api import answering as answering_api
from assessments.api import campaigns as campaign_api
from assessments.api import reports as report_api
from assessments.api import roadmap as roadmap_api
from cities import api as cities_api
from cities import api_dialogues as dialogues_api
from events import api as events_api
from experts import api as experts_api
from outreach import api as outreach_api

from . import api, pickers
from .views import account, approvals, dashboard, invitations, language, members

# Pages that exist in every region and, for the Global Secretariat, across all of them.
shared_patterns = [
    path("approvals/", approvals.approval_list, name="approval-list"),
    path("approvals/<int:approval_id>/", approvals.approval_detail, name="approval-detail"),
    path("invitations/", invitations.invitation_list, name="invitation-list"),
    path("invitations/<int:invitation_id>/", invitations.invitation_detail,
         name="invitation-detail"),
    path("invitations/<int:invitation_id>/<slug:action>/", invitations.invitation_action,
         name="invitation-action"),
]
region_patterns = [
    path("", dashboard.dashboard, name="region-dashboard"),
    path("cards/<slug:panel_name>/", dashboard.dashboard_panel, name="dashboard-panel"),
    path("members/", members.member_list, name="member-list"),
    path("members/<int:membership_id>/remove/", members.member_remove, name="member-remove"),
    path("cities/", include("cities.urls")),
    path("outreach/", include("outreach.urls")),
    path("assessments/", include("assessments.urls")),
    path("experts/", include("experts.urls")),
    path("events/", include("events.urls")),
    path("support/", include("events.support_urls")),
    *pickers.urlpatterns(),
    *shared_patterns,
]
global_patterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("assessments/", include("assessments.global_urls")),
    path("experts/", include("experts.global_urls")),
    *shared_patterns,
]


def _router(*registrations):
    router = SimpleRouter(use_regex_path=False)
    for prefix, viewset, basename in registrations:
        router.register(prefix, viewset, basename=basename)
    return router.urls


region_api = _router(("approvals", api.ApprovalViewSet, "approval"),
                     ("cities", cities_api.CityViewSet, "city"),
                     ("cities/<int:city_id>/contacts", cities_api.ContactViewSet, "contact"),
                     ("criteria", cities_api.CriterionViewSet, "criterion"),
                     ("cities/<int:city_id>/contacts/<int:contact_id>/request-clearance",
                      outreach_api.ContactClearanceViewSet, "contact-clearance"),
                     ("letters", outreach_api.LetterViewSet, "letter"),
                     ("campaigns", campaign_api.CampaignViewSet, "campaign"),
                     ("campaigns/<int:campaign_id>/assessments",
                      campaign_api.CampaignProgressViewSet, "campaign-assessment"),
                     *roadmap_api.REGION_ROUTES, *answering_api.REGION_ROUTES,
                     *report_api.REGION_ROUTES, *experts_api.REGION_ROUTES,
                     *events_api.REGION_ROUTES, *dialogues_api.REGION_ROUTES)
global_api = _router(("approvals", api.ApprovalViewSet, "approval"), *roadmap_api.GLOBAL_ROUTES,
                     *report_api.GLOBAL_ROUTES, *experts_api.GLOBAL_ROUTES)
user_api = _router(("me", api.MeViewSet, "me"),
                   ("notifications", api.NotificationViewSet, "notification"))
api_patterns = [
    path("regions/<slug:region_slug>/", include(region_api)),
    path("global/", include((global_api, "global"))),
    *user_api,
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", dashboard.home, name="home"),
    path("r/<slug:region_slug>/", include(region_patterns)),
    path("global/", include((global_patterns, "global"))),
    path("switch-region/", dashboard.switch_region, name="switch-region"),
    path("notifications/", account.notification_list, name="notification-list"),
    path("notifications/<int:notification_id>/open/", account.notification_open,
         name="notification-open"),
    path("notifications/bell/", account.notification_bell, name="notification-bell"),
    path("notifications/read-all/", account.notification_read_all,
         name="notification-read-all"),
    path("calendar/", include("events.feed_urls")),
    path("profile/", account.profile, name="profile"),
    path("profile/tokens/<str:token_key>/revoke/", account.token_revoke, name="token-revoke"),
    path("invitations/accept/<str:token>/", invitations.accept_invitation,
         name="invitation-accept"),
    path("accounts/signup/", RedirectView.as_view(pattern_name="account_login"),
         name="account_signup"),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("api/v1/", include((api_patterns, "api"))),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]

handler404 = "alliance.views.errors.not_found"
handler500 = "alliance.views.errors.server_error"
