"""The expert pipeline: which stage may follow which (playbook: Preparation steps 3 and 5,
Launch, section 4-2). Invited and confirmed are reached through their gates only:
experts.services.pipeline.invite (vetting) and the Terms of Reference acceptance."""

from django.utils.translation import gettext_lazy as _

from .models import Stage

PIPELINE = [Stage.CANDIDATE, Stage.INTERVIEWED, Stage.VETTED, Stage.INVITED, Stage.CONFIRMED,
            Stage.ACTIVE, Stage.ALUMNI]
ALL = PIPELINE + [Stage.DECLINED]

MOVES: dict[str, frozenset[str]] = {
    Stage.CANDIDATE: frozenset({Stage.INTERVIEWED, Stage.DECLINED}),
    Stage.INTERVIEWED: frozenset({Stage.VETTED, Stage.DECLINED}),
    Stage.VETTED: frozenset({Stage.INVITED, Stage.DECLINED}),
    Stage.INVITED: frozenset({Stage.CONFIRMED, Stage.DECLINED}),
    Stage.CONFIRMED: frozenset({Stage.ACTIVE, Stage.ALUMNI, Stage.DECLINED}),
    Stage.ACTIVE: frozenset({Stage.ALUMNI}),
    Stage.ALUMNI: frozenset({Stage.ACTIVE}),
    # A declined expert can be considered again later.
    Stage.DECLINED: frozenset({Stage.CANDIDATE}),
}
# Moves a person makes with the stage control; the others happen through their gates.
GATED = frozenset({Stage.INVITED, Stage.CONFIRMED})
NEEDS_REASON = frozenset({Stage.DECLINED, Stage.ALUMNI})
# Experts who work with the region: asked to accept each new Terms of Reference version.
WORKING = frozenset({Stage.CONFIRMED, Stage.ACTIVE})


def allowed_moves(stage: str) -> list[str]:
    return [s for s in ALL if s in MOVES[stage]]


def refusal(current: str, to: str) -> str | None:
    """Why a move is refused, or None when the pipeline allows it."""
    if to not in MOVES:
        return str(_("“%(stage)s” is not a stage.") % {"stage": to})
    if to == current:
        return str(_("The expert is already at “%(stage)s”.") % {"stage": Stage(to).label})
    if to not in MOVES[current]:
        allowed = ", ".join(str(Stage(s).label) for s in allowed_moves(current))
        return str(_("An expert at “%(current)s” cannot move to “%(to)s”. They can move to: "
                     "%(allowed)s.") % {"current": Stage(current).label,
                                        "to": Stage(to).label, "allowed": allowed})
    return None
