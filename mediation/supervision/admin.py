"""Admin: letter templates (editable by the union, refused on a syntax error), issuing offices,
and read-only views of matters, letters and the append-only log."""

from django.contrib import admin
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from mediation.lib.documents.sandbox import describe

from .documents import LETTER_SPECIMEN
from .models import (
    IssuingOffice,
    Letter,
    LetterDraft,
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
                "description": format_lazy("{}{}", _(
                    "文书模板在沙箱中渲染：只能使用下列字段，以及 if/for/with/firstof/comment 标签和"
                    "cn_date、cn_ordinal、yuan、default、length、join 等过滤器；不能使用 include、load、"
                    "debug 等标签。行首“=”居中标题、“#”加粗小标题、“>”右对齐、“|”不缩进。"
                    "已发出的文书不受模板修改影响。可用字段："
                ), "、".join(describe(LETTER_SPECIMEN)))}),
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


@admin.register(LetterDraft)
class LetterDraftAdmin(ReadOnlyAdmin):
    list_display = ("matter", "kind", "subject", "state", "drafted_by", "reviewed_by", "reviewed_at")
    list_filter = ("kind", "state")
