"""Fixtures for the integration suite.

A real charm suite would deploy with Juju here; these stand-ins keep the example runnable with
nothing but pytest, so `pytest --collect-only` shows exactly what fanout reads statically.
"""

from pathlib import Path

import pytest

from helpers import APP_NAME, FakeModel


@pytest.fixture(scope="session")
def charm_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The packed charm, built once per CI job."""
    charm = tmp_path_factory.mktemp("build") / f"{APP_NAME}_ubuntu-22.04-amd64.charm"
    charm.write_bytes(b"PK\x05\x06" + bytes(18))
    return charm


@pytest.fixture(scope="module")
def model() -> FakeModel:
    """One model per test module: tests in a module share their deployment."""
    return FakeModel(name="test-model")


@pytest.fixture(scope="module")
def deployed(model: FakeModel, charm_path: Path) -> FakeModel:
    model.deploy(APP_NAME, charm_path, num_units=3)
    return model
