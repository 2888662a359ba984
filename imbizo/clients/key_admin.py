"""Admin for key clients and their contact persons (registered from the
AppConfig, so the clients app's admin.py stays the groups' own).

A contact person's phone_key and email_key are computed from the phone and
email on every save: they are how a caller is matched at intake, never typed.
"""

from django.contrib import admin
from django.utils import timezone

from .key_clients import contact_person_keys
from .key_models import Signal, Visit
from .models import ContactPerson, KeyClient


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    fields = ["name", "role", "phone", "email", "survey_consent", "active"]
    extra = 1


class VisitInline(admin.TabularInline):
    model = Visit
    fields = ["visited_on", "by", "notes", "actions_agreed", "next_visit_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    max_num = 0
    show_change_link = False


@admin.register(KeyClient)
class KeyClientAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "group", "account_manager", "office", "visit_every_days",
                    "active"]
    list_filter = ["kind", "group", "active"]
    search_fields = ["name"]
    list_select_related = ["group", "account_manager__user", "office"]
    autocomplete_fields = []
    inlines = [ContactPersonInline, VisitInline]

    def get_changeform_initial_data(self, request):
        return {"created_at": timezone.now(), **super().get_changeform_initial_data(request)}

    def save_formset(self, request, form, formset, change):
        if formset.model is ContactPerson:
            for person in formset.save(commit=False):
                contact_person_keys(person).save()
            for person in formset.deleted_objects:
                person.delete()
            formset.save_m2m()
            return
        super().save_formset(request, form, formset, change)


@admin.register(ContactPerson)
class ContactPersonAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "key_client", "survey_consent", "active"]
    list_filter = ["active", "survey_consent"]
    search_fields = ["name", "key_client__name"]
    list_select_related = ["key_client"]
    fields = ["key_client", "name", "role", "phone", "email", "survey_consent", "active"]

    def save_model(self, request, obj, form, change):
        contact_person_keys(obj).save()


@admin.register(Signal)
class SignalAdmin(admin.ModelAdmin):
    list_display = ["key_client", "kind", "case", "at", "recorded_at"]
    list_filter = ["kind"]
    list_select_related = ["key_client", "case"]
    readonly_fields = ["key_client", "case", "kind", "at", "recorded_by", "recorded_at"]
    fields = readonly_fields + ["corrective_action"]

    def has_add_permission(self, request):
        return False
