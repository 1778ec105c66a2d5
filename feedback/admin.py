"""Feedback for staff to read: superusers, and anyone given ``feedback.view_pagefeedback``
(the Administrator role has it: ``workspace.roles``). Nobody adds or edits a visitor's
words; a row can be deleted by whoever may delete (superusers), for when someone has
written personal information into it despite the form asking them not to."""

from django.contrib import admin
from django.utils.text import Truncator

from .models import PageFeedback


class KindFilter(admin.SimpleListFilter):
    title = "what was sent"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [
            ("useful", "Useful: yes"),
            ("not-useful", "Useful: no"),
            ("problem", "A problem report"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "useful":
                return queryset.filter(useful=True)
            case "not-useful":
                return queryset.filter(useful=False)
            case "problem":
                return queryset.exclude(doing="", went_wrong="")
        return queryset


@admin.register(PageFeedback)
class PageFeedbackAdmin(admin.ModelAdmin):
    list_display = ["created_at", "path", "useful", "problem"]
    list_filter = [KindFilter, "useful", "created_at"]
    search_fields = ["path", "doing", "went_wrong"]
    date_hierarchy = "created_at"
    fields = ["created_at", "path", "useful", "doing", "went_wrong"]
    readonly_fields = fields
    list_per_page = 50

    @admin.display(description="problem reported")
    def problem(self, feedback: PageFeedback) -> str:
        text = " / ".join(part for part in (feedback.doing, feedback.went_wrong) if part)
        return Truncator(text).chars(120)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
