"""Viewflow's processes and tasks are changed only by the flows (which write the audit
events): the admin shows them read-only, and nothing can be deleted from it."""

from django.contrib import admin
from viewflow.workflow.admin import ProcessAdmin, TaskAdmin
from viewflow.workflow.models import Process, Task


class ReadOnlyMixin:
    actions = None

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyProcessAdmin(ReadOnlyMixin, ProcessAdmin):
    pass


class ReadOnlyTaskAdmin(ReadOnlyMixin, TaskAdmin):
    pass


for model, model_admin in ((Process, ReadOnlyProcessAdmin), (Task, ReadOnlyTaskAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
