"""The experts app's searchable picker (alliance.pickers): the region's experts, found by name
or organization. Other areas use it as `PickerField("experts")`."""

from alliance.pickers import Picker, register

from .models import Expert


def _detail(expert: Expert) -> str:
    return " · ".join(part for part in (expert.organization, expert.stage_label) if part)


def register_all() -> None:
    register(Picker("experts", "experts.view",
                    lambda region: Expert.objects.filter(region=region).order_by("name", "id"),
                    search=("name", "organization"), detail=_detail))
