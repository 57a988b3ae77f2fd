"""Admin: letter templates (editable by the union, refused on a syntax error), issuing offices,
and read-only views of matters, letters and the append-only log."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    IssuingOffice,
    Letter,
    LetterRecipient,
    LetterTemplate,
    MatterEvent,
    SupervisionMatter,
)


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "updated_at")
    readonly_fields = ("updated_at",)
    fieldsets = (
        (None, {"fields": ("kind", "name", "source", "updated_at"),
                "description": _(
                    "Django模板语法。可用变量：letter（文书）、matter（事项）、recipient/recipients（受文单位）、"
                    "employer、violations、investigations、previous（前一文书）、previous_recipient、"
                    "recommended_actions、issuer_names、kind_title；过滤器 cn_date、cn_ordinal、yuan。"
                    "行首“=”居中标题、“#”加粗小标题、“>”右对齐、“|”不缩进。已发出的文书不受模板修改影响。"
                )}),
    )


@admin.register(IssuingOffice)
class IssuingOfficeAdmin(admin.ModelAdmin):
    list_display = ("agency", "doc_prefix", "committee_name", "signatory")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MatterEvent)
class MatterEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "matter", "action", "actor", "agency", "summary")
    list_filter = ("action",)


class RecipientInline(admin.TabularInline):
    model = LetterRecipient
    extra = 0
    can_delete = False
    fields = ("name", "delivery_method", "delivered_on", "receipt", "reply_kind", "replied_on", "verification")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Letter)
class LetterAdmin(ReadOnlyAdmin):
    list_display = ("doc_no", "kind", "matter", "issued_on", "content_sha256")
    list_filter = ("kind", "year")
    search_fields = ("doc_no", "matter__title")
    inlines = [RecipientInline]


@admin.register(SupervisionMatter)
class SupervisionMatterAdmin(ReadOnlyAdmin):
    list_display = ("matter_no", "title", "county", "status", "created_at")
    list_filter = ("status", "county")
    search_fields = ("matter_no", "title")
