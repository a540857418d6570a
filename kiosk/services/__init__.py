"""Back-end services: one module per department over one gateway client (off the UI thread)."""
