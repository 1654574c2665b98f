"""Where kbo's reviewed data files are (`data/` in a checkout, `kbo_cli/data/` once installed), and the names
of their records."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from kbo_cli.i18n import Bilingual

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


def name_of(records: Mapping[str, Bilingual], code: str) -> str:
    """The name, in the user's language, of the record with this code; an unknown code as it is."""
    record = records.get(code)
    return record.name if record else code
