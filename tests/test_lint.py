"""The tools agree with the code: ruff's lint rules and its formatter, and mypy in strict mode (all configured in
pyproject.toml). Each runs from the environment pytest runs in (`sys.executable -m ...`), so the versions the test
extra installs are the ones used; each failure shows the tool's own report."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SOURCES = ["kbo_cli", "tests", "bench"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, check=False)


def _needs(module: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        importlib.util.find_spec(module) is None,
        reason=f"{module} is installed with the test extras: pip install '.[test]'",
    )


@_needs("ruff")
def test_ruff_finds_no_mistakes() -> None:
    result = _run("ruff", "check", *SOURCES)
    assert result.returncode == 0, result.stdout + result.stderr


@_needs("ruff")
def test_ruff_format_leaves_the_code_as_it_is() -> None:
    result = _run("ruff", "format", "--check", "--diff", *SOURCES)
    assert result.returncode == 0, result.stdout + result.stderr


@_needs("mypy")
@pytest.mark.slow
def test_mypy_strict_finds_no_type_errors() -> None:
    result = _run("mypy", "--strict", "kbo_cli")
    assert result.returncode == 0, result.stdout + result.stderr
