"""Outbound webhook requests that cannot reach inside: only public addresses, checked when the subscription is
made and again on every connect (a name may resolve elsewhere by then: DNS rebinding).

Named hosts in NOTIFY_WEBHOOK_ALLOWED_HOSTS are exempt (tests, on-premise receivers), and may use any port.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable

import httpcore
import httpx

USUAL_PORTS = {"http": 80, "https": 443}
REFUSED = "refused"  # how a connect the address rule stopped is told apart from a failed one


class RefusedTarget(ValueError):
    """A webhook target notify will not call."""


def refusal(address: str) -> str | None:
    """Why an address is not a public unicast one (None: it is)."""
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        ip = ip.ipv4_mapped or ip.sixtofour or ip  # ::ffff:10.0.0.1 is 10.0.0.1
    if ip.is_multicast:
        return "multicast"
    if not ip.is_global:
        return "not a public address (loopback, private, link-local, shared or reserved)"
    return None


def check_shape(url: str) -> httpx.URL:
    """http(s), a host, no credentials."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise RefusedTarget(f"not a URL: {exc}") from exc
    if parsed.scheme not in USUAL_PORTS or not parsed.host:
        raise RefusedTarget("a webhook target is an http(s) URL with a host")
    if parsed.userinfo:
        raise RefusedTarget("a webhook target carries no user name or password")
    return parsed


def check_url(url: str, allowed_hosts: frozenset[str]) -> httpx.URL:
    """The shape, and the usual port unless the host is allowed by name."""
    parsed = check_shape(url)
    if parsed.host.lower() not in allowed_hosts and parsed.port not in (None, USUAL_PORTS[parsed.scheme]):
        raise RefusedTarget(f"a webhook target uses port {USUAL_PORTS[parsed.scheme]} for {parsed.scheme}")
    return parsed


async def resolve_public(host: str, port: int, allowed_hosts: frozenset[str]) -> str:
    """An address of `host` to connect to, after checking every address it resolves to."""
    if host.lower() in allowed_hosts:
        return host
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise RefusedTarget(f"{host} does not resolve") from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    for address in addresses:
        if why := refusal(address):
            raise RefusedTarget(f"{host} resolves to {why}")
    if not addresses:
        raise RefusedTarget(f"{host} does not resolve")
    return addresses[0]


async def check_target(url: str, allowed_hosts: frozenset[str]) -> None:
    parsed = check_url(url, allowed_hosts)
    await resolve_public(parsed.host, parsed.port or USUAL_PORTS[parsed.scheme], allowed_hosts)


class PublicOnlyBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, resolving and checking the host itself and connecting to that address
    (TLS still verifies the name: httpcore passes the URL's host as server_hostname)."""

    def __init__(self, allowed_hosts: Iterable[str]) -> None:
        self.allowed = frozenset(h.lower() for h in allowed_hosts)
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            address = await resolve_public(host, port, self.allowed)
        except RefusedTarget as exc:
            raise httpcore.ConnectError(f"{REFUSED}: {exc}") from exc
        return await self.inner.connect_tcp(address, port, timeout, local_address, socket_options)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not webhook targets")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def public_client(allowed_hosts: Iterable[str], timeout: float) -> httpx.AsyncClient:
    """An HTTP client for webhooks: public addresses only, no redirects, no proxies from the environment."""
    transport = httpx.AsyncHTTPTransport(trust_env=False, retries=0)
    transport._pool._network_backend = PublicOnlyBackend(allowed_hosts)  # no public hook for the backend
    return httpx.AsyncClient(transport=transport, timeout=timeout, follow_redirects=False, trust_env=False)
