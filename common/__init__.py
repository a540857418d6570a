"""What the kiosk, the fleet console and the demo back end all speak: the MQTT
contract, command signing and the privacy masks. Imports nothing of theirs."""
