"""Who is rated: councils, their regions, and the named groups they belong to (e.g. the
Children's Trust pathfinders)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from .choices import CouncilType


class Region(models.Model):
    """A government office region of England."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Council(models.Model):
    """A council with social services responsibilities."""

    Type = CouncilType

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    council_type = models.CharField("type", max_length=20, choices=Type.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="councils")
    ons_code = models.CharField("ONS code", max_length=9, blank=True)
    # Other names the press and other bodies use ("Hull" for Kingston upon Hull).
    alternative_names = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(council_type__in=CouncilType.values),
                name="council_type_allowed",
            ),
        ]

    def __str__(self):
        return self.name


class Group(models.Model):
    """A named set of councils, e.g. the Children's Trust pathfinders."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class GroupMembership(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="memberships")
    year = models.PositiveSmallIntegerField()
    is_sample = models.BooleanField(
        default=False, help_text="Generated sample membership, not a published fact."
    )
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["year", "group__name", "council__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "council", "year"], name="one_membership_per_group_year"
            ),
        ]

    def __str__(self):
        return f"{self.council} in {self.group} ({self.year})"
