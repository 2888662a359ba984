"""How channels answer the hooks of apps below it (privacy)."""
