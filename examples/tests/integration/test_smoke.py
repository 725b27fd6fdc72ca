"""Quick checks that every test in this module shares one job, except where a test says otherwise."""

import pytest

from helpers import APP_NAME, FakeModel

pytestmark = pytest.mark.group("smoke")

SMALL = "small"


def test_app_name() -> None:
    assert APP_NAME == "example"


def test_empty_model() -> None:
    assert FakeModel(name="empty").units(APP_NAME) == 0


# A module constant as the id: resolved statically, no need to run the module.
@pytest.mark.group(SMALL)
def test_single_unit(model: FakeModel) -> None:
    model.deploy(APP_NAME, "local:example", num_units=1)
    assert model.units(APP_NAME) == 1
