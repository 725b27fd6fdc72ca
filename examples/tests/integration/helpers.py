"""Helpers shared by the integration tests. Not a test module: pytest never collects it."""

from dataclasses import dataclass, field
from pathlib import Path

import pytest

APP_NAME = "example"
DATABASE_APP_NAME = "postgresql"
DATABASE_ENDPOINT = "database"


@dataclass
class FakeModel:
    """The parts of a Juju model the tests use, in memory."""

    name: str
    applications: dict[str, int] = field(default_factory=dict)
    relations: set[tuple[str, str]] = field(default_factory=set)

    def deploy(self, app: str, charm: Path | str, num_units: int = 1) -> None:
        self.applications[app] = num_units

    def integrate(self, provider: str, requirer: str) -> None:
        self.relations.add((provider, requirer))

    def remove_relation(self, provider: str, requirer: str) -> None:
        self.relations.discard((provider, requirer))

    def units(self, app: str) -> int:
        return self.applications.get(app, 0)


def unit_names(model: FakeModel, app: str = APP_NAME) -> list[str]:
    return [f"{app}/{n}" for n in range(model.units(app))]


def primary_unit(model: FakeModel, app: str = APP_NAME) -> str:
    """The unit the others follow: the lowest-numbered one, as the charm elects it."""
    names = unit_names(model, app)
    if not names:
        raise LookupError(f"{app} has no units")
    return names[0]


# Decorated like a test, but not one: pytest collects only `test_*` functions from `test_*.py`
# files, so this contributes no group. fanout must not count it either.
@pytest.mark.group(1)
async def verify_endpoints(model: FakeModel, app: str = APP_NAME) -> bool:
    return all(model.units(name) > 0 for name in (app, DATABASE_APP_NAME))
