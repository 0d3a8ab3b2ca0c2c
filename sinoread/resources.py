"""Where the bundled seeds and default config live, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    installed = _PACKAGE / "_bundled" / name
    if installed.exists():
        return installed
    return _PACKAGE.parent / name  # a source checkout or editable install


def bundled_seeds_path() -> Path:
    return _bundled("seeds")


def bundled_config_path() -> Path:
    return _bundled("config.yaml")
