"""A deadline for every request head: uvicorn's h11 protocol times out only idle keep-alive connections, and its
timer is cancelled by the first byte that arrives, so a client that opens a connection and sends nothing, or drips
its headers a byte at a time (slowloris), holds a socket and a file descriptor for as long as it likes.

Here a connection must deliver a complete request head within `header_timeout` seconds of opening, and again of
each response it was sent; otherwise it is closed. The body has its own deadline (`--read-timeout`, answered 408
by the application), and the head's size is bounded by h11 (`h11_max_incomplete_event_size`).
"""

from __future__ import annotations

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol


class HeadDeadlineProtocol(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose request head is not complete in time."""

    header_timeout = 10.0
    _head_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # the head is in: the request runs under the app's deadlines
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.conn.their_state is h11.IDLE:  # waiting for the next head (a pipelined one may already be in)
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._head_deadline = self.loop.call_later(self.header_timeout, self._close_slow_head)

    def _disarm(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _close_slow_head(self) -> None:
        self._head_deadline = None
        if not self.transport.is_closing():
            self.transport.close()


def head_deadline_protocol(seconds: float) -> type[HeadDeadlineProtocol]:
    """The protocol class uvicorn should instantiate for connections, with this head deadline."""
    return type("HeadDeadlineProtocol", (HeadDeadlineProtocol,), {"header_timeout": seconds})
