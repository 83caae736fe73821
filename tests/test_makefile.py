"""`make run` installs what serving needs; `make test` adds the test tools (dry runs of make
on a virtual environment that does not exist, so nothing is installed)."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def dry_run(target: str, tmp_path: Path, **variables: str) -> str:
    args = [f"{k}={v}" for k, v in {"VENV": str(tmp_path / "venv"), **variables}.items()]
    result = subprocess.run(
        ["make", "-n", "-C", str(ROOT), target, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_make_run_installs_the_runtime_dependencies_only(tmp_path):
    commands = dry_run("run", tmp_path)
    assert "pip install --quiet -e .\n" in commands
    assert "[test]" not in commands
    assert "serve --port 8000" in commands


def test_make_test_adds_the_test_extra(tmp_path):
    commands = dry_run("test", tmp_path)
    assert "pip install --quiet -e '.[test]'" in commands
    assert "pytest" in commands and "ruff check" in commands


def test_make_run_passes_its_port_to_every_command(tmp_path):
    # `export PORT`: migrate and load-demo read it in the settings, as serve does.
    makefile = (ROOT / "Makefile").read_text()
    assert "export PORT ?= 8000" in makefile
    assert "serve --port 9000" in dry_run("run", tmp_path, PORT="9000")


def test_ci_still_runs_make_test():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
