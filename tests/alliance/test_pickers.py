"""Searchable pickers: the endpoint lists a few matching rows of the region, and the field
takes a chosen id or a typed name, never a row of another region."""

import pytest
from django import forms
from django.urls import reverse
from django_scopes import scopes_disabled

from alliance.pickers import OPTION_LIMIT, PickerField, bind_pickers
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db


def options_url(cast, **query):
    url = reverse("picker-cities", kwargs={"region_slug": cast.home.region.slug})
    return url, query


def test_typing_lists_the_matching_cities_of_the_region_only(cast, secretariat):
    CityFactory(region=cast.home.region, name="Bogotá")
    CityFactory(region=cast.home.region, name="Medellín")
    CityFactory(region=cast.foreign.region, name="Bogotá del Norte")
    url, query = options_url(cast, q="bog")
    page = secretariat.get(url, query).content.decode()
    assert "Bogotá" in page and "Medellín" not in page and "del Norte" not in page


def test_each_word_narrows_and_a_long_list_says_to_type_more(cast, secretariat):
    for n in range(OPTION_LIMIT + 3):
        CityFactory(region=cast.home.region, name=f"San Town {n:02d}")
    url, _ = options_url(cast)
    page = secretariat.get(url, {"q": "town san"}).content.decode()
    assert page.count('role="option" aria-selected') == OPTION_LIMIT
    assert "Type more" in page
    assert "San Town 07" in secretariat.get(url, {"q": "san 07"}).content.decode()


def test_the_city_being_merged_is_left_out(cast, secretariat):
    city = CityFactory(region=cast.home.region, name="Quito")
    url, _ = options_url(cast)
    assert "Quito" not in secretariat.get(url, {"q": "quito", "exclude": city.pk}).content.decode()


def test_people_who_may_not_see_cities_are_refused(cast, client_for):
    url, _ = options_url(cast)
    assert client_for(cast.home.expert).get(url).status_code == 403


class ChooseCity(forms.Form):
    city = PickerField("cities", label="City")


def bound(cast, data, **excludes):
    form = ChooseCity(data)
    bind_pickers(form, cast.home.region, **excludes)
    return form


def test_the_field_takes_a_chosen_id_or_the_exact_name_typed(cast):
    with scopes_disabled():
        city = CityFactory(region=cast.home.region, name="Bogotá")
        assert bound(cast, {"city": str(city.pk), "city_text": "Bogotá"}).is_valid()
        typed = bound(cast, {"city_text": "  bogotá "})
        assert typed.is_valid() and typed.cleaned_data["city"] == city


def test_the_field_refuses_a_foreign_id_an_unknown_name_and_an_excluded_row(cast):
    with scopes_disabled():
        home = CityFactory(region=cast.home.region, name="Lima")
        foreign = CityFactory(region=cast.foreign.region, name="Oslo")
        assert bound(cast, {"city": str(foreign.pk)}).errors["city"] == ["Choose from the list."]
        unknown = bound(cast, {"city_text": "Oslo"})
        assert "Nothing here is called “Oslo”" in unknown.errors["city"][0]
        assert not bound(cast, {"city": str(home.pk)}, city=home.pk).is_valid()


def test_the_widget_shows_the_chosen_name_not_a_list_of_rows(cast):
    with scopes_disabled():
        city = CityFactory(region=cast.home.region, name="Cusco")
        for n in range(30):
            CityFactory(region=cast.home.region, name=f"Other {n}")
        html = str(bound(cast, {"city": str(city.pk)})["city"])
    assert 'value="Cusco"' in html and "Other" not in html and "<option" not in html
