"""Survey invitations answered by text, one 1-5 reply per question."""


def answer(*, channel: str, address: str, text: str) -> str | None:
    return None
