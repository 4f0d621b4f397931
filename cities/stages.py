"""The city pipeline: which stage may follow which (playbook: Preparation steps 3-5)."""

from django.utils.translation import gettext_lazy as _

from .models import Stage

ACTIVE = [Stage.LONG_LIST, Stage.SHORT_LIST, Stage.CONTACTED, Stage.IN_DIALOGUE,
          Stage.COMMITTED, Stage.MEMBER]
# The board's columns, in order: the pipeline, then where cities step out of it.
BOARD_COLUMNS = ACTIVE + [Stage.PAUSED, Stage.DECLINED, Stage.LEFT]
RESUMABLE = [Stage.SHORT_LIST, Stage.CONTACTED, Stage.IN_DIALOGUE, Stage.COMMITTED,
             Stage.MEMBER]

MOVES: dict[str, frozenset[str]] = {
    Stage.LONG_LIST: frozenset({Stage.SHORT_LIST, Stage.DECLINED, Stage.PAUSED}),
    Stage.SHORT_LIST: frozenset({Stage.CONTACTED, Stage.DECLINED, Stage.PAUSED}),
    Stage.CONTACTED: frozenset({Stage.IN_DIALOGUE, Stage.DECLINED, Stage.PAUSED}),
    Stage.IN_DIALOGUE: frozenset({Stage.COMMITTED, Stage.DECLINED, Stage.PAUSED}),
    Stage.COMMITTED: frozenset({Stage.MEMBER, Stage.DECLINED, Stage.PAUSED}),
    Stage.MEMBER: frozenset({Stage.LEFT, Stage.PAUSED}),
    Stage.PAUSED: frozenset(RESUMABLE + [Stage.DECLINED]),
    # Declined and former members can be approached again (Expansion, step 3).
    Stage.DECLINED: frozenset({Stage.SHORT_LIST}),
    Stage.LEFT: frozenset({Stage.SHORT_LIST}),
}

# Stepping out of the pipeline needs a reason, so the next person knows why.
NEEDS_REASON = frozenset({Stage.DECLINED, Stage.PAUSED, Stage.LEFT})
# Cities that intend to participate: the Preparation phase's success indicator.
INTENDING = frozenset({Stage.COMMITTED, Stage.MEMBER})


def allowed_moves(stage: str) -> list[str]:
    return [s for s in BOARD_COLUMNS if s in MOVES[stage]]


def refusal(current: str, to: str) -> str | None:
    """Why a move is refused, or None when it is allowed."""
    if to not in MOVES:
        return str(_("“%(stage)s” is not a stage.") % {"stage": to})
    if to == current:
        return str(_("The city is already at “%(stage)s”.") % {"stage": Stage(to).label})
    if to not in MOVES[current]:
        allowed = ", ".join(str(Stage(s).label) for s in allowed_moves(current))
        return str(_("A city at “%(current)s” cannot move to “%(to)s”. It can move to: "
                     "%(allowed)s.") % {"current": Stage(current).label,
                                        "to": Stage(to).label, "allowed": allowed})
    return None
