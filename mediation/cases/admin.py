"""Cases are changed only through the flow; the admin shows the audit log read-only."""

from django.contrib import admin
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from mediation.lib.documents.sandbox import describe

from .models import CaseDocument, CaseDocumentTemplate, CaseEvent
from .paperwork import SPECIMEN


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


@admin.register(CaseDocumentTemplate)
class CaseDocumentTemplateAdmin(admin.ModelAdmin):
    """Editable by the union; the sandbox check refuses anything outside it with its line."""

    list_display = ["name", "kind", "updated_at"]
    readonly_fields = ["updated_at"]
    fieldsets = (
        (None, {"fields": ("kind", "name", "source", "updated_at"),
                "description": format_lazy("{}{}", _(
                    "文书模板在沙箱中渲染：只能使用下列字段，以及 if/for/with/firstof/comment 标签和"
                    "cn_date、cn_ordinal、yuan、default、length、join 等过滤器；不能使用 include、load、"
                    "debug 等标签。行首“=”居中标题、“#”加粗小标题、“>”右对齐、“|”不缩进、“~”签名栏。"
                    "已打印的文书不受模板修改影响。身份证号按打印人的权限脱敏。可用字段："
                ), "、".join(describe(SPECIMEN)))}),
    )


@admin.register(CaseDocument)
class CaseDocumentAdmin(admin.ModelAdmin):
    """Printed documents are frozen: read-only here."""

    list_display = ["created_at", "case", "kind", "doc_no", "title", "sha256"]
    list_filter = ["kind"]
    search_fields = ["case__case_no", "doc_no"]
    readonly_fields = [f.name for f in CaseDocument._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
