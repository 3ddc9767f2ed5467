from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.utils import timezone, translation
from django.utils.translation import gettext
from pytest_django.fixtures import Settings as SettingsWrapper

from peyvand.accounts.models import User

# The tags are builtins: no {% load %} needed.
PAGE = Template(
    "{% local_date day %}|{% local_date day 'long' %}|{% local_datetime moment %}|{% local_number amount %}|"
    "{% local_number ratio 2 %}|{% money price %}|{% digits label %}|{% digits nothing %}"
)
VALUES = {
    "day": dt.date(2024, 8, 2),
    "moment": dt.datetime(2024, 3, 19, 21, 0, tzinfo=dt.UTC),  # 00:30 on 1403/01/01 in Tehran
    "amount": 1234567,
    "ratio": 0.5,
    "price": 12_345_670,  # rials
    "label": "Room 12",
    "nothing": None,
}


@pytest.fixture(autouse=True)
def _tehran_and_toman(settings: SettingsWrapper) -> Iterator[None]:
    settings.CURRENCY_DISPLAY = "toman"
    with timezone.override(ZoneInfo("Asia/Tehran")):
        yield


def render(template: Template, user: Any, **values: Any) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return template.render(Context({"request": request, **values}))


def toman(amount: str) -> str:
    return gettext("%(amount)s toman") % {"amount": amount}


def test_persian_for_an_anonymous_reader() -> None:
    with translation.override("fa"):
        page = render(PAGE, AnonymousUser(), **VALUES)

        assert page == (f"۱۴۰۳/۰۵/۱۲|۱۲ مرداد ۱۴۰۳|۱۴۰۳/۰۱/۰۱ ۰۰:۳۰|۱٬۲۳۴٬۵۶۷|۰٫۵۰|{toman('۱٬۲۳۴٬۵۶۷')}|Room ۱۲|")


def test_english_for_an_anonymous_reader() -> None:
    with translation.override("en"):
        page = render(PAGE, AnonymousUser(), **VALUES)

    assert page == "2024-08-02|2 August 2024|2024-03-20 00:30|1,234,567|0.50|1,234,567 toman|Room 12|"


def test_latin_digits_in_persian_keep_the_jalali_calendar() -> None:
    reader = User(username="sara", digits=User.Digits.LATIN)

    with translation.override("fa"):
        page = render(PAGE, reader, **VALUES)

        assert page == f"1403/05/12|12 مرداد 1403|1403/01/01 00:30|1,234,567|0.50|{toman('1,234,567')}|Room 12|"


def test_persian_digits_in_english_keep_the_gregorian_calendar() -> None:
    reader = User(username="sara", digits=User.Digits.PERSIAN)

    with translation.override("en"):
        page = render(PAGE, reader, **VALUES)

    assert page == "۲۰۲۴-۰۸-۰۲|۲ August ۲۰۲۴|۲۰۲۴-۰۳-۲۰ ۰۰:۳۰|۱٬۲۳۴٬۵۶۷|۰٫۵۰|۱٬۲۳۴٬۵۶۷ toman|Room ۱۲|"


def test_auto_follows_the_language() -> None:
    reader = User(username="sara", digits=User.Digits.AUTO)

    with translation.override("fa"):
        assert render(Template("{% local_number 1234 %}"), reader) == "۱٬۲۳۴"
    with translation.override("en"):
        assert render(Template("{% local_number 1234 %}"), reader) == "1,234"


def test_without_a_request_the_language_decides() -> None:
    with translation.override("fa"):
        assert Template("{% digits 42 %} {% local_date day %}").render(Context({"day": dt.date(2024, 3, 20)})) == (
            "۴۲ ۱۴۰۳/۰۱/۰۱"
        )


def test_a_date_given_to_local_datetime_is_shown_as_a_date() -> None:
    with translation.override("fa"):
        assert render(Template("{% local_datetime day %}"), AnonymousUser(), day=dt.date(2024, 3, 20)) == "۱۴۰۳/۰۱/۰۱"


def test_empty_values_show_nothing() -> None:
    template = Template(
        "[{% local_date x %}][{% local_date x 'long' %}][{% local_datetime x %}][{% local_number x %}][{% money x %}]"
    )

    with translation.override("fa"):
        assert render(template, AnonymousUser(), x=None) == "[][][][][]"


def test_money_in_an_explicit_unit() -> None:
    with translation.override("en"):
        assert render(Template("{% money price 'rial' %}"), AnonymousUser(), price=12_345_670) == "12,345,670 rial"


def test_output_is_escaped() -> None:
    with translation.override("fa"):
        assert render(Template("{% digits label %}"), AnonymousUser(), label="<b>1</b>") == "&lt;b&gt;۱&lt;/b&gt;"


def test_an_unknown_date_style_is_refused() -> None:
    with pytest.raises(AssertionError):
        render(Template("{% local_date day 'Long' %}"), AnonymousUser(), day=dt.date(2024, 3, 20))


def test_the_tags_need_their_value() -> None:
    with pytest.raises(TemplateSyntaxError):
        Template("{% local_date %}")
