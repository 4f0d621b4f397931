"""Benchmarks: how the cities of a cohort scored, per principle and overall (count, minimum,
quartiles, maximum), and a city's place among them.

Only submitted and accepted assessments count, with the scores stored when they were
submitted (PrincipleScore, Assessment.overall_score). The figures come from one SQL query:
the quartiles are interpolated linearly between the ranked scores (what PostgreSQL's
percentile_cont does) with window functions, which SQLite and PostgreSQL both run.

A cohort of fewer than PRIVACY_FLOOR cities shows no figures at all: with so few, a city's
answers could be inferred from them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection, models
from django.db.models import Count, F, Max, Q, Sum, Value
from django.utils.translation import gettext_lazy as _

from alliance.labels import choice_label
from cities.models import Tier

from .models import Assessment, Campaign, Principle, PrincipleScore

PRIVACY_FLOOR = 5
COUNTED_STATES = (Assessment.State.SUBMITTED, Assessment.State.ACCEPTED)
OVERALL = 0  # the "principle" of the overall figures in the query's rows
QUARTILES = (1, 2, 3)  # in quarters
CACHE_SECONDS = 10 * 60


class Band(models.TextChoices):
    """Population bands of the peer cohorts."""

    SMALL = "small", _("Under 100,000 people")
    MEDIUM = "medium", _("100,000 to 500,000 people")
    LARGE = "large", _("500,000 to 1 million people")
    METRO = "metro", _("Over 1 million people")


BAND_LIMITS: dict[str, tuple[int | None, int | None]] = {
    Band.SMALL: (None, 100_000),
    Band.MEDIUM: (100_000, 500_000),
    Band.LARGE: (500_000, 1_000_000),
    Band.METRO: (1_000_000, None),
}


def band_of(population: int | None) -> str:
    if population is None:
        return ""
    for band, (low, high) in BAND_LIMITS.items():
        if (low is None or population >= low) and (high is None or population < high):
            return band
    return ""


@dataclass(frozen=True)
class Cohort:
    """A peer cohort: the cities of a population band and a tier ("" for any)."""

    band: str = ""
    tier: str = ""

    def narrow(self, assessments):
        if self.band:
            low, high = BAND_LIMITS[self.band]
            if low is not None:
                assessments = assessments.filter(city__population__gte=low)
            if high is not None:
                assessments = assessments.filter(city__population__lt=high)
        if self.tier:
            assessments = assessments.filter(city__tier=self.tier)
        return assessments

    @property
    def labels(self) -> list[str]:
        return [label for label in (choice_label(Band, self.band) if self.band else "",
                                    choice_label(Tier, self.tier) if self.tier else "") if label]

    @property
    def is_everyone(self) -> bool:
        return not (self.band or self.tier)


EVERYONE = Cohort()


@dataclass(frozen=True)
class Figures:
    """A distribution of scores, 0-100. Hidden (every figure None) under the privacy floor."""

    count: int | None = None
    minimum: float | None = None
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    maximum: float | None = None

    @property
    def shown(self) -> bool:
        return self.count is not None

    def band_of(self, score: float | None) -> str:
        """Where a score lies: "below" the middle half, "within" it, or "above"."""
        if score is None or not self.shown:
            return ""
        if score < self.q1:
            return "below"
        if score > self.q3:
            return "above"
        return "within"


HIDDEN = Figures()


def _shown(figures: Figures) -> Figures:
    return figures if (figures.count or 0) >= PRIVACY_FLOOR else HIDDEN


@dataclass
class Row:
    """One line of a benchmark: the overall score (principle None) or a principle's."""

    principle: Principle | None
    figures: Figures

    @property
    def label(self) -> str:
        return self.principle.label if self.principle else str(_("Overall"))

    @property
    def key(self) -> str:
        return self.principle.key if self.principle else "overall"


@dataclass
class Benchmark:
    """The figures of one cohort: the overall row first, then one per principle."""

    cities: int
    rows: list[Row] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.cities >= PRIVACY_FLOOR

    @property
    def overall(self) -> Figures:
        return self.rows[0].figures if self.rows else HIDDEN

    def of(self, principle_id: int | None) -> Figures:
        for row in self.rows:
            if (row.principle.pk if row.principle else None) == principle_id:
                return row.figures
        return HIDDEN


def counted(assessments):
    """The assessments a benchmark counts: submitted or accepted, with stored scores."""
    return assessments.filter(state__in=COUNTED_STATES, overall_score__isnull=False)


def _quartile(k: int) -> str:
    """The k-th quartile of each partition, interpolated between ranks (percentile_cont):
    position k(n-1)/4 from the first, in whole steps and quarters, all in integer SQL."""
    steps = f"({k} * (n - 1))"
    whole = f"({steps} / 4)"
    fraction = f"(({steps} - 4 * {whole}) * 0.25)"
    return (f"SUM(CASE WHEN rn = {whole} + 1 THEN v * (1 - {fraction}) "
            f"WHEN rn = {whole} + 2 THEN v * {fraction} ELSE 0 END)")


def _scores_sql(assessments, by_region: bool) -> tuple[str, tuple]:
    """One row (g: cohort, p: principle or OVERALL, v: score) per score of the assessments,
    in cohort 0; with `by_region` each score also a second time, in its region's cohort."""
    ids = assessments.order_by().values("pk")
    groups = [Value(0, output_field=models.IntegerField())]
    if by_region:
        groups.append(F("region_id"))
    parts = []
    for group in groups:
        parts.append(PrincipleScore.objects.filter(assessment__in=ids).order_by()
                     .annotate(g=group, p=F("principle_id"), v=F("score"))
                     .values_list("g", "p", "v"))
        parts.append(assessments.order_by()
                     .annotate(g=group, p=Value(OVERALL, output_field=models.IntegerField()),
                               v=F("overall_score"))
                     .values_list("g", "p", "v"))
    return parts[0].union(*parts[1:], all=True).query.sql_with_params()


def distributions(assessments, *, by_region: bool = False) -> dict[tuple[int, int], Figures]:
    """{(cohort, principle id or OVERALL): Figures} of the counted assessments: cohort 0 is
    all of them, and with `by_region` each region's id its own. Figures under the floor are
    hidden.

    The figures are kept in the cache under a fingerprint of the counted assessments (their
    number, scores and latest submission and acceptance: scores are stored on submission and
    acceptance only): a page read many times between two of them ranks the scores once."""
    rows = counted(assessments).order_by()
    fingerprint = rows.aggregate(
        n=Count("pk"), total=Sum("overall_score"), submitted=Max("submitted_at"),
        accepted=Max("accepted_at"), created=Max("created_at"), last=Max("pk"))
    cohort_sql = rows.values("pk").query.sql_with_params()
    key = "benchmark:" + hashlib.sha256(
        repr((cohort_sql, by_region, sorted(fingerprint.items()))).encode()).hexdigest()
    figures = cache.get(key)
    if figures is None:
        figures = _distributions(*_scores_sql(rows, by_region))
        cache.set(key, figures, CACHE_SECONDS)
    return figures


def _distributions(scores: str, params) -> dict[tuple[int, int], Figures]:
    """The figures in one query: each score ranked within its cohort and principle, then the
    quartiles interpolated between the ranks around them."""
    quartiles = ", ".join(_quartile(k) for k in QUARTILES)
    sql = (f"SELECT g, p, MAX(n), MIN(v), {quartiles}, MAX(v) FROM ("
           f"SELECT g, p, v, ROW_NUMBER() OVER (PARTITION BY g, p ORDER BY v) AS rn, "
           f"COUNT(*) OVER (PARTITION BY g, p) AS n FROM ({scores}) scores) ranked "
           f"GROUP BY g, p")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {(g, p): _shown(Figures(int(n), *(float(x) for x in values)))
            for g, p, n, *values in rows}


def _principles() -> list[Principle]:
    return list(Principle.objects.all())


def _benchmark(figures: dict, cohort: int, principles: list[Principle]) -> Benchmark:
    overall = figures.get((cohort, OVERALL), HIDDEN)
    cities = overall.count or 0
    if cities < PRIVACY_FLOOR:
        return Benchmark(cities=cities, rows=[Row(None, HIDDEN),
                                              *(Row(p, HIDDEN) for p in principles)])
    return Benchmark(cities=cities, rows=[
        Row(None, overall), *(Row(p, figures.get((cohort, p.pk), HIDDEN)) for p in principles)])


def cohort_assessments(campaign: Campaign, cohort: Cohort = EVERYONE):
    return cohort.narrow(Assessment.objects.filter(campaign=campaign))


def campaign_benchmark(campaign: Campaign, cohort: Cohort = EVERYONE,
                       principles: list[Principle] | None = None) -> Benchmark:
    """The region's figures for a campaign, among the cities of the cohort."""
    figures = distributions(cohort_assessments(campaign, cohort))
    return _benchmark(figures, 0, principles if principles is not None else _principles())


def year_assessments(year: int, cohort: Cohort = EVERYONE):
    """Every region's assessments of a year (inside the all-regions scope of /global/)."""
    return cohort.narrow(Assessment.objects.filter(campaign__year=year))


def global_benchmark(year: int, regions, cohort: Cohort = EVERYONE,
                     principles: list[Principle] | None = None
                     ) -> tuple[Benchmark, list[tuple[object, Benchmark]]]:
    """The network's figures for a year, all regions together, and each region's as a
    cohort of its own (the floor applies to each)."""
    principles = principles if principles is not None else _principles()
    assessments = year_assessments(year, cohort)
    by_region = distributions(assessments, by_region=True)
    together = _benchmark(by_region, 0, principles)
    return together, [(region, _benchmark(by_region, region.pk, principles))
                      for region in regions]


# -- a city's place -----------------------------------------------------------------------------

@dataclass
class Place:
    """A city's overall standing in its cohort; rank and share None under the floor."""

    score: float | None
    cities: int
    rank: int | None = None
    higher_than: int | None = None  # percent of the other cities scoring lower
    counted: bool = True  # False: not submitted or accepted (now), so not ranked

    @property
    def shown(self) -> bool:
        return self.rank is not None


def place_of(assessment: Assessment, cohort: Cohort = EVERYONE) -> Place:
    """The city's rank by overall score among the cohort's counted assessments, itself
    among them, in one query."""
    score = assessment.overall_score
    rows = counted(cohort_assessments(assessment.campaign, cohort))
    if score is None or assessment.state not in COUNTED_STATES:
        # Not (or no longer) submitted: it has no place among those that are.
        return Place(score=score, cities=rows.count(), counted=False)
    tally = rows.aggregate(cities=Count("pk"), above=Count("pk", filter=Q(overall_score__gt=score)),
                           below=Count("pk", filter=Q(overall_score__lt=score)))
    cities = tally["cities"]
    if cities < PRIVACY_FLOOR:
        return Place(score=score, cities=cities)
    others = cities - 1
    return Place(score=score, cities=cities, rank=tally["above"] + 1,
                 higher_than=round(100 * tally["below"] / others) if others else 0)


@dataclass
class Previous:
    """The same city's scores in its region's campaign of the year before."""

    year: int
    overall: float | None
    principles: dict[int, float]

    def change(self, principle_id: int | None, score: float | None) -> float | None:
        before = self.overall if principle_id is None else self.principles.get(principle_id)
        if before is None or score is None:
            return None
        return score - before


def previous_of(assessment: Assessment) -> Previous | None:
    """Last year's counted assessment of the same city in the same region, if any, with its
    principle scores (one query, a row per principle)."""
    campaign = assessment.campaign
    rows = list(counted(Assessment.objects.filter(
        campaign__region_id=campaign.region_id, campaign__year=campaign.year - 1,
        city_id=assessment.city_id)).order_by().values_list(
        "overall_score", "principle_scores__principle_id", "principle_scores__score"))
    if not rows:
        return None
    return Previous(year=campaign.year - 1, overall=rows[0][0],
                    principles={p: score for _overall, p, score in rows if p is not None})


@dataclass
class Line:
    """One principle (or overall) of a city's results: its score, the cohort's figures,
    where the score lies in them, and the change since last year."""

    label: str
    key: str
    score: float | None
    figures: Figures
    change: float | None

    @property
    def position(self) -> str:
        return self.figures.band_of(self.score)


def results_of(assessment: Assessment, benchmark: Benchmark,
               previous: Previous | None) -> list[Line]:
    """The city's lines: overall first, then each principle of the benchmark."""
    scores = {s.principle_id: s.score for s in assessment.principle_scores.all()}
    lines = []
    for row in benchmark.rows:
        principle_id = row.principle.pk if row.principle else None
        score = assessment.overall_score if principle_id is None else scores.get(principle_id)
        lines.append(Line(label=row.label, key=row.key, score=score, figures=row.figures,
                          change=previous.change(principle_id, score) if previous else None))
    return lines
