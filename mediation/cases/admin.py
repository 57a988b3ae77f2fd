"""Cases are changed only through the flow; the admin shows the audit log read-only."""

from django.contrib import admin

from .models import CaseEvent


@admin.register(CaseEvent)
class CaseEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "case", "action", "actor", "agency", "summary"]
    list_filter = ["action", "agency"]
    search_fields = ["case__case_no", "summary"]
    readonly_fields = [f.name for f in CaseEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
