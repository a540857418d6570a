"""``python -m drivers.sim <device>``: start a device simulator (see __main__)."""
