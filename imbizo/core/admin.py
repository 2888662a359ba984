"""Behaviour several apps' admin pages share. Nothing is registered here."""

from django.db.models import Model
from django.template.response import TemplateResponse


class ReadOnlyAdminMixin:
    """Rows shown in the admin but never added or changed there: they change
    through the services (back office, API, commands), which keep the rules
    and the history. Deleting is refused too unless `deletable` is set.

    For a ModelAdmin or an inline; put it before the Django class.
    """

    deletable = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.deletable and super().has_delete_permission(request, obj)


class ReadOnlyInlineMixin:
    """An inline that lists a record's rows as written (its `fields`, all
    read-only): no new rows, none removed. The record itself may stay
    editable. Put it before the Django inline class."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class SecretShownOnceAdminMixin:
    """Adds rows through a service that returns the row and a secret (an API
    key, a signing secret), and shows the secret on the one page that follows;
    it is never stored in the clear nor shown again. Editing a row saves it as
    any admin does.

    Give `created_template` (its context holds the row as
    `context_object_name` and the secret as `context_shown_once_name`) and
    `created_title`, and implement `create_with_secret`; put the mixin
    before ModelAdmin.
    """

    created_template: str
    created_title: str
    context_object_name = "object"
    context_shown_once_name = "secret"

    def create_with_secret(self, request, form) -> tuple[Model, str]:
        """Create the row from the valid add `form`: (row, secret). Raise
        ValidationError for a refusal the form could not foresee."""
        raise NotImplementedError

    def save_form(self, request, form, change):
        if change:
            return form.save(commit=False)
        obj, secret = self.create_with_secret(request, form)
        request._imbizo_secret = secret  # for response_add, this request only
        return obj

    def save_model(self, request, obj, form, change):
        # A new row has been saved by the service already.
        if change:
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    def response_add(self, request, obj, post_url_continue=None):
        # The secret is rendered into this one response instead of being carried
        # to the next page in the session (which would store it).
        return TemplateResponse(request, self.created_template, {
            **self.admin_site.each_context(request),
            "opts": self.opts, "title": self.created_title,
            self.context_object_name: obj,
            self.context_shown_once_name: request._imbizo_secret,
        })
