"""Signals of the events app, so its areas stay apart: planning sends, invitations listen."""

from django.dispatch import Signal

# The Forum approved an event's agenda and speakers: the event may now be announced to its
# invitees. Sent inside the approval's transaction with `event` and `actor`.
agenda_approved = Signal()
