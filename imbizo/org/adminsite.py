"""Django's admin with Imbizo's gate (INSTALLED_APPS names this instead of
django.contrib.admin): see imbizo.org.authorisation.ImbizoAdminSite."""

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    default_site = "imbizo.org.authorisation.ImbizoAdminSite"
