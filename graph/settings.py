"""Every setting of ipcredit, read once from the environment (and an optional `.env` file)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ApiRole = Literal["public", "investigator", "analyst", "admin"]
MIN_REDACTED = 6  # shortest secret value redacted from written files


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

    # the server secret behind keyed hashes (opaque uids of persons and contact points, audit actor ids,
    # public pseudonyms); unset: one is made once and kept in `.ipcredit/secret` (mode 600)
    secret: SecretStr = Field(default=SecretStr(""), validation_alias=_env("IPCREDIT_SECRET"))
    secret_file: Path = Field(default=Path(".ipcredit/secret"), validation_alias=_env("IPCREDIT_SECRET_FILE"))

    # HTTP API (api/): keys and roles, batch limit, fail-fast database access, demo data folder
    api_keys: Annotated[dict[str, ApiRole], NoDecode] = Field(
        default_factory=dict, validation_alias=_env("IPCREDIT_API_KEYS")
    )
    batch_limit: int = Field(default=100, ge=1, le=10_000, validation_alias=_env("IPCREDIT_BATCH_LIMIT"))
    api_db_timeout_s: float = Field(default=1.0, gt=0, validation_alias=_env("IPCREDIT_API_DB_TIMEOUT"))
    api_down_cache_s: float = Field(default=2.0, ge=0, le=60, validation_alias=_env("IPCREDIT_API_DOWN_CACHE_S"))
    max_body_bytes: int = Field(default=1_000_000, ge=1_000, validation_alias=_env("IPCREDIT_MAX_BODY_BYTES"))
    # server-side loads (`POST /load`) read only regular files inside this folder, each at most this big
    import_dir: Path = Field(default=Path(".ipcredit/import"), validation_alias=_env("IPCREDIT_IMPORT_DIR"))
    import_max_bytes: int = Field(default=2_000_000_000, ge=1, validation_alias=_env("IPCREDIT_IMPORT_MAX_BYTES"))
    shared_data_dir: Path | None = Field(default=None, validation_alias=_env("IPCREDIT_SHARED_DATA"))
    cypher_timeout_s: float = Field(default=10.0, gt=0, le=3600, validation_alias=_env("IPCREDIT_CYPHER_TIMEOUT_S"))
    cypher_max_rows: int = Field(default=1000, ge=1, le=1_000_000, validation_alias=_env("IPCREDIT_CYPHER_MAX_ROWS"))
    cypher_max_bytes: int = Field(
        default=5_000_000, ge=1_000, le=1_000_000_000, validation_alias=_env("IPCREDIT_CYPHER_MAX_BYTES")
    )
    # the day credit is evaluated as of when none is given (unset: today, UTC); the demo pins it to the
    # anchor of its synthetic dates, so planted records stay in force as the calendar moves
    as_of: date | None = Field(default=None, validation_alias=_env("IPCREDIT_AS_OF"))
    # seconds between webhook delivery rounds of the API (0, the default: webhooks are not delivered)
    webhook_interval_s: float = Field(default=0.0, ge=0, validation_alias=_env("IPCREDIT_WEBHOOK_INTERVAL_S"))
    # staff keys scoped to a region (`key:4403,key2:11`): the key sees only subjects whose division code
    # starts with that prefix (a city office sees its city)
    api_key_regions: Annotated[dict[str, str], NoDecode] = Field(
        default_factory=dict, validation_alias=_env("IPCREDIT_API_KEY_REGIONS")
    )

    def secret_values(self) -> list[str]:
        """Every secret value these settings hold (each `SecretStr` field and the API keys), for redaction
        in files ipcredit writes; short values are left out (they would blank out ordinary text)."""
        values = [v.get_secret_value() for v in self.__dict__.values() if isinstance(v, SecretStr)]
        values += [*self.api_keys, *self.api_key_regions]
        return sorted({v for v in values if len(v) >= MIN_REDACTED}, key=len, reverse=True)

    @field_validator("api_key_regions", mode="before")
    @classmethod
    def _parse_key_regions(cls, value: object) -> object:
        """`key:region,key:region` (a 2-6 digit division-code prefix) into a mapping."""
        if not isinstance(value, str):
            return value
        pairs: dict[str, str] = {}
        for item in filter(None, (part.strip() for part in value.split(","))):
            key, sep, region = item.rpartition(":")
            region = region.strip()
            if not sep or not key.strip() or not (region.isdigit() and 2 <= len(region) <= 6):
                raise ValueError(f"IPCREDIT_API_KEY_REGIONS: expected key:division-code pairs, got {item!r}")
            pairs[key.strip()] = region
        return pairs

    @field_validator("api_keys", mode="before")
    @classmethod
    def _parse_api_keys(cls, value: object) -> object:
        """`key:role,key:role` (roles: public, investigator, analyst, admin) into a mapping."""
        if not isinstance(value, str):
            return value
        pairs: dict[str, str] = {}
        for item in filter(None, (part.strip() for part in value.split(","))):
            key, sep, role = item.rpartition(":")
            if not sep or not key.strip() or not role.strip():
                raise ValueError(f"IPCREDIT_API_KEYS: expected key:role pairs separated by commas, got {item!r}")
            if key.strip() in pairs:
                raise ValueError("IPCREDIT_API_KEYS: a key is listed twice")
            pairs[key.strip()] = role.strip().lower()
        return pairs


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    return Settings()
