"""The rule every variable name follows, wherever a name is given: requests and programs."""

import re

NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]{0,63}$"
"""A letter or underscore, then letters, digits or underscores: 64 ASCII characters at most."""

NAME_RULE = "a name is a letter or _ followed by letters, digits or _, 64 ASCII characters at most"


def is_valid_name(name: str) -> bool:
    """Whether ``name`` follows the rule, so it can name a variable."""
    return re.fullmatch(NAME_PATTERN, name) is not None
