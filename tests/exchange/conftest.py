from __future__ import annotations

import pytest

from tests.conftest import RequestIsolatingClient


class BufferingClient(RequestIsolatingClient):
    """Reads a streamed export to its end inside the request, while its contexts are still the request's."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = BufferingClient
    return app.test_client()
