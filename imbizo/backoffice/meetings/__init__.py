"""Staff pages of outreach meetings and commitments (issue 16)."""
