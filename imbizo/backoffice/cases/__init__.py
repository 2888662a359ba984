"""Case work pages of the back office (see imbizo.backoffice)."""
