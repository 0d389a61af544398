"""FairQueue: free workers go to waiters in arrival order, threads and coroutines alike."""

from __future__ import annotations

import asyncio
import threading

from aatd_kg.store.dispatch import FairQueue


def test_items_are_kept_until_asked_and_get_times_out() -> None:
    queue: FairQueue[str] = FairQueue()
    assert queue.get_nowait() is None
    assert queue.get(0.01) is None
    queue.put("a")
    queue.put("b")
    assert len(queue) == 2
    assert [queue.get(1), queue.get_nowait()] == ["a", "b"]


def test_waiters_are_served_in_arrival_order() -> None:
    async def scenario() -> list[str]:
        queue: FairQueue[str] = FairQueue()
        served: list[str] = []
        thread_waiting = threading.Event()

        def in_thread() -> None:
            thread_waiting.set()
            item = queue.get(30)
            served.append(f"thread:{item}")

        async def coroutine(name: str) -> None:
            item = await queue.aget(30)
            served.append(f"{name}:{item}")

        first = asyncio.create_task(coroutine("first"))
        await asyncio.sleep(0.05)
        thread = threading.Thread(target=in_thread)
        thread.start()
        thread_waiting.wait()
        await asyncio.sleep(0.05)  # the thread is queued behind "first"
        second = asyncio.create_task(coroutine("second"))
        await asyncio.sleep(0.05)
        for item in ("w1", "w2", "w3"):
            queue.put(item)
        await asyncio.gather(first, second)
        await asyncio.to_thread(thread.join)
        return served

    served = asyncio.run(scenario())
    assert sorted(served) == ["first:w1", "second:w3", "thread:w2"]


def test_a_cancelled_waiter_passes_its_item_on() -> None:
    async def scenario() -> tuple[str | None, int]:
        queue: FairQueue[str] = FairQueue()
        gone = asyncio.create_task(queue.aget(30))
        await asyncio.sleep(0.01)
        gone.cancel()
        await asyncio.gather(gone, return_exceptions=True)
        queue.put("w")
        return await queue.aget(1), len(queue)

    assert asyncio.run(scenario()) == ("w", 0)
    assert asyncio.run(_timeout()) is None


async def _timeout() -> str | None:
    return await FairQueue[str]().aget(0.01)
