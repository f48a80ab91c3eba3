from __future__ import annotations

import pytest

from crm.core.roles import Role


@pytest.fixture
def manager_session(login_as):
    """A signed-in manager, for tests that sign in once and run many examples."""
    return login_as(Role.MANAGER)
