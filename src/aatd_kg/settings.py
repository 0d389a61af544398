"""Every setting of AATD-KG in one place: environment variables ``AATD_KG_*`` and CLI flags."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from aatd_kg.prefixes import DEFAULT_BASE, normalize_base


class Settings(BaseSettings):
    """Validated settings; CLI flags override environment variables, which override defaults."""

    model_config = SettingsConfigDict(env_prefix="AATD_KG_", extra="forbid")

    base_iri: str = Field(DEFAULT_BASE, description="Base of every IRI in the data.")
    release: Path = Field(Path("dist"), description="Release directory to build into / serve.")
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=0, le=65535)
    public_base: str | None = Field(
        None, description="Where the server is reachable (defaults to http://host:port/)."
    )
    query_timeout: float = Field(10.0, gt=0, description="Seconds before a query is stopped.")
    max_results: int = Field(100_000, gt=0, description="Result rows or triples at most.")
    max_request_bytes: int = Field(1_000_000, gt=0, description="Largest request body.")
    query_workers: int = Field(2, ge=1, description="Worker processes that run SPARQL queries.")
    store_dir: Path | None = Field(
        None, description="On-disk (RocksDB) store for big releases, shared read-only by the "
        "query workers; default: each worker holds the release in memory."
    )
    service_allowlist: list[str] = Field(
        default_factory=list, description="SERVICE IRIs a query may call (default: none)."
    )

    @field_validator("base_iri")
    @classmethod
    def _base(cls, value: str) -> str:
        return normalize_base(value)

    @field_validator("public_base")
    @classmethod
    def _public(cls, value: str | None) -> str | None:
        return None if value is None else normalize_base(value)

    @property
    def served_base(self) -> str:
        """The base IRI under which this server answers."""
        return self.public_base or f"http://{self.host}:{self.port}/"


#: Directory holding the hand-edited sources (the repository root by default).
def project_root() -> Path:
    """The directory holding ``ontology/``, ``data/``, ``shapes/`` and ``release.toml``."""
    here = Path.cwd()
    for candidate in (here, *here.parents):
        if (candidate / "release.toml").is_file() and (candidate / "data").is_dir():
            return candidate
    return here
