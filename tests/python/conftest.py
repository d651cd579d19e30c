"""Shared fixtures of the redress pytest suite.

Run through CTest (`python.pytest`, which sets PYTHONPATH to the build's package directory and
REDRESS_CLI to the built CLI), or by hand:

    PYTHONPATH=build/python /usr/bin/python3 -m pytest -q tests/python
"""

import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

import redress

SOURCE_DIR = Path(os.environ.get("REDRESS_SOURCE_DIR", Path(__file__).resolve().parents[2]))
# The API tests read a frozen copy of the bundled pack's first edition, so that the pack's own
# content can change (issue #13) without rewriting what the binding is tested on; the shared
# vectors and the example cases are evaluated with the bundled pack itself (BUNDLED).
PLAYBOOKS = SOURCE_DIR / "tests" / "fixtures" / "pack_first_edition"
BUNDLED = SOURCE_DIR / "playbooks"
VECTORS = SOURCE_DIR / "tests" / "vectors"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)

# CTest sets REDRESS_PYTEST_MIN_TESTS: a run that collects fewer tests than that (a module that
# silently failed to import, a conftest that skipped everything) fails instead of passing.
_MIN_TESTS = int(os.environ.get("REDRESS_PYTEST_MIN_TESTS", "0"))


def pytest_sessionfinish(session, exitstatus):
    if _MIN_TESTS and exitstatus == 0 and session.testscollected < _MIN_TESTS:
        session.config.get_terminal_writer().line(
            f"redress: only {session.testscollected} tests collected, expected at least {_MIN_TESTS}", red=True
        )
        session.exitstatus = 1


def find_cli():
    """The `redress` CLI: $REDRESS_CLI, else build*/redress in the source tree, else PATH."""
    env = os.environ.get("REDRESS_CLI")
    if env and Path(env).is_file():
        return env
    for candidate in sorted(SOURCE_DIR.glob("build*/redress")):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which("redress")


@pytest.fixture(scope="session")
def pack():
    return redress.load(PLAYBOOKS)


@pytest.fixture(scope="session")
def bundled():
    return redress.load(BUNDLED)


@pytest.fixture(scope="session")
def cli():
    path = find_cli()
    if not path:
        pytest.skip("the redress CLI is not built (set REDRESS_CLI)")
    return path


@pytest.fixture
def late_gold_facts():
    return {
        "category": "delivery",
        "order_id": "A-1001",
        "order_value": "200.00 EUR",
        "shipping_fee": "4.99 EUR",
        "days_late": 3,
        "tier": "gold",
        "reported_at": "2026-11-20T09:00:00Z",
    }


def write_playbook(directory: Path, name: str, text: str, pack_yaml: str = None) -> Path:
    """Write a playbook (and optionally a pack.yaml) into `directory`; returns the playbook path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    if pack_yaml is not None:
        (directory / "pack.yaml").write_text(pack_yaml, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def raised_cap(tmp_path_factory):
    """The first edition with the delivery-delay cap raised from 100 to 150 EUR."""
    folder = tmp_path_factory.mktemp("pack_v2")
    for f in PLAYBOOKS.iterdir():
        shutil.copy(f, folder / f.name)
    dd = folder / "delivery_delay.yaml"
    text = dd.read_text()
    assert "min(order_value, 100 EUR) : 100 EUR" in text
    dd.write_text(text.replace("min(order_value, 100 EUR) : 100 EUR", "min(order_value, 150 EUR) : 150 EUR"))
    return folder
