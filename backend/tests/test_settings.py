"""Settings come from WENGERT_* environment variables, and bad values are refused."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from backend.settings import Settings


def test_wengert_variables_set_the_settings(monkeypatch, tmp_path):
    for name, value in {
        "WENGERT_DATA_DIR": str(tmp_path / "elsewhere"),
        "WENGERT_PORT": "9123",
        "WENGERT_ACCESS_LOG": "false",
        "WENGERT_MAX_VARIABLES": "7",
        "WENGERT_MAX_TAPE_LENGTH": "11",
        "WENGERT_IDLE_EXPIRY_SECONDS": "0",
        "WENGERT_EXPIRY_CHECK_SECONDS": "2.5",
    }.items():
        monkeypatch.setenv(name, value)
    settings = Settings()
    assert settings.data_dir == Path(tmp_path / "elsewhere")
    assert settings.port == 9123
    assert settings.access_log is False
    assert (settings.max_variables, settings.max_tape_length) == (7, 11)
    assert (settings.idle_expiry_seconds, settings.expiry_check_seconds) == (0, 2.5)


def test_variables_without_the_prefix_are_ignored(monkeypatch):
    monkeypatch.setenv("MAX_VARIABLES", "7")
    assert Settings().max_variables == 10_000


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("WENGERT_PORT", "70000"),
        ("WENGERT_MAX_TAPE_LENGTH", "0"),
        ("WENGERT_MAX_REQUEST_BYTES", "100"),
        ("WENGERT_IDLE_EXPIRY_SECONDS", "-1"),
        ("WENGERT_EXPIRY_CHECK_SECONDS", "0"),
        ("WENGERT_MAX_VARIABLES", "many"),
    ],
)
def test_an_invalid_variable_is_refused_naming_the_setting(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as refused:
        Settings()
    field = name.removeprefix("WENGERT_").lower()
    assert [error["loc"] for error in refused.value.errors()] == [(field,)]
