"""Where kbo's reviewed data files are: `data/` in a checkout, `kbo_cli/data/` once installed."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent.parent  # the kbo_cli package


@cache
def data_dir() -> Path:
    for candidate in (_HERE / "data", _HERE.parent / "data"):
        if (candidate / "standards.toml").is_file():
            return candidate
    raise RuntimeError("kbo's data files are missing: reinstall kbo (pip install .)")


def data_path(name: str) -> Path:
    return data_dir() / name


@cache
def load_toml(name: str) -> dict[str, Any]:
    with data_path(name).open("rb") as fh:
        return tomllib.load(fh)
