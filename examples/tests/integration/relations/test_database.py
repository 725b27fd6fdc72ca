"""Relate the charm to a database and back out again."""

import pytest as pt

from helpers import APP_NAME, DATABASE_APP_NAME, FakeModel


@pt.mark.group(1)
@pt.mark.abort_on_fail
def test_relate_database(deployed: FakeModel) -> None:
    deployed.deploy(DATABASE_APP_NAME, "ch:postgresql", num_units=1)
    deployed.integrate(DATABASE_APP_NAME, APP_NAME)
    assert (DATABASE_APP_NAME, APP_NAME) in deployed.relations


@pt.mark.group(1)
def test_database_units(deployed: FakeModel) -> None:
    assert deployed.units(DATABASE_APP_NAME) == 1


@pt.mark.group(2)
def test_remove_relation(deployed: FakeModel) -> None:
    deployed.deploy(DATABASE_APP_NAME, "ch:postgresql", num_units=1)
    deployed.integrate(DATABASE_APP_NAME, APP_NAME)
    deployed.remove_relation(DATABASE_APP_NAME, APP_NAME)
    assert not deployed.relations
