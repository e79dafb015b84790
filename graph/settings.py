"""Every setting of ipcredit, read once from the environment (and an optional `.env` file)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def _env(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class Settings(BaseSettings):
    """One class for every setting, so there is one place to look.

    The Neo4j connection uses the conventional `NEO4J_*` names; everything else is `IPCREDIT_*`.
    When `NEO4J_URI` is unset, the local Neo4j under `local_data_dir` is used (and started by the
    commands that need it).
    """

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    neo4j_uri: str | None = Field(default=None, validation_alias=_env("NEO4J_URI"))
    neo4j_user: str = Field(default="neo4j", validation_alias=_env("NEO4J_USER", "NEO4J_USERNAME"))
    neo4j_password: SecretStr = Field(default=SecretStr(""), validation_alias=_env("NEO4J_PASSWORD"))
    neo4j_database: str = Field(default="neo4j", validation_alias=_env("NEO4J_DATABASE"))

    batch_size: int = Field(default=5000, ge=1, le=200_000, validation_alias=_env("IPCREDIT_BATCH_SIZE"))

    local_data_dir: Path = Field(default=Path(".ipcredit/neo4j"), validation_alias=_env("IPCREDIT_LOCAL_DATA_DIR"))
    local_port: int = Field(default=7687, ge=1, le=65535, validation_alias=_env("IPCREDIT_LOCAL_PORT"))
    local_heap: str = Field(default="2g", pattern=r"^\d+[kmgKMG]$", validation_alias=_env("IPCREDIT_LOCAL_HEAP"))
    local_pagecache: str = Field(
        default="1g", pattern=r"^\d+[kmgKMG]$", validation_alias=_env("IPCREDIT_LOCAL_PAGECACHE")
    )
    local_tx_memory: str = Field(
        default="1g", pattern=r"^\d+[kmgKMG]$", validation_alias=_env("IPCREDIT_LOCAL_TX_MEMORY")
    )
    local_start_timeout_s: float = Field(default=120.0, gt=0, validation_alias=_env("IPCREDIT_LOCAL_START_TIMEOUT"))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    return Settings()
