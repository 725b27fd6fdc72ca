"""Deploy the charm, scale it, and upgrade it in place."""

import pytest

from helpers import APP_NAME, FakeModel, primary_unit, unit_names

SCALES = [1, 3, 5]


# The slow deployment gets its own job; everything else in group 1 reuses it.
@pytest.mark.group(1)
@pytest.mark.abort_on_fail
async def test_build_and_deploy(model: FakeModel, charm_path) -> None:
    """Needs an async plugin to *run* (e.g. pytest-asyncio); pytest collects it without one."""
    model.deploy(APP_NAME, charm_path, num_units=3)
    assert model.units(APP_NAME) == 3


@pytest.mark.group(1)
def test_status_active(deployed: FakeModel) -> None:
    assert unit_names(deployed) == [f"{APP_NAME}/0", f"{APP_NAME}/1", f"{APP_NAME}/2"]


@pytest.mark.group(2)
@pytest.mark.abort_on_fail
@pytest.mark.parametrize("units", SCALES)
def test_scale(deployed: FakeModel, units: int) -> None:
    deployed.deploy(APP_NAME, "local:example", num_units=units)
    assert deployed.units(APP_NAME) == units


@pytest.mark.group(2)
def test_primary_after_scale(deployed: FakeModel) -> None:
    assert primary_unit(deployed) == f"{APP_NAME}/0"


@pytest.mark.group(3)
@pytest.mark.abort_on_fail
def test_upgrade(deployed: FakeModel, charm_path) -> None:
    """Refresh in place from the packed charm: slow, so a job of its own."""
    units = deployed.units(APP_NAME)
    deployed.deploy(APP_NAME, charm_path, num_units=units)
    assert deployed.units(APP_NAME) == units
