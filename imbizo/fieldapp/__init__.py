"""Imbizo's installable field app at /field/: offline first (service worker,
IndexedDB outbox), syncing to imbizo.field."""
