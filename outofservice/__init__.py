"""The out-of-service screen: a tiny program systemd starts when the UI has failed.

It depends on nothing of the UI (no Kivy, no config validation): it must still draw
when the UI cannot start, for instance because of a bad config. It reads the few
keys it shows leniently and falls back to defaults.
"""
