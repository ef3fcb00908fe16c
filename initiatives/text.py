"""The one rule for text the tracker accepts: no control characters.

A control character (a C0 control other than tab, line feed and carriage return, DEL, a C1 control, or
the non-characters U+FFFE and U+FFFF) is invisible, means nothing in a narrative, and cannot be written to
XML (Atom feeds) or XLSX at all. Input (forms, imports, API) refuses it with `control_character_error`;
output (feeds, exports) removes whatever an older version let in with `strip_control_characters`.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def first_control_character(text: str) -> tuple[int, str] | None:
    """(position from 1, "U+000B") of the first control character in `text`, or None when there is none."""
    match = CONTROL_CHARACTERS.search(text) if isinstance(text, str) else None
    if match is None:
        return None
    return match.start() + 1, f"U+{ord(match.group()):04X}"


def control_character_error(text: str) -> str | None:
    """A reader's explanation of the first control character in `text`, or None when it is clean."""
    found = first_control_character(text)
    if found is None:
        return None
    position, code = found
    return _("contains an invisible control character (%(code)s) at character %(position)s; remove it "
             "(it often comes from copying text out of another program).") % {"code": code, "position": position}


def validate_no_control_characters(value) -> None:
    """A Django validator: refuse text that holds a control character, saying which and where."""
    message = control_character_error(value)
    if message is not None:
        raise ValidationError(_("This text %(reason)s") % {"reason": message}, code="control_character")


def strip_control_characters(text):
    """`text` without its control characters (anything that is not a string is returned unchanged)."""
    return CONTROL_CHARACTERS.sub("", text) if isinstance(text, str) else text
