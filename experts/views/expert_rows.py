"""The expert table's rows and the expert page's lists (stage moves, interviews), written once
per page as template strings (as cities.views.rows and outreach.views.rows): through the
template engine a row's link, labels and date cost several times the rest of the page."""

from __future__ import annotations

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from alliance.labels import labels_of
from alliance.views import url_prefix

from ..models import RedFlag, Sector, Stage, Suitability

NOTHING = "—"
# The tone of each stage's pill (static/css/portal.css "Tones").
STAGE_TONES = {Stage.CANDIDATE: "", Stage.INTERVIEWED: "tone-info",
               Stage.VETTED: "tone-primary", Stage.INVITED: "tone-warning",
               Stage.CONFIRMED: "tone-success", Stage.ACTIVE: "tone-success",
               Stage.ALUMNI: "", Stage.DECLINED: "tone-danger"}
SUITABILITY_TONES = {Suitability.SUITABLE: "tone-success",
                     Suitability.NOT_SUITABLE: "tone-danger", Suitability.UNDECIDED: ""}


def stage_pill(stage: str, label: str | None = None) -> SafeString:
    text = escape(label if label is not None else Stage(stage).label)
    return mark_safe(f'<span class="state state-{stage} {STAGE_TONES.get(stage, "")}">{text}'
                     '</span>')


def _day(moment) -> str:
    """The day in the region's time zone, as every language writes it: year-month-day."""
    if moment is None:
        return NOTHING
    if hasattr(moment, "tzinfo"):
        moment = timezone.localtime(moment).date()
    return moment.isoformat()


def _person(full_name: str | None, email: str | None) -> str:
    return escape(full_name or email or NOTHING)


ROW = ('<tr><th scope="row"><a href="{url}{id}/">{name}</a>{partner}</th>'
       '<td>{organization}</td><td>{sector}</td><td>{stage}</td><td>{owner}</td>'
       '<td><time datetime="{since}">{since}</time></td></tr>')
PARTNER = ' <span class="pill">{}</span>'


def table_rows(experts: list[dict], *, region) -> SafeString:
    """The `<tr>`s of `experts` (values of TABLE_COLUMNS)."""
    url = escape(url_prefix("expert-detail", "expert_id", region_slug=region.slug))
    sectors = {key: escape(label) for key, label in labels_of(Sector).items()}
    stages = {key: stage_pill(key, label) for key, label in labels_of(Stage).items()}
    partner = PARTNER.format(escape(_("Forum Partner")))
    return mark_safe("".join(ROW.format(
        url=url, id=row["pk"], name=escape(row["name"]),
        partner=partner if row["is_forum_partner"] else "",
        organization=escape(row["organization"]) or NOTHING, sector=sectors[row["sector"]],
        stage=stages[row["stage"]], owner=_person(row["owner__full_name"], row["owner__email"]),
        since=_day(row["stage_changed_at"])) for row in experts))


TABLE_COLUMNS = ("pk", "name", "organization", "sector", "is_forum_partner", "stage",
                 "stage_changed_at", "owner__full_name", "owner__email")

MOVE = ('<li><time datetime="{day}">{day}</time><div>{old} → {new} · {actor}{note}</div>'
        '</li>')


STAGE_LINE_COLUMNS = ("at", "from_stage", "to_stage", "note", "actor__full_name",
                      "actor__email")


def stage_lines(changes) -> SafeString:
    """The `<li>`s of an expert's stage moves (values of STAGE_LINE_COLUMNS)."""
    stages = {key: stage_pill(key, label) for key, label in labels_of(Stage).items()}
    nobody = escape(_("The portal"))
    return mark_safe("".join(MOVE.format(
        day=_day(at), old=stages[old], new=stages[new],
        actor=escape(name or email) if (name or email) else nobody,
        note=f' <q>{escape(note)}</q>' if note else "")
        for at, old, new, note, name, email in changes))


INTERVIEW = ('<li class="list-group-item"><a href="{url}{id}/">{day}</a> · {interviewer} · '
             '<span class="state {tone}">{suitability}</span>{flags}</li>')
FLAG = ' <span class="pill tone-danger">{}</span>'


INTERVIEW_LINE_COLUMNS = ("pk", "held_on", "suitability", "red_flags",
                          "interviewer__full_name", "interviewer__email")


def interview_lines(interviews, *, region) -> SafeString:
    """The `<li>`s of an expert's interviews (values of INTERVIEW_LINE_COLUMNS)."""
    url = escape(url_prefix("interview-detail", "interview_id", region_slug=region.slug))
    suitability = {key: escape(label) for key, label in labels_of(Suitability).items()}
    flags = {key: FLAG.format(escape(label)) for key, label in labels_of(RedFlag).items()}
    return mark_safe("".join(INTERVIEW.format(
        url=url, id=pk, day=_day(held_on), interviewer=_person(name, email),
        tone=SUITABILITY_TONES.get(decision, ""), suitability=suitability[decision],
        flags="".join(flags[code] for code, flag in (red_flags or {}).items()
                      if code in flags and flag.get("raised")))
        for pk, held_on, decision, red_flags, name, email in interviews))

# A tie of the conflicts section (experts/_expert_conflicts.html), its decision and, for a
# person who decides, the form that records or changes it.
TIE = ('<li class="list-group-item"><div><span class="pill">{kind}</span> {described}</div>'
       '<p class="mb-1">{decision}</p>{form}</li>')
DECIDED = ('<span class="state {tone}">{label}</span> · {who}, <time datetime="{day}">{day}'
           '</time>{note}')
UNDECIDED = '<span class="state tone-warning">{}</span>'
TIE_FORM = ('<form method="post" action="{action}" class="filters" novalidate>{csrf}'
            '<input type="hidden" name="tie" value="{tie}">'
            '<input type="hidden" name="next" value="{back}">'
            '<div><label class="form-label" for="tie-{n}-decision">{decision_label}</label>'
            '<select class="form-select" name="decision" id="tie-{n}-decision">{options}'
            '</select></div>'
            '<div><label class="form-label" for="tie-{n}-note">{note_label}</label>'
            '<input type="text" class="form-control" name="note" id="tie-{n}-note" '
            'maxlength="2000" value="{note}"></div>'
            '<button type="submit" class="btn btn-outline-secondary">{button}</button></form>')
DECISION_TONES = {"no_conflict": "tone-success", "manageable": "tone-warning",
                  "conflict": "tone-danger"}


def tie_items(ties, *, decide_url: str = "", csrf: str = "", back: str = "") -> SafeString:
    """The `<li>`s of the expert's ties (conflicts.Tie, with their decision); with a
    `decide_url`, each has its form."""
    from ..models import TieDecision

    labels = {key: escape(label) for key, label in labels_of(TieDecision).items()}
    undecided = UNDECIDED.format(escape(_("Not decided")))
    words = {"decision_label": escape(_("Decision")),
             "note_label": escape(_("Note (needed unless no conflict)")),
             "record": escape(_("Record the decision")),
             "change": escape(_("Change the decision"))}
    items = []
    for n, tie in enumerate(ties, 1):
        check = tie.decision
        decision = undecided if check is None else DECIDED.format(
            tone=DECISION_TONES.get(check.decision, ""), label=labels.get(check.decision, ""),
            who=escape(check.decided_by) if check.decided_by else NOTHING,
            day=_day(check.decided_at),
            note=f" · <q>{escape(check.note)}</q>" if check.note else "")
        form = ""
        if decide_url:
            chosen = check.decision if check else ""
            options = "".join(
                f'<option value="{value}"{" selected" if value == chosen else ""}>{label}'
                f'</option>' for value, label in labels.items())
            form = TIE_FORM.format(
                action=escape(decide_url), csrf=csrf, tie=escape(tie.key), back=escape(back),
                n=n, options=options, note=escape(check.note) if check else "",
                button=words["change"] if check else words["record"],
                decision_label=words["decision_label"], note_label=words["note_label"])
        items.append(TIE.format(kind=escape(tie.kind_label), described=escape(tie.described),
                                decision=decision, form=form))
    return mark_safe("".join(items))


ACCEPTED = '<li>{title} · <time datetime="{iso}">{shown}</time></li>'


def accepted_lines(acceptances: list[tuple[str, object]]) -> SafeString:
    """The `<li>`s of the Terms of Reference versions an expert accepted: (title, when)."""
    from alliance.templatetags.formats import date_formatter, shown_moment

    formatter = date_formatter("SHORT_DATETIME_FORMAT")
    lines = []
    for title, at in acceptances:
        local = timezone.localtime(at)
        lines.append(ACCEPTED.format(title=escape(title), iso=local.isoformat(),
                                     shown=escape(shown_moment(local, formatter))))
    return mark_safe("".join(lines))


GATE_LINE = '<dt>{label}</dt><dd>{state}</dd>'
NOT_REQUESTED = '<span class="state tone-warning">{}</span>'
GATE_REQUEST = ('<a href="{url}{id}/"><span class="state state-{state}">{state_label}</span></a>'
                '{decided}{comment}')


def gate_facts(vetting_gate, clearance_gate, *, region) -> SafeString:
    """The vetting card's facts: each approval the expert needs, where its latest request
    stands (a link to it), or why it is not needed."""
    from alliance.models import ApprovalRequest

    url = escape(url_prefix("approval-detail", "approval_id", region_slug=region.slug))
    states = labels_of(ApprovalRequest.State)

    def shown(gate, not_needed: str) -> str:
        if not gate.needed:
            return escape(not_needed)
        request = gate.request
        if request is None:
            return NOT_REQUESTED.format(escape(_("Not requested yet")))
        return GATE_REQUEST.format(
            url=url, id=request.pk, state=request.state,
            state_label=escape(states.get(request.state, request.state)),
            decided=f" · {escape(str(request.decided_by))}, {_day(request.decided_at)}"
            if request.decided_by_id else "",
            comment=f" · <q>{escape(request.comment)}</q>" if request.comment else "")

    return mark_safe(
        GATE_LINE.format(label=escape(_("Forum review")), state=shown(
            vetting_gate, _("Not needed: the secretariat marks the expert vetted.")))
        + GATE_LINE.format(label=escape(_("Engagement clearance")), state=shown(
            clearance_gate, _("Not needed: not a Forum Partner."))))
