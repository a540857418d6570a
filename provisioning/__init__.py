"""Turn a Debian 12 machine (or a Debian root) into a kiosk terminal: see README.md here."""
