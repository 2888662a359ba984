"""The `imbizo` command: Django management commands under friendlier names.

    imbizo run | worker | demo | import-services FILE | import-wards FILE |
    import-places FILE | ...

Any other word is passed to Django as it is (`imbizo migrate`, `imbizo shell`).
"""

import os
import sys

from django.core.management import execute_from_command_line


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
