"""The terminal side of fleet health: contract, reporter, outbox, commands."""
