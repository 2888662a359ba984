"""Personal-data pages of the back office (see imbizo.backoffice)."""
