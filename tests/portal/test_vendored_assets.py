"""The vendored front-end: licensed, versioned, local, and deployable."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "imbizo" / "static" / "vendor"
TEMPLATES = ROOT / "imbizo" / "templates"
LIBRARIES = sorted(p for p in VENDOR.iterdir() if p.is_dir())


def test_the_expected_libraries_are_vendored():
    assert {p.name for p in LIBRARIES} >= {"bootstrap", "htmx"}
    assert (ROOT / "tests" / "browser" / "vendor" / "axe-core" / "axe.min.js").is_file()


@pytest.mark.parametrize("library", LIBRARIES, ids=lambda p: p.name)
def test_each_library_carries_its_licence_and_version(library):
    assert (library / "LICENSE").stat().st_size > 0
    version = (library / "VERSION").read_text(encoding="utf-8")
    assert re.search(r"\d+\.\d+\.\d+", version)
    assert "npm" in version
    assert library.name.split("-")[0] in (VENDOR / "README.md").read_text(encoding="utf-8").lower()


def test_templates_load_nothing_from_another_site():
    remote = re.compile(r"""<(?:script|link)[^>]+(?:src|href)=["'](?:https?:)?//""", re.IGNORECASE)
    offenders = [str(p.relative_to(ROOT)) for p in TEMPLATES.rglob("*.html")
                 if remote.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_collectstatic_with_the_production_storage_succeeds(tmp_path):
    # The manifest storage refuses a file that points at a missing one (for
    # example a source map that was not vendored).
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)

    assert (tmp_path / "staticfiles.json").is_file()
