"""Admin for the workspace's records, and the council list's "assign to an inspector"
action (the administrators assign councils by region: filter, select all, assign)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model

from ratings.admin import CouncilAdmin, HistoryToReadAdmin
from ratings.models import AssessmentRound, Council

from . import models


class AssignActionForm(admin.helpers.ActionForm):
    """The action bar's extra fields for assigning councils to an inspector."""

    assign_round = forms.ModelChoiceField(
        queryset=AssessmentRound.objects.order_by("-year"), required=False, label="Round"
    )
    assign_inspector = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=False,
        label="Inspector",
    )


admin.site.unregister(Council)


@admin.register(Council)
class AssigningCouncilAdmin(CouncilAdmin):
    # Inspectors are usually assigned by region: filter by region, select all, assign.
    action_form = AssignActionForm
    actions = ["assign"]

    def has_assign_permission(self, request):
        return request.user.has_perm("workspace.add_assignment") and request.user.has_perm(
            "workspace.change_assignment"
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
        if not inspector.has_perm("workspace.enter_judgements"):
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
class AssignmentAdmin(HistoryToReadAdmin):
    list_display = ["council", "round", "inspector"]
    list_filter = ["round", "council__region", "inspector"]
    search_fields = ["council__name", "inspector__username"]
    list_select_related = ["council", "round", "inspector"]
    autocomplete_fields = ["council"]


@admin.register(models.Assessment)
class AssessmentAdmin(HistoryToReadAdmin):
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


@admin.register(models.DomainEvidence)
class DomainEvidenceAdmin(HistoryToReadAdmin):
    list_display = ["council", "round", "domain"]
    list_filter = ["round", "domain"]
    search_fields = ["council__name"]
    list_select_related = ["council", "round", "domain"]


@admin.register(models.CouncilContact)
class CouncilContactAdmin(HistoryToReadAdmin):
    """Who speaks for each council: administrators add a user (with the Council contact
    role) here, tied to one council."""

    list_display = ["user", "council", "job_title"]
    list_filter = ["council__region"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "council__name"]
    autocomplete_fields = ["council"]
    raw_id_fields = ["user"]
