from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from guardian.admin import GuardedModelAdmin

from .forms import RegionNamesForm
from .models import ApprovalRequest, AuditEntry, Invitation, Membership, Notification, Region, User
from .tenancy import unscoped


def _rendered_unscoped(view, *args, reason: str, **kwargs):
    """Run an admin view and render its response outside every scope (lazy querysets in the
    template would otherwise run unscoped later and raise)."""
    with unscoped(reason=reason):
        response = view(*args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        return response


class UnscopedAdmin(admin.ModelAdmin):
    """Platform admins see every region; the step outside the scope is explicit."""

    def changelist_view(self, request, extra_context=None):
        return _rendered_unscoped(super().changelist_view, request, extra_context,
                                  reason="platform admin list spans all regions")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return _rendered_unscoped(super().changeform_view, request, object_id, form_url,
                                  extra_context, reason="platform admin edits any region's row")

    def delete_view(self, request, object_id, extra_context=None):
        return _rendered_unscoped(super().delete_view, request, object_id, extra_context,
                                  reason="platform admin deletes any region's row")

    def history_view(self, request, object_id, extra_context=None):
        return _rendered_unscoped(super().history_view, request, object_id, extra_context,
                                  reason="platform admin reads any region's row history")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_superuser"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name"]}),
        ("Status", {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    inlines = [MembershipInline]


class RegionAdminForm(RegionNamesForm, forms.ModelForm):
    class Meta:
        model = Region
        fields = ["name", "slug", "default_language", "time_zone", "phase",
                  "participation_target", "follow_up_after_days"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    form = RegionAdminForm
    list_display = ["name", "slug", "default_language", "time_zone", "phase"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Invitation)
class InvitationAdmin(UnscopedAdmin):
    list_display = ["email", "role", "region", "state", "expires_at"]
    list_filter = ["state", "role", "region"]
    readonly_fields = ["nonce"]


@admin.register(ApprovalRequest)
class ApprovalRequestAdmin(GuardedModelAdmin, UnscopedAdmin):
    """Decisions are made only through alliance.services.approvals.decide (permission check,
    lock, audit entry, the kind's callback, the requester told): here they are read-only."""

    list_display = ["summary", "kind", "region", "state", "requested_at"]
    list_filter = ["state", "kind", "region"]
    readonly_fields = ["region", "kind", "route_role", "content_type", "object_id",
                       "requested_by", "requested_at", "state", "comment", "decided_by",
                       "decided_at"]

    def has_add_permission(self, request):
        # A request made here would skip its audit entry and tell no approver.
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipient", "email", "created_at", "delivered_at", "read_at"]


@admin.register(AuditEntry)
class AuditEntryAdmin(UnscopedAdmin):
    """History is written by services only; nobody, not even a platform admin, rewrites it."""

    list_display = ["action", "actor", "region", "created_at"]
    list_filter = ["action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
