"""The console's web side: FastAPI pages and a live stream (server-sent events)."""
