"""Device drivers: protocols, drivers over transports, and simulators.

Nothing here knows about citizens or screens. Per device: ``protocol`` (pure
encode/decode), a driver over a transport, a simulator over the same protocol.
"""
