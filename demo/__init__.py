"""The whole demo on one machine: broker, demo back end, simulated devices, kiosk."""
