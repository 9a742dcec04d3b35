"""Dates are typed dd/mm/yyyy (or ISO) in every UI language, never in the browser's own format."""

import datetime as dt

import pytest
from django import forms
from django.utils import translation

from retreat.forms_dates import DayField


class DayForm(forms.Form):
    day = DayField()


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("typed", ["01/02/2025", "1/2/2025", "01-02-2025", "01.02.2025", "2025-02-01"])
def test_day_is_read_day_first(typed, language):
    with translation.override(language):
        form = DayForm(data={"day": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == dt.date(2025, 2, 1)


def test_month_first_is_refused_with_the_expected_format():
    with translation.override("en"):
        form = DayForm(data={"day": "12/31/2025"})
        assert not form.is_valid()
        assert "dd/mm/yyyy" in form.errors["day"][0]


def test_the_input_is_text_with_a_day_first_value_and_placeholder():
    with translation.override("id"):
        html = str(DayForm(initial={"day": dt.date(2025, 8, 17)})["day"])
    assert 'type="text"' in html
    assert 'value="17/08/2025"' in html
    assert 'placeholder="hh/bb/tttt"' in html
