"""Every text field of a form or serializer refuses control characters, without the form or
serializer asking for it."""

import pytest
from allauth.account.forms import LoginForm
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from rest_framework import serializers

from alliance.models import Region
from alliance.validators import text_problem

BAD = "Ko\x0bbe"
REFUSAL = "Remove the control character (U+000B) from this text."


class _Form(forms.Form):
    text = forms.CharField()
    website = forms.URLField(assume_scheme="https")
    email = forms.EmailField()
    slug = forms.SlugField()
    notes = forms.CharField(widget=forms.Textarea, required=False)


class _RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["name"]


class _Serializer(serializers.Serializer):
    text = serializers.CharField()
    website = serializers.URLField()
    email = serializers.EmailField()
    tags = serializers.ListField(child=serializers.CharField())


def test_a_form_refuses_control_characters_in_every_kind_of_text_field():
    form = _Form({"text": BAD, "website": "https://kobe.jp/\x01", "email": '"\x01"@kobe.jp',
                  "slug": "kobe", "notes": "line\x7f"})
    assert not form.is_valid()
    assert form.errors["text"] == [REFUSAL]
    assert form.errors["website"] == ["Remove the control character (U+0001) from this text."]
    assert form.errors["email"] == ["Remove the control character (U+0001) from this text."]
    assert form.errors["notes"] == ["Remove the control character (U+007F) from this text."]


def test_tab_newline_and_carriage_return_are_text_not_controls():
    form = _Form({"text": "a\tb", "website": "https://kobe.jp", "email": "a@kobe.jp",
                  "slug": "kobe", "notes": "one\r\ntwo\n"})
    assert form.is_valid(), form.errors
    assert text_problem("a\tb\r\nc") is None and text_problem("ａ漢字") is None


def test_a_nul_gets_one_message_that_names_it():
    form = _Form({"text": "Ko\x00be", "website": "https://kobe.jp", "email": "a@kobe.jp",
                  "slug": "kobe"})
    assert form.errors["text"] == ["Remove the control character (U+0000) from this text."]


@pytest.mark.parametrize("form_class, fields", [
    (AuthenticationForm, {"username": BAD, "password": "secret"}),
    (LoginForm, {"login": BAD, "password": "secret"}),
])
def test_forms_built_before_the_portal_started_refuse_them_too(form_class, fields):
    form = form_class(data=fields)
    assert not form.is_valid()
    assert REFUSAL in str(form.errors)


@pytest.mark.django_db
def test_a_model_serializer_and_a_plain_serializer_refuse_them():
    model = _RegionSerializer(data={"name": BAD})
    assert not model.is_valid()
    assert model.errors == {"name": [REFUSAL]}
    plain = _Serializer(data={"text": "Ko\x00be", "website": "https://kobe.jp/\x01",
                              "email": "a@kobe.jp", "tags": ["ok", BAD]})
    assert not plain.is_valid()
    assert plain.errors["text"] == ["Remove the control character (U+0000) from this text."]
    assert plain.errors["website"] == ["Remove the control character (U+0001) from this text."]
    assert plain.errors["tags"] == {1: [REFUSAL]}
    assert [error.code for error in plain.errors["text"]] == ["control_character"]
