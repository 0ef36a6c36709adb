import pytest

from suggestions.core.clock import travel_to

from . import dataset


@pytest.fixture
def june(app):
    """The hand-built organisation of ``dataset``, with the clock at 5 July 2026, 12:00."""
    org = dataset.build()
    with travel_to(dataset.NOW):
        yield org
