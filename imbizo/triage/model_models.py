"""The triage model's tables (filled in by the model's versions)."""
