"""Filters every template has (registered as builtins): dates, digits, numbers and money.

Digits follow the reader's preference (``request.user.digits``: "persian", "latin" or "auto")
and, for anonymous readers or "auto", the language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from html import escape
from typing import Any

from django import template
from django.forms import BoundField
from django.http import HttpRequest
from django.utils.safestring import mark_safe

from peyvand.common import calendar, numbers
from peyvand.common.text import MENTION

register = template.Library()


def _digits_preference(context: template.Context) -> str | None:
    request: HttpRequest | None = context.get("request")
    user = getattr(request, "user", None)
    return getattr(user, "digits", None) if user is not None and user.is_authenticated else None


@register.simple_tag(takes_context=True)
def local_date(context: template.Context, value: dt.date | None, style: str = "short") -> str:
    """A date in the reader's calendar: Jalali in Persian, Gregorian in English; style "short" or "long"."""
    assert style in ("short", "long"), style
    text = calendar.format_date_long(value) if style == "long" else calendar.format_date(value)
    return numbers.shape_digits(text, _digits_preference(context))


@register.simple_tag(takes_context=True)
def local_datetime(context: template.Context, value: dt.datetime | dt.date | None) -> str:
    """A moment in the reader's calendar and local time; a plain date is shown as a date."""
    text = calendar.format_datetime(value) if isinstance(value, dt.datetime) else calendar.format_date(value)
    return numbers.shape_digits(text, _digits_preference(context))


@register.simple_tag(takes_context=True)
def local_number(context: template.Context, value: int | float | Decimal | None, places: int = 0) -> str:
    return numbers.format_number(value, _digits_preference(context), places)


@register.simple_tag(takes_context=True)
def money(context: template.Context, rials: int | Decimal | None, unit: str | None = None) -> str:
    return numbers.format_money(rials, _digits_preference(context), unit)


@register.simple_tag(takes_context=True)
def digits(context: template.Context, value: Any) -> str:
    """Any text with its digits in the reader's digits; nothing for ``None``."""
    return "" if value is None else numbers.shape_digits(str(value), _digits_preference(context))


@register.simple_tag
def check_options(field: BoundField) -> str:
    """The check boxes of a multiple-choice field, each in its label, written out here.

    Django renders each option of a ``CheckboxSelectMultiple`` through its own templates; a filter
    offering 500 owners then costs a list page most of its time. This writes the same inputs (the
    ids Django gives them, its names and values, the chosen ones checked) with plain escaping.
    """
    chosen = {str(value) for value in (field.value() or [])}
    name, base_id = escape(field.html_name), field.auto_id
    boxes = []
    for index, (value, label) in enumerate(_flat_choices(getattr(field.field, "choices", ()))):
        text = "" if value is None else str(value)
        checked = " checked" if text in chosen else ""
        boxes.append(
            f'<label class="checkbox-label"><input type="checkbox" name="{name}" value="{escape(text)}"'
            f' id="{escape(f"{base_id}_{index}")}"{checked}> <bdi>{escape(str(label))}</bdi></label>'
        )
    return mark_safe("".join(boxes))  # noqa: S308  (every part above is escaped)


def _flat_choices(choices: Iterable[Any]) -> Iterable[tuple[Any, Any]]:
    for value, label in choices:
        if isinstance(label, list | tuple):  # a group
            yield from label
        else:
            yield value, label


@register.simple_tag
def options(pairs: Iterable[tuple[Any, Any]]) -> str:
    """``<option>`` elements of (value, label) pairs, written out here (a picker of 500 users)."""
    written = "".join(f'<option value="{escape(str(value))}">{escape(str(label))}</option>' for value, label in pairs)
    return mark_safe(written)  # noqa: S308  (every part is escaped)


@register.filter(is_safe=True)
def with_mentions(text: str) -> str:
    """The text escaped, its @mentions in ``<mark class="mention">``, its lines kept (``<br>``)."""
    escaped = escape(str(text or ""))
    marked = MENTION.sub(lambda match: f'<mark class="mention" dir="ltr">{match.group(0)}</mark>', escaped)
    return mark_safe(marked.replace("\n", "<br>"))  # noqa: S308  (escaped above; only our marks added)
