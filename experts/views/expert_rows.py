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


def stage_pill(stage: str, label: str | None = None) -> str:
    text = escape(label if label is not None else Stage(stage).label)
    return f'<span class="state state-{stage} {STAGE_TONES.get(stage, "")}">{text}</span>'


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


def stage_lines(changes) -> SafeString:
    """The `<li>`s of an expert's stage moves (with their actor selected)."""
    stages = {key: stage_pill(key, label) for key, label in labels_of(Stage).items()}
    return mark_safe("".join(MOVE.format(
        day=_day(change.at), old=stages[change.from_stage], new=stages[change.to_stage],
        actor=escape(str(change.actor)) if change.actor_id else escape(_("The portal")),
        note=f' <q>{escape(change.note)}</q>' if change.note else "") for change in changes))


INTERVIEW = ('<li class="list-group-item"><a href="{url}{id}/">{day}</a> · {interviewer} · '
             '<span class="state {tone}">{suitability}</span>{flags}</li>')
FLAG = ' <span class="pill tone-danger">{}</span>'


def interview_lines(interviews, *, region) -> SafeString:
    """The `<li>`s of an expert's interviews (with their interviewer selected)."""
    url = escape(url_prefix("interview-detail", "interview_id", region_slug=region.slug))
    suitability = {key: escape(label) for key, label in labels_of(Suitability).items()}
    flags = {key: FLAG.format(escape(label)) for key, label in labels_of(RedFlag).items()}
    return mark_safe("".join(INTERVIEW.format(
        url=url, id=interview.pk, day=_day(interview.held_on),
        interviewer=escape(str(interview.interviewer)) if interview.interviewer_id
        else NOTHING,
        tone=SUITABILITY_TONES.get(interview.suitability, ""),
        suitability=suitability[interview.suitability],
        flags="".join(flags[code] for code in interview.raised_flags if code in flags))
        for interview in interviews))
