"""Conditional questions and sections: shown only when an earlier answer matches.

A rule is one comparison of an earlier question's answer (`Conditional.shown_if`,
`operator`, `value`), written in the XLSForm `relevant` column as `${name} = 'yes'`,
`${name} != 'no'`, `${name} >= 3` or `${name} <= 2`. The answering page applies it as the
person types (static/js/assessment.js reads the same three data attributes); the services
apply it again on every save and on submit, from the stored answers, so a hidden question
is neither required nor scored whatever the browser did.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .models import Condition, Conditional

RELEVANT = re.compile(
    r"^\s*\$\{(?P<name>[A-Za-z_][\w.-]*)\}\s*(?P<op>=|!=|>=|<=)\s*"
    r"(?:'(?P<quoted>[^']*)'|\"(?P<double>[^\"]*)\"|(?P<bare>-?\d+(?:\.\d+)?))\s*$")
OPERATORS = {"=": Condition.EQUALS, "!=": Condition.NOT_EQUALS, ">=": Condition.AT_LEAST,
             "<=": Condition.AT_MOST}
SYMBOLS = {operator: symbol for symbol, operator in OPERATORS.items()}


class UnsupportedRule(ValueError):
    """A `relevant` expression this portal cannot apply (several comparisons, functions)."""


def parse_relevant(expression: str) -> tuple[str, str, str] | None:
    """(question name, operator, value) of an XLSForm `relevant`, None when it is empty."""
    if not expression.strip():
        return None
    match = RELEVANT.match(expression)
    if match is None:
        raise UnsupportedRule(expression)
    value = next(v for v in (match["quoted"], match["double"], match["bare"]) if v is not None)
    return match["name"], OPERATORS[match["op"]], value


def format_relevant(rule: Conditional, name_of: dict[int, str]) -> str:
    """The rule as XLSForm writes it; "" when the row has none. `name_of`: question id ->
    name."""
    if not rule.shown_if_id:
        return ""
    value = rule.value if _number(rule.value) is not None and rule.operator in (
        Condition.AT_LEAST, Condition.AT_MOST) else f"'{rule.value}'"
    return f"${{{name_of[rule.shown_if_id]}}} {SYMBOLS[rule.operator]} {value}"


def answer_value(answer) -> str:
    """What a rule compares of a stored answer: its choice, else its number, else ""."""
    if answer is None:
        return ""
    if answer.choice:
        return answer.choice
    if answer.number is not None:
        return format(answer.number.normalize(), "f")
    return answer.text.strip()


def matches(rule: Conditional, value: str) -> bool:
    """Whether an answer `value` ("" when unanswered) satisfies the rule."""
    if rule.operator == Condition.EQUALS:
        return value == rule.value
    if rule.operator == Condition.NOT_EQUALS:
        # Unanswered matches nothing: a follow-up waits for its question to be answered.
        return value != "" and value != rule.value
    given, limit = _number(value), _number(rule.value)
    if given is None or limit is None:
        return False
    return given >= limit if rule.operator == Condition.AT_LEAST else given <= limit


def is_shown(rule: Conditional, values: dict[int, str]) -> bool:
    """`values`: question id -> answer_value of every answer of the assessment."""
    return not rule.shown_if_id or matches(rule, values.get(rule.shown_if_id, ""))


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except (InvalidOperation, TypeError):
        return None


def hidden_questions(sections, questions, values: dict[int, str]) -> set[int]:
    """Ids of the questions hidden by their own rule or their section's. `questions` in
    questionnaire order: a rule only names an earlier question, and one naming a hidden
    question sees it unanswered, so hiding cascades."""
    section_of = {section.pk: section for section in sections}
    seen, hidden, section_shown = dict(values), set(), {}
    for question in questions:
        if question.section_id not in section_shown:
            section_shown[question.section_id] = is_shown(section_of[question.section_id], seen)
        if not (section_shown[question.section_id] and is_shown(question, seen)):
            hidden.add(question.pk)
            seen[question.pk] = ""
    return hidden
