from django.contrib import admin

from .models import Agency, Employer, Staff, StaffRole, Worker


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 1


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "unit", "level", "county", "case_prefix"]
    list_filter = ["kind", "level", "county"]
    search_fields = ["name", "short_name"]


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ["full_name", "user", "agency"]
    list_filter = ["agency__kind", "agency__county"]
    search_fields = ["full_name", "user__username"]
    inlines = [StaffRoleInline]


class PersonalDataAdmin(admin.ModelAdmin):
    """Workers' and employers' data change only through the case services, which record
    each change as an audit event: the admin may look, not edit, add or delete."""

    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Employer)
class EmployerAdmin(PersonalDataAdmin):
    list_display = ["name", "credit_code", "county", "industry", "has_union"]
    list_filter = ["county", "industry", "has_union"]
    search_fields = ["name", "credit_code"]


@admin.register(Worker)
class WorkerAdmin(PersonalDataAdmin):
    list_display = ["name", "gender", "is_migrant"]
    search_fields = ["name"]
    exclude = []
