"""Admin for every ratings model: the administrators' tool for reference data and fixes.

Ratings are read-only here: stars come from the rules engine through the services, so the
admin never lets anyone type a star count that the judgements do not give.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


@admin.register(models.Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(models.Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "council_type", "region", "ons_code"]
    list_filter = ["council_type", "region"]
    search_fields = ["name", "slug", "ons_code"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.AssessmentRound)
class AssessmentRoundAdmin(SimpleHistoryAdmin):
    list_display = ["year", "title", "methodology_version", "status", "publication_at", "is_sample"]
    list_filter = ["status", "is_sample"]

    def get_readonly_fields(self, request, obj=None):
        # A round's status and publication time change in the workspace, which refuses
        # to schedule a round before every council is agreed.
        if obj is None:
            return ["status", "publication_at"]
        return ["year", "methodology_version", "status", "publication_at"]


class StandardInline(admin.TabularInline):
    model = models.Standard
    extra = 0


@admin.register(models.Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [StandardInline]


@admin.register(models.Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "domain"]
    list_filter = ["domain"]
    search_fields = ["code", "title"]


class KeyIndicatorCapInline(admin.TabularInline):
    model = models.KeyIndicatorCap
    extra = 0


@admin.register(models.Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "domain", "unit", "polarity"]
    list_filter = ["domain", "polarity"]
    search_fields = ["code", "title"]
    inlines = [KeyIndicatorCapInline]


@admin.register(models.KeyIndicatorCap)
class KeyIndicatorCapAdmin(admin.ModelAdmin):
    list_display = ["indicator", "methodology_version", "service", "maximum", "threshold"]
    list_filter = ["methodology_version", "service"]


@admin.register(models.IndicatorValue)
class IndicatorValueAdmin(SimpleHistoryAdmin):
    list_display = ["council", "round", "indicator", "value", "exempt"]
    list_filter = ["round", "indicator"]
    search_fields = ["council__name", "indicator__code"]
    list_select_related = ["council", "round", "indicator"]
    autocomplete_fields = ["council", "indicator"]


class ServiceJudgementInline(admin.TabularInline):
    model = models.ServiceJudgement
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.Rating)
class RatingAdmin(SimpleHistoryAdmin):
    list_display = ["council", "round", "revision", "status", "stars", "on_special_measures"]
    list_filter = ["round", "status", "stars", "on_special_measures"]
    search_fields = ["council__name"]
    list_select_related = ["council", "round"]
    inlines = [ServiceJudgementInline]
    readonly_fields = [
        "round",
        "council",
        "revision",
        "status",
        "stars",
        "reasons",
        "on_special_measures",
        "published_at",
        "note",
        "evidence",
        "created_at",
    ]

    def has_add_permission(self, request):
        # New ratings come from the import or the inspectors' workspace, through the rules.
        return False

    def has_change_permission(self, request, obj=None):
        # A published revision is never changed in place; corrections add a revision.
        return False


class GroupMembershipInline(admin.TabularInline):
    model = models.GroupMembership
    extra = 0
    autocomplete_fields = ["council"]


@admin.register(models.Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [GroupMembershipInline]


@admin.register(models.GroupMembership)
class GroupMembershipAdmin(admin.ModelAdmin):
    list_display = ["council", "group", "year", "is_sample"]
    list_filter = ["group", "year", "is_sample"]
    search_fields = ["council__name"]


@admin.register(models.CPAResult)
class CPAResultAdmin(admin.ModelAdmin):
    list_display = [
        "council",
        "year",
        "category",
        "education_score",
        "childrens_social_care_score",
        "is_sample",
    ]
    list_filter = ["year", "category", "is_sample"]
    search_fields = ["council__name"]


@admin.register(models.PublishedFact)
class PublishedFactAdmin(admin.ModelAdmin):
    list_display = ["council", "year", "round_label", "stars", "not_rated", "special_measures"]
    list_filter = ["year", "round_label", "stars"]
    search_fields = ["council__name", "source"]
