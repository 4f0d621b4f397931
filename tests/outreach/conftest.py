"""Outreach fixtures: the home region, its secretariat user, and its scope."""

import pytest
from django_scopes import scope


@pytest.fixture
def home(cast):
    return cast.home.region


@pytest.fixture
def rs(cast):
    return cast.home.regional_secretariat


@pytest.fixture
def in_home(home):
    """`with in_home():` runs service calls and reads in the home region's scope."""
    return lambda: scope(region=home)
