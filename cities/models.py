from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from alliance.models import Region


class City(models.Model):
    """A city in a region's pipeline (the outreach issue grows stages, contacts and scores)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="cities")
    name = models.CharField(_("name"), max_length=120)
    local_name = models.CharField(_("name in the local language"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166 code"))
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("cities")
        constraints = [
            models.UniqueConstraint(fields=["region", "name", "country"], name="city_unique"),
        ]

    def __str__(self):
        return self.name
