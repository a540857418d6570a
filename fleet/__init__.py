"""The fleet console: ingest, store, web, load generator (see docs/fleet-contract.md)."""
