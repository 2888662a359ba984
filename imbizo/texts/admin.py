"""The translation editor in the admin: each translatable object's English
beside its translation in one enabled language, with draft/reviewed status,
placeholder checks and, for SMS-bound text, the encoding and segments shown
live and a GSM-7 wording to approve."""

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imbizo.core.errors import DomainError
from imbizo.core.languages import ENDONYMS
from imbizo.notify.segments import sms_gsm7_variant, sms_length, sms_normalise

from .editor import pieces_for
from .languages import translation_languages
from .models import ContentTranslation
from .registry import TRANSLATABLE
from .services import translation_save


class StatusFilter(admin.SimpleListFilter):
    title = gettext_lazy("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("draft", gettext_lazy("Draft")), ("reviewed", gettext_lazy("Reviewed"))]

    def queryset(self, request, queryset):
        if self.value() == "draft":
            return queryset.filter(reviewed_at__isnull=True)
        if self.value() == "reviewed":
            return queryset.filter(reviewed_at__isnull=False)
        return queryset


@admin.register(ContentTranslation)
class ContentTranslationAdmin(admin.ModelAdmin):
    list_display = ["content_type", "object_id", "field", "language", "text", "status",
                    "gsm_status"]
    list_filter = ["language", StatusFilter, "content_type"]
    search_fields = ["text", "source_text"]
    list_select_related = ["content_type"]
    fields = ["content_type", "object_id", "field", "language", "source_text", "text",
              "gsm_text", "reviewed_by", "reviewed_at", "gsm_approved_by", "gsm_approved_at"]
    readonly_fields = ["content_type", "object_id", "field", "language", "source_text",
                       "reviewed_by", "reviewed_at", "gsm_approved_by", "gsm_approved_at"]

    def has_add_permission(self, request) -> bool:
        return False  # added from an object's editor, where the English is beside it

    @admin.display(description=gettext_lazy("status"))
    def status(self, row: ContentTranslation) -> str:
        return _("Reviewed") if row.reviewed_at else _("Draft")

    @admin.display(description=gettext_lazy("SMS wording"))
    def gsm_status(self, row: ContentTranslation) -> str:
        if not row.gsm_text:
            return ""
        return _("approved") if row.gsm_approved_at else _("waiting for approval")

    def save_model(self, request, obj, form, change) -> None:
        # An edit here is a new draft: a reviewer marks it reviewed in the editor.
        obj.reviewed_by = obj.reviewed_at = None
        obj.gsm_approved_by = obj.gsm_approved_at = None
        super().save_model(request, obj, form, change)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("translate/", view(self.index_view), name="texts_translate_index"),
            path("translate/count/", view(self.count_view), name="texts_translate_count"),
            path("translate/<str:label>/<int:pk>/<str:language>/", view(self.translate_view),
                 name="texts_translate"),
        ] + super().get_urls()

    def _check(self, request) -> None:
        if not self.has_change_permission(request):
            raise PermissionDenied

    def index_view(self, request):
        """Translatable content by kind, with how much is translated in each language."""
        self._check(request)
        languages = translation_languages()
        kinds = []
        for label in TRANSLATABLE:
            model = apps.get_model(label)
            if label not in ("catalogue.service", "engagement.instrument", "engagement.looprule"):
                continue  # edited on their parent's page
            content_type = ContentType.objects.get_for_model(model)
            objects = list(model.objects.all()[:500])
            done = {}
            for object_id, language in ContentTranslation.objects.filter(
                    content_type=content_type, language__in=languages,
            ).values_list("object_id", "language"):
                done[(object_id, language)] = done.get((object_id, language), 0) + 1
            kinds.append({"label": label, "name": model._meta.verbose_name_plural, "objects": [
                {"obj": o, "counts": [(code, done.get((o.pk, code), 0)) for code in languages]}
                for o in objects]})
        return render(request, "admin/texts/index.html", {
            **self.admin_site.each_context(request), "title": _("Translate content"),
            "kinds": kinds, "languages": [(c, ENDONYMS[c]) for c in languages],
        })

    def count_view(self, request):
        """The encoding and segments of `text` as an SMS, and a GSM-7 wording by
        `language`'s rules when it falls to UCS-2 (the editor's live counter)."""
        self._check(request)
        text = request.GET.get("text", "")[:2000]
        language = request.GET.get("language", "")
        length = sms_length(sms_normalise(text))
        variant = sms_gsm7_variant(text, language) if length.encoding != "GSM-7" else None
        return JsonResponse({"encoding": length.encoding, "units": length.units,
                             "segments": length.segments, "variant": variant or ""})

    def translate_view(self, request, label: str, pk: int, language: str):
        self._check(request)
        if label not in TRANSLATABLE or language not in translation_languages():
            raise Http404
        obj = apps.get_model(label).objects.filter(pk=pk).first()
        if obj is None:
            raise Http404
        pieces = pieces_for(obj, language)
        errors = {}
        if request.method == "POST":
            errors = self._save(request, pieces, language)
            if not errors:
                messages.success(request, _("Translations saved."))
                return HttpResponseRedirect(request.path)
        for piece in pieces:
            piece.error = errors.get(piece.prefix, "")
            piece.posted = request.POST.get(piece.prefix) if errors else None
            piece.offered_variant_text = piece.offered_variant(language)
        return render(request, "admin/texts/translate.html", {
            **self.admin_site.each_context(request),
            "title": _("Translate %(object)s into %(language)s")
            % {"object": obj, "language": ENDONYMS[language]},
            "obj": obj, "label": label, "language": language, "pieces": pieces,
            "language_name": ENDONYMS[language],
            "languages": [(c, ENDONYMS[c]) for c in translation_languages()],
            "count_url": reverse("admin:texts_translate_count"), "has_errors": bool(errors),
        })

    def _save(self, request, pieces, language) -> dict[str, str]:
        """Save every piece of the form, or none (the first error rolls all back)."""
        errors = {}
        try:
            with transaction.atomic():
                for piece in pieces:
                    try:
                        translation_save(
                            obj=piece.obj, key=piece.source.key, language=language,
                            text=request.POST.get(piece.prefix, ""),
                            gsm_text=request.POST.get(f"{piece.prefix}-gsm", ""),
                            reviewed=bool(request.POST.get(f"{piece.prefix}-reviewed")),
                            gsm_approved=bool(request.POST.get(f"{piece.prefix}-gsm-ok")),
                            user=request.user)
                    except DomainError as error:
                        errors[piece.prefix] = error.message
                if errors:
                    raise _Refused
        except _Refused:
            pass
        return errors


class _Refused(Exception):
    """Rolls back a form with errors."""

