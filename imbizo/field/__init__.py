"""Field capture door to door: household needs surveys and cases recorded on
a phone, received exactly once from Imbizo's field app and from OpenRosa
clients (ODK Collect, Enketo). See docs/field.md."""
