"""The terminal's health agent: reports the UI unit to the fleet even when the UI is dead.

A separate process and user (kiosk-agent.service), with its own MQTT connection and
Last Will, so the console hears of a UI that is dead, restarting or failed, and can
still reboot the terminal, restart the UI or fetch its last log lines. It imports no
Kivy and nothing of the UI.
"""
