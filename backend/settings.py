"""Every setting, limit and path of the server in one place, read from WENGERT_* variables."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Server settings; each field can be set as an environment variable ``WENGERT_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="WENGERT_")

    host: str = Field("127.0.0.1", description="Interface to listen on.")
    port: int = Field(8000, ge=0, le=65535, description="TCP port to listen on.")
    data_dir: Path = Field(Path("./data"), description="Directory for the SQLite store.")
    frontend_dist: Path = Field(
        REPO_ROOT / "frontend" / "dist", description="The built frontend served at /."
    )
    access_log: bool = Field(True, description="Log every request (uvicorn's access log).")
    max_tensor_elements: int = Field(1_000_000, ge=1, description="Largest tensor, in elements.")
    max_variables: int = Field(10_000, ge=1, description="Most variables in one workspace.")
    max_tape_length: int = Field(10_000, ge=1, description="Most nodes on one workspace's tape.")
    max_request_bytes: int = Field(16 * 1024 * 1024, ge=1024, description="Largest request body.")
    max_workspaces: int = Field(1_000, ge=1, description="Most workspaces the server keeps.")
    max_gradcheck_elements: int = Field(
        20_000, ge=1, description="Most input elements one gradcheck may perturb."
    )
    idle_expiry_seconds: int = Field(
        30 * 24 * 3600, ge=0, description="Delete workspaces unchanged this long; 0 keeps them."
    )
    expiry_check_seconds: float = Field(
        300, gt=0, description="How often to look for idle workspaces to delete."
    )


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (tests build their own Settings and pass them to create_app)."""
    return Settings()
