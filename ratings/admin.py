"""Admin for every ratings model: the administrators' tool for reference data and fixes.

Ratings are read-only here: stars come from the rules engine through the services, so the
admin never lets anyone type a star count that the judgements do not give. History is there
to read: a revert would save an old version through no service and no rule (un-publishing a
round, say), so no admin offers one.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from . import models


class HistoryToReadAdmin(SimpleHistoryAdmin):
    """django-simple-history's admin without its revert.

    SIMPLE_HISTORY_REVERT_DISABLED only hides the Revert button: the version's page still
    saves the old version on any POST. So a POST there is refused here, and the version is
    shown with every field read-only.
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        request.viewing_a_version = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_readonly_fields(self, request, obj=None):
        if getattr(request, "viewing_a_version", False):
            return [field.name for field in self.opts.fields if field.editable]
        return super().get_readonly_fields(request, obj)


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
class AssessmentRoundAdmin(HistoryToReadAdmin):
    list_display = ["year", "title", "methodology_version", "status", "publication_at", "is_sample"]
    list_filter = ["status", "is_sample"]

    def get_readonly_fields(self, request, obj=None):
        # A round's status and publication time change in the workspace, which refuses
        # to schedule a round before every council is agreed.
        if getattr(request, "viewing_a_version", False):
            return super().get_readonly_fields(request, obj)
        if obj is None:
            return ["status", "publication_at"]
        return ["year", "methodology_version", "status", "publication_at"]

    def has_change_permission(self, request, obj=None):
        # What was published stays as it was published, title and all.
        if obj is not None and obj.is_published():
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A scheduled round has its ratings and is building its reports: deleting it would
        # take them all, published or about to be, around the workspace.
        if obj is not None and obj.status == models.RoundStatus.SCHEDULED:
            return False
        return super().has_delete_permission(request, obj)


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
class IndicatorValueAdmin(HistoryToReadAdmin):
    list_display = ["council", "round", "indicator", "value", "exempt"]
    list_filter = ["round", "indicator"]
    search_fields = ["council__name", "indicator__code"]
    list_select_related = ["council", "round", "indicator"]
    autocomplete_fields = ["council", "indicator"]

    # A published round's values are public figures: as the workspace, the admin leaves
    # them as they are.
    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.round.is_published():
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.round.is_published():
            return False
        return super().has_delete_permission(request, obj)


class ServiceJudgementInline(admin.TabularInline):
    model = models.ServiceJudgement
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.Rating)
class RatingAdmin(HistoryToReadAdmin):
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

    def has_delete_permission(self, request, obj=None):
        # Nor taken away: deleting a revision would bring back the one before it.
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
