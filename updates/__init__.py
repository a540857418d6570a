"""Safe application updates: signed bundles, two release slots, a commit rule, rollback.

A release lives in /opt/kiosk/releases/<version>/ (provisioning/install.py makes the
first one) and /opt/kiosk/current names the one that runs. An update unpacks a signed
bundle into a new release directory beside the running one, checks every file's hash
after unpacking, makes its venv, and switches ``current`` by renaming a symlink. The
release it replaced stays as ``previous``: the two slots. The switch is only kept when
the commit rule (updates/gate.py) holds on the new release; otherwise the kiosk goes
back to ``previous`` by itself. docs/updates.md says why slots are directories here and
not RAUC partitions.
"""
