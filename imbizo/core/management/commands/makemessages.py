"""`makemessages` without gettext's fuzzy matching.

msgmerge guesses a translation for a new entry from a similar old one and
marks it fuzzy. Compiled catalogues leave fuzzy entries out, so the guess is
never shown, yet the entry looks translated to a tool that counts msgstrs;
and the guesses are often wrong (another sentence's words, a placeholder
lost). A new entry here starts empty, and the completeness test names it.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
