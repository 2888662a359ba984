"""Community outreach: imbizo meetings and the commitments made at them,
service interruptions told at once to the wards they hit, and the alerts
that citizens subscribe to. See docs/outreach.md."""
