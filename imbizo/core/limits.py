"""How much people may write into one field, in one place.

A limit is checked by the model (max_length), the forms, the REST API's
schemas, Open311 and the bulk import; each reads it from here so that a
report one channel accepts is never refused, or cut short, by another.

A model's max_length is part of its migrations: changing a value here needs
`makemigrations`, and lowering one must first deal with stored rows that
are longer.
"""

# Free text a person writes: a case's description, an internal note, a
# reason, a root cause, a story, a visit's evidence. About two typed pages,
# more than any report needs; and a request with every field at this limit,
# even in a script of 4-byte characters, stays well inside the REST API's
# 64 KB body (api.parsing).
TEXT_MAX = 4000

# What the citizen is sent or shown as an update or a resolution note:
# shorter than TEXT_MAX because it goes out by SMS and email as written.
MESSAGE_MAX = 2000

# One line: whom a case was referred to, what came of a contact, an
# action's title, a focus group's topic, an erasure request's note.
LINE_MAX = 200

# A person's name as they give it (a case's citizen_name), or a story's title.
NAME_MAX = 160

# An address or a description of a place, as people write it.
ADDRESS_MAX = 255
