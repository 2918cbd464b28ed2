"""The relevance set is asked through the same app the API tests use."""

from tests.api.conftest import api_kg, app, client, settings

__all__ = ["api_kg", "app", "client", "settings"]
