import datetime

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.admin import AuthTokenAdmin, AuthTokenCreateForm
from knox.models import AuthToken

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


class ExpiringTokenForm(AuthTokenCreateForm):
    """An API token issued in the admin expires too: within CONCORD_API_TOKEN_DAYS."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expiry"].required = True
        self.fields["expiry"].initial = timezone.now() + datetime.timedelta(days=settings.CONCORD_API_TOKEN_DAYS)

    def clean_expiry(self):
        expiry = self.cleaned_data["expiry"]
        now = timezone.now()
        if expiry <= now:
            raise ValidationError(_("到期时间应晚于现在。"))
        if expiry > now + datetime.timedelta(days=settings.CONCORD_API_TOKEN_DAYS, minutes=5):
            raise ValidationError(_("API 令牌最长有效%(n)d天。") % {"n": settings.CONCORD_API_TOKEN_DAYS})
        return expiry


admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class ExpiringTokenAdmin(AuthTokenAdmin):
    """knox's token admin, with a required expiry; the list shows the lookup prefix, not the digest."""

    add_form = ExpiringTokenForm
    list_display = ("token_key", "user", "created", "expiry")
