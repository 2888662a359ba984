"""The OpenRosa 1.0 server at /openrosa/: form list, XForms and submissions
for ODK Collect and Enketo, on top of imbizo.field."""
