"""Admin for every ratings model: the administrators' tool for reference data and fixes.

Ratings are read-only here: stars come from the rules engine through the services, so the
admin never lets anyone type a star count that the judgements do not give.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from simple_history.admin import SimpleHistoryAdmin

from . import models


class AssignActionForm(admin.helpers.ActionForm):
    """The action bar's extra fields for assigning councils to an inspector."""

    assign_round = forms.ModelChoiceField(
        queryset=models.AssessmentRound.objects.order_by("-year"), required=False, label="Round"
    )
    assign_inspector = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=False,
        label="Inspector",
    )


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
    # Inspectors are usually assigned by region: filter by region, select all, assign.
    action_form = AssignActionForm
    actions = ["assign"]

    def has_assign_permission(self, request):
        return request.user.has_perm("ratings.add_assignment") and request.user.has_perm(
            "ratings.change_assignment"
        )

    @admin.action(
        permissions=["assign"], description="Assign the selected councils to an inspector"
    )
    def assign(self, request, queryset):
        # The admin fills in the action bar's own "action" choices; only ours matter here.
        form = AssignActionForm(request.POST)
        form.fields["action"].choices = [("assign", "assign")]
        if not form.is_valid() or not (
            form.cleaned_data["assign_round"] and form.cleaned_data["assign_inspector"]
        ):
            self.message_user(request, "Choose a round and an inspector.", messages.ERROR)
            return
        round = form.cleaned_data["assign_round"]
        inspector = form.cleaned_data["assign_inspector"]
        if not inspector.has_perm("ratings.enter_judgements"):
            self.message_user(
                request,
                f"{inspector} is not an inspector; give them the role first.",
                messages.ERROR,
            )
            return
        for council in queryset:
            assignment = models.Assignment.objects.filter(round=round, council=council).first()
            if assignment is None:
                assignment = models.Assignment(round=round, council=council)
            assignment.inspector = inspector
            assignment._history_user = request.user
            assignment.save()
        self.message_user(
            request, f"{queryset.count()} councils assigned to {inspector} for {round.year}."
        )


@admin.register(models.Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["council", "round", "inspector"]
    list_filter = ["round", "council__region", "inspector"]
    search_fields = ["council__name", "inspector__username"]
    list_select_related = ["council", "round", "inspector"]
    autocomplete_fields = ["council"]


@admin.register(models.Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    """Read-only: judgements change in the workspace, where the rules are checked."""

    list_display = ["council", "round", "state", "correction", "updated_at"]
    list_filter = ["round", "state", "correction"]
    search_fields = ["council__name"]
    list_select_related = ["council", "round"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


@admin.register(models.DomainEvidence)
class DomainEvidenceAdmin(SimpleHistoryAdmin):
    list_display = ["council", "round", "domain"]
    list_filter = ["round", "domain"]
    search_fields = ["council__name"]
    list_select_related = ["council", "round", "domain"]


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
