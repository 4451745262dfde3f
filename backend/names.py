"""The rule every variable name follows, wherever a name is given: requests and programs."""

import re

NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]{0,63}$"
"""A letter or underscore, then letters, digits or underscores: 64 ASCII characters at most."""

NAME_RULE = "a name is a letter or _ followed by letters, digits or _, 64 ASCII characters at most"


def is_valid_name(name: str) -> bool:
    """Whether ``name`` follows the rule, so it can name a variable."""
    return re.fullmatch(NAME_PATTERN, name) is not None


GROUP_PATTERN = r"^[A-Za-z0-9_]{1,64}(\.[A-Za-z0-9_]{1,64}){0,15}$"
"""A module's qualified name: parts of letters, digits or _ joined by dots (``layers.0.fc``)."""

GROUP_RULE = "a group is a module's qualified name: parts of letters, digits or _ joined by dots"


def is_valid_group(group: str) -> bool:
    """Whether ``group`` follows the rule, so it can name a module group."""
    return re.fullmatch(GROUP_PATTERN, group) is not None
