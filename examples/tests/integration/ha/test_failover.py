"""High availability: lose the primary, keep serving.

Every test here runs on large self-hosted runners; the group of the class applies to each method
unless the method names its own.
"""

import pytest

from helpers import APP_NAME, FakeModel, primary_unit, unit_names


class TestFailover:
    pytestmark = pytest.mark.group("ha")

    @pytest.mark.runner(["self-hosted", "large"])
    @pytest.mark.abort_on_fail
    def test_three_units(self, deployed: FakeModel) -> None:
        assert len(unit_names(deployed)) == 3

    @pytest.mark.runner(["self-hosted", "large"])
    def test_primary_elected(self, deployed: FakeModel) -> None:
        assert primary_unit(deployed) == f"{APP_NAME}/0"

    # Restarting the whole cluster takes long: a job of its own.
    @pytest.mark.group("ha_slow")
    @pytest.mark.runner(["self-hosted", "large"])
    def test_full_cluster_restart(self, deployed: FakeModel) -> None:
        deployed.deploy(APP_NAME, "local:example", num_units=0)
        deployed.deploy(APP_NAME, "local:example", num_units=3)
        assert primary_unit(deployed) == f"{APP_NAME}/0"
