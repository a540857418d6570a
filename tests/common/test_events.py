"""The one event bus: typed topics, listeners in order, a broken one never costs the others."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import pytest

from common.events import Topic


def test_listeners_get_each_event_in_the_order_they_subscribed() -> None:
    topic: Topic[int] = Topic("numbers")
    seen: list[tuple[str, int]] = []
    topic.subscribe(lambda n: seen.append(("a", n)))
    topic.subscribe(lambda n: seen.append(("b", n)))
    topic.publish(1)
    topic.publish(2)
    assert seen == [("a", 1), ("b", 1), ("a", 2), ("b", 2)]


def test_unsubscribe_stops_delivery_and_is_idempotent() -> None:
    topic: Topic[str] = Topic("words")
    seen: list[str] = []
    cancel = topic.subscribe(seen.append)
    topic.publish("one")
    cancel()
    cancel()  # a second call is harmless
    topic.publish("two")
    assert seen == ["one"] and len(topic) == 0


def test_a_raising_listener_is_logged_by_type_only_and_the_others_still_hear(
    caplog: pytest.LogCaptureFixture,
) -> None:
    topic: Topic[str] = Topic("on_card", logger=logging.getLogger("test.bus"))
    seen: list[str] = []

    def broken(_event: str) -> None:
        raise ValueError("张示例 440304198803121237")  # personal data in the message

    topic.subscribe(broken)
    topic.subscribe(seen.append)
    with caplog.at_level(logging.ERROR):
        topic.publish("card")
    assert seen == ["card"]
    assert "on_card callback raised ValueError" in caplog.text
    assert "张示例" not in caplog.text and "4403041988" not in caplog.text


def test_dispatch_runs_every_listener_through_it() -> None:
    queued: list[Callable[[], None]] = []
    topic: Topic[int] = Topic("ui", dispatch=queued.append)
    seen: list[int] = []
    topic.subscribe(seen.append)
    topic.subscribe(lambda _n: 1 / 0)  # raises later, on the "UI thread"
    topic.publish(7)
    assert seen == [] and len(queued) == 2  # nothing ran on the publishing thread
    for job in queued:
        job()  # a raising listener does not escape into the UI loop either
    assert seen == [7]


def test_a_listener_may_unsubscribe_itself_while_being_told() -> None:
    topic: Topic[int] = Topic("once")
    seen: list[int] = []

    def once(n: int) -> None:
        seen.append(n)
        cancel()

    cancel = topic.subscribe(once)
    topic.subscribe(seen.append)
    topic.publish(1)
    topic.publish(2)
    assert seen == [1, 1, 2]


def test_publishing_from_many_threads_while_subscribing_loses_nothing() -> None:
    topic: Topic[int] = Topic("busy")
    counts = [0]
    lock = threading.Lock()

    def count(_n: int) -> None:
        with lock:
            counts[0] += 1

    topic.subscribe(count)
    start = threading.Barrier(5)

    def publish() -> None:
        start.wait()
        for n in range(1000):
            topic.publish(n)

    def churn() -> None:
        start.wait()
        for _ in range(1000):
            topic.subscribe(print)()  # subscribe and unsubscribe at once

    threads = [threading.Thread(target=publish) for _ in range(4)]
    threads.append(threading.Thread(target=churn))
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert counts[0] == 4000 and len(topic) == 1
