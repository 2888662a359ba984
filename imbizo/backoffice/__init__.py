"""Staff pages (interface only), one sub-package per area of work:

- cases/: the case queues (also the staff home), intake and caller lookup,
  a case and its actions, ratings, the citizen's journey;
- quality/: the service quality programme;
- privacy/: the access log and citizens' requests about their data.

Shared by every area: sign-in and the second factor (otp.py), the counter's
feedback QR poster (qr.py), the home and nav templates, and the template tags
(templatetags/, which Django loads only from the app's top level).
"""
