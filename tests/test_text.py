"""The one rule for control characters in text (initiatives/text.py)."""

import pytest
from django.core.exceptions import ValidationError

from initiatives.text import (
    control_character_error,
    first_control_character,
    strip_control_characters,
    validate_no_control_characters,
)


@pytest.mark.parametrize("character", ["\x00", "\x08", "\x0b", "\x0c", "\x1f", "\x7f", "\x85", "\ufffe"])
def test_a_control_character_is_found_with_its_position_and_code(character):
    assert first_control_character(f"ab{character}c") == (3, f"U+{ord(character):04X}")
    assert strip_control_characters(f"ab{character}c") == "abc"


@pytest.mark.parametrize("text", ["plain", "tab\tand\nnew line\r\n", "Überprüfung – “quoted” ²", ""])
def test_ordinary_text_with_tabs_and_line_breaks_is_clean(text):
    assert first_control_character(text) is None
    assert control_character_error(text) is None
    assert strip_control_characters(text) == text
    validate_no_control_characters(text)


def test_the_validator_says_which_character_and_where():
    with pytest.raises(ValidationError) as error:
        validate_no_control_characters("Delivered\x0b late")
    assert "U+000B" in str(error.value) and "character 10" in str(error.value)


def test_values_that_are_not_text_pass_unchanged():
    assert strip_control_characters(None) is None
    assert first_control_character(3) is None
