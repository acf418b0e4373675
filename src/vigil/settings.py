"""Settings: shipped defaults (``data/settings.toml``), overridden by a user TOML file
(``--config`` or ``$VIGIL_CONFIG``) and then by ``VIGIL_<NAME>`` environment variables. Each
layer overrides only what it sets."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from vigil.errors import ResourceError


@dataclass(frozen=True)
class Settings:
    db: str = "sqlite:///vigil.db"
    model: str = "en_core_web_sm"
    home: str = "~/.local/share/vigil"
    gazetteer: str = ""
    batch_size: int = 32
    max_file_mb: float = 20.0
    api_key: str = ""
    tiles: str = ""

    @property
    def home_path(self) -> Path:
        return Path(os.path.expanduser(self.home))

    @property
    def gazetteer_path(self) -> Path:
        """The gazetteer index; by default under ``home``."""
        return Path(os.path.expanduser(self.gazetteer)) if self.gazetteer else self.home_path / "gazetteer.sqlite"


def _coerce(name: str, raw: Any) -> Any:
    kind = type(getattr(Settings(), name))
    try:
        return kind(raw)
    except (TypeError, ValueError) as exc:
        raise ResourceError(f"setting {name}: {raw!r} is not a {kind.__name__}") from exc


def load_settings(config: Path | None = None, env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ) if env is None else env
    values: dict[str, Any] = {}
    layers: list[tuple[str, dict[str, Any]]] = [
        ("shipped defaults", tomllib.loads(resources.files("vigil.data").joinpath("settings.toml").read_text()))
    ]
    path = config or (Path(env["VIGIL_CONFIG"]) if env.get("VIGIL_CONFIG") else None)
    if path is not None:
        try:
            layers.append((str(path), tomllib.loads(path.read_text())))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ResourceError(f"config {path}: {exc}") from exc
    names = {f.name for f in dataclasses.fields(Settings)}
    for where, layer in layers:
        for key, raw in layer.items():
            if key not in names:
                raise ResourceError(f"{where}: unknown setting {key!r}; valid: {', '.join(sorted(names))}")
            values[key] = _coerce(key, raw)
    for name in names:
        raw = env.get(f"VIGIL_{name.upper()}")
        if raw is not None:
            values[name] = _coerce(name, raw)
    return Settings(**values)
