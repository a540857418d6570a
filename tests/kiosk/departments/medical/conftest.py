"""The real back end process the service-client tests share."""

from tests.kiosk.services.conftest import live_backend, live_client  # noqa: F401
