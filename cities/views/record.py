"""The city page's sections drawn once per page: its contacts, its criteria and its
timeline. Each item through the template engine costs several times what it costs as a
filled-in string (translated labels, icons and formats looked up per item); these look them
up once and write the same markup the section templates wrote."""

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from alliance.services.audit import describe
from alliance.templatetags.formats import date_formatter, shown_moment
from alliance.templatetags.portal import icon

from ..models import CriterionScore
from .rows import NOTHING

# A contact on the city page (cities/templates/cities/_city_contacts.html): the section's one
# form posts an invitation from the button of the contact it is for.
CONTACT = ('<li class="list-group-item contact-item"><div class="contact-name">{name}{key}'
           '{clearance}</div><div class="contact-role muted">{role}</div>'
           '<div class="contact-ways">{email}{phone}<span class="muted">{prefers}</span></div>'
           '{portal}</li>')
INVITE = ('<button type="submit" class="btn btn-sm btn-outline-secondary" '
          'formaction="{url}{id}/invite/">{label}<span class="visually-hidden">: {name}</span>'
          '</button>')


class ContactItems:
    """A page of a city's contacts as list items. `may` holds the reader's rights (view:
    the secretariat's view, with clearances and portal use; edit: links and invitations)."""

    def __init__(self, *, contacts_url: str, may: dict):
        self.contacts_url = escape(contacts_url)
        self.may = may
        self.key = f' <span class="state state-short_list">{escape(_("Key contact"))}</span>'
        self.clearance = (' <span class="state state-pending">'
                          f'{escape(_("Needs engagement clearance"))}</span>')
        self.prefers = _("Prefers %(channel)s · %(language)s")
        self.envelope = icon("envelope")
        self.phone_icon = icon("telephone")
        self.uses_portal = (f'<span class="pill">{icon("person-check")}'
                            f'{escape(_("Uses the portal"))}</span>')
        self.invited = f'<span class="pill">{self.envelope}{escape(_("Invited"))}</span>'
        self.invite_label = escape(_("Invite to the portal"))

    def html(self, contacts) -> SafeString:
        return mark_safe("".join(self._item(contact) for contact in contacts))

    def _item(self, contact) -> str:
        name = escape(contact.name)
        return CONTACT.format(
            name=(f'<a href="{self.contacts_url}{contact.pk}/">{name}</a>' if self.may["edit"]
                  else name),
            key=self.key if contact.is_key else "",
            clearance=self.clearance if self.may["view"] and contact.needs_clearance else "",
            role=escape(self._role(contact)),
            email=(f'<a href="mailto:{escape(contact.email)}">{self.envelope}'
                   f"{escape(contact.email)}</a> " if contact.email else ""),
            phone=(f"<span>{self.phone_icon}{escape(contact.phone)}</span> "
                   if contact.phone else ""),
            prefers=escape(self.prefers % {"channel": contact.preferred_channel_label,
                                           "language": contact.language_label}),
            portal=self._portal(contact, name) if self.may["view"] else "")

    @staticmethod
    def _role(contact) -> str:
        """"Department head, Director of mobility · Transport bureau"."""
        role = contact.position_label
        if contact.title:
            role += f", {contact.title}"
        if contact.department:
            role += f" · {contact.department}"
        return role

    def _portal(self, contact, name: str) -> str:
        if contact.user_id:
            state = self.uses_portal
        elif contact.invitation_id:
            state = self.invited
        elif self.may["edit"] and contact.email:
            state = INVITE.format(url=self.contacts_url, id=contact.pk,
                                  label=self.invite_label, name=name)
        else:
            state = ""
        return f'<div class="contact-portal">{state}</div>'


# An entry of the city page's timeline (cities/templates/cities/_city_timeline.html).
ENTRY = '<li><time datetime="{iso}">{moment}</time> · {said}{note}</li>'


def timeline_items(entries) -> SafeString:
    """Timeline entries (AuditEntry rows) as list items: when, in the region's zone, and what
    happened in a sentence (alliance.services.audit.describe), with the note given."""
    formatter = date_formatter("SHORT_DATETIME_FORMAT")
    items = []
    for entry in entries:
        local = timezone.localtime(entry.created_at)
        note = entry.data.get("note")
        items.append(ENTRY.format(
            iso=local.isoformat(), moment=escape(shown_moment(local, formatter)),
            said=escape(describe(entry)), note=f": <q>{escape(note)}</q>" if note else ""))
    return mark_safe("".join(items))


# A criterion on the city page (cities/templates/cities/_city_scores.html): its score, a
# choice of 0-3 or none, and its note; for readers, both as text.
SCORE_ROW = ('<tr><th scope="row"><label for="score-{id}">{name}</label></th><td>'
             '<select class="form-select" name="score_{id}" id="score-{id}">{options}</select>'
             '</td><td><input type="text" class="form-control" name="note_{id}" maxlength="300" '
             'value="{note}" aria-label="{note_label}"></td></tr>')
SCORE_READ = '<tr><th scope="row">{name}</th><td>{score}</td><td>{note}</td></tr>'
SCORE_OPTION = '<option value="{0}"{1}>{0}</option>'


def score_rows(criteria, *, may_edit: bool) -> SafeString:
    """The region's criteria with the city's score and note (queries.criteria_scored) as
    table rows: a select and a note field each for people who may score, else text."""
    rows = []
    for criterion in criteria:
        name = escape(_(criterion.name))
        note = escape(criterion.note or "")
        if not may_edit:
            score = NOTHING if criterion.score is None else criterion.score
            rows.append(SCORE_READ.format(name=name, score=score, note=note))
            continue
        options = '<option value="">—</option>' + "".join(
            SCORE_OPTION.format(value, " selected" if value == criterion.score else "")
            for value in range(CriterionScore.MAX + 1))
        rows.append(SCORE_ROW.format(
            id=criterion.pk, name=name, options=options, note=note,
            note_label=escape(_("Note on %(criterion)s") % {"criterion": _(criterion.name)})))
    return mark_safe("".join(rows))
