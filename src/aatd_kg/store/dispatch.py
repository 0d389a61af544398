"""A first-come-first-served hand-over of free workers to waiting threads and coroutines.

Requests wait for a free query worker either in a thread (pages calling ``Store.query``) or on the
event loop (the SPARQL endpoint). A plain queue would let a newly arrived request take a worker
that an older one has been waiting for, which stretches the tail latency under load. Here a
released worker goes straight to the oldest waiter, whichever kind it is.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class _Waiter(Generic[T]):
    __slots__ = ("event", "future", "item", "loop")

    def __init__(self, event: threading.Event | None = None,
                 loop: asyncio.AbstractEventLoop | None = None) -> None:
        self.item: T | None = None
        self.event = event
        self.loop = loop
        self.future: asyncio.Future[None] | None = loop.create_future() if loop else None


def _wake(future: asyncio.Future[Any]) -> None:
    if not future.done():
        future.set_result(None)


class FairQueue(Generic[T]):
    """Free items (workers) handed to waiters in arrival order; thread- and asyncio-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: deque[T] = deque()
        self._waiters: deque[_Waiter[T]] = deque()

    def put(self, item: T) -> None:
        """Give *item* to the oldest waiter, or keep it until someone asks."""
        with self._lock:
            if self._waiters:
                waiter = self._waiters.popleft()
                waiter.item = item
                if waiter.event is not None:
                    waiter.event.set()
                elif waiter.loop is not None and waiter.future is not None:
                    waiter.loop.call_soon_threadsafe(_wake, waiter.future)
                return
            self._items.append(item)

    def get_nowait(self) -> T | None:
        """A free item, or None."""
        with self._lock:
            return self._items.popleft() if self._items else None

    def _settle(self, waiter: _Waiter[T]) -> T | None:
        with self._lock:
            if waiter.item is None:
                self._waiters.remove(waiter)
            return waiter.item

    def get(self, timeout: float) -> T | None:
        """Block until an item is free (None after *timeout* seconds)."""
        with self._lock:
            if self._items:
                return self._items.popleft()
            waiter: _Waiter[T] = _Waiter(event=threading.Event())
            self._waiters.append(waiter)
        assert waiter.event is not None
        waiter.event.wait(timeout)
        return self._settle(waiter)

    async def aget(self, timeout: float) -> T | None:
        """Await a free item without a thread (None after *timeout* seconds)."""
        with self._lock:
            if self._items:
                return self._items.popleft()
            waiter: _Waiter[T] = _Waiter(loop=asyncio.get_running_loop())
            self._waiters.append(waiter)
        assert waiter.future is not None
        try:
            await asyncio.wait_for(waiter.future, timeout)
        except TimeoutError:
            pass
        except asyncio.CancelledError:
            item = self._settle(waiter)
            if item is not None:
                self.put(item)  # handed over just as the request went away: pass it on
            raise
        return self._settle(waiter)

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
