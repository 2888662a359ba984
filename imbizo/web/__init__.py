"""What the web interfaces share: form styling and the form field template.

An interface-level package: the portal and the back office (and any later
staff or citizen pages) import it; no domain app may (import-linter). It is
neither portal nor backoffice, so that neither interface imports the other,
and not core, because Bootstrap classes and templates are presentation, not
the kernel every domain app builds on. It is a Django app so that its
templates (web/_field.html) load.
"""
