"""Pages of the service quality programme (see imbizo.backoffice)."""
