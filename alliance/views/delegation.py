"""What every page with a delegation shares (a working group's lead, a meeting series'
delegate): the panel templates/alliance/_delegation.html reads, and the update note posted
from it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..services import delegations
from ..widgets import QuickTextarea
from . import refused_as_message

NOTES_SHOWN = 6  # the latest update notes of a delegation


class NoteForm(forms.Form):
    body = forms.CharField(label=gettext_lazy("Update note"),
                           max_length=delegations.NOTE_MAX_LENGTH,
                           widget=QuickTextarea(attrs={"rows": 3}))


def delegation_panel(request, delegation, note_url_name: str, **url_kwargs) -> dict:
    """The panel's context; `note_url_name` and `url_kwargs` (besides the region and the
    delegation) name where its update note is posted."""
    if delegation is None:
        return {"delegation": None}
    may_note = delegations.may_note(request.user, delegation)
    return {
        "delegation": delegation,
        "delegation_notes": delegations.notes_of(delegation, NOTES_SHOWN),
        "delegation_overdue": delegations.is_overdue(delegation),
        "note_form": NoteForm() if may_note else None,
        "note_url": reverse(note_url_name, kwargs={
            "region_slug": request.region.slug, **url_kwargs,
            "delegation_id": delegation.pk}),
    }


def post_note(request, delegation) -> None:
    """Save the update note the delegate or the secretariat posted, or say why not."""
    if not delegations.may_note(request.user, delegation):
        raise PermissionDenied
    form = NoteForm(request.POST)
    if form.is_valid():
        with refused_as_message(request):
            delegations.add_note(actor=request.user, delegation=delegation,
                                 body=form.cleaned_data["body"])
            messages.success(request, _("Update note saved."))
    else:
        messages.error(request, _("Write the note (at most %(count)s characters).")
                       % {"count": delegations.NOTE_MAX_LENGTH})
