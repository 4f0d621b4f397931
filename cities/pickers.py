"""The cities app's searchable pickers (alliance.pickers): a region's cities, tags and the
people who can own a city. Each list grows with the region, so no form renders it."""

from alliance.pickers import Picker, register

from .forms import owner_choices
from .models import City, Tag


def _city_detail(city: City) -> str:
    return f"{city.country.name} · {city.get_stage_display()}"


def register_all() -> None:
    register(Picker("cities", "cities.view",
                    lambda region: City.objects.filter(region=region).order_by("name"),
                    search=("name", "local_name"), detail=_city_detail))
    register(Picker("tags", "cities.view",
                    lambda region: Tag.objects.filter(region=region).order_by("name"),
                    search=("name",)))
    register(Picker("owners", "cities.view", owner_choices, search=("full_name", "email"),
                    label=lambda user: user.full_name or user.email,
                    detail=lambda user: user.email if user.full_name else ""))
