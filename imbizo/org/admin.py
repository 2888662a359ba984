from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Department, Institution, Office, Staff
from .selectors import reporting_line_problem


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "time_zone", "phone", "email"]

    def has_add_permission(self, request):
        # One institution per instance.
        return not Institution.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class OfficeInline(admin.TabularInline):
    model = Office
    fields = ["code", "name", "region", "phone", "opening_hours"]
    extra = 0
    show_change_link = True


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "head"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["head"]
    inlines = [OfficeInline]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "department", "region", "is_public", "auto_assign"]
    list_filter = ["department", "region", "is_public", "auto_assign"]
    search_fields = ["code", "name", "address"]
    list_select_related = ["department", "region"]


class StaffForm(forms.ModelForm):
    """Checks the reporting line: nobody reports to themself or round in a circle."""

    class Meta:
        model = Staff
        fields = ["user", "role", "department", "office", "job_title", "phone", "active",
                  "manager", "left_at"]

    def clean(self):
        data = super().clean()
        problem = reporting_line_problem(self.instance, data.get("manager"))
        if problem:
            self.add_error("manager", problem)
        return data


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    form = StaffForm
    list_display = ["__str__", "username", "role", "department", "office", "manager", "active"]
    list_filter = ["role", "active", "department", "office"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    list_select_related = ["user", "department", "office", "manager__user"]
    autocomplete_fields = ["user", "manager"]

    @admin.display(description=_("username"), ordering="user__username")
    def username(self, obj):
        return obj.user.username
