"""Whether a host is this machine: plain http is allowed only to it (the OIDC issuer in the settings,
a hub's address at an agency node). Below every layer, like the error base: it imports nothing of
Accord's."""

from __future__ import annotations

from ipaddress import ip_address


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False
