"""Test helpers shared by unit, integration and robot tests (processes, servers, fixtures)."""
