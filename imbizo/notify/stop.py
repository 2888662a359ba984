"""The template of the one message an address that opted out still gets."""

STOP_CONFIRMATION = "channels/stopped"
