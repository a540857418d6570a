"""The shared resync mechanism, on a toy protocol: AB <len> <payload> <sum of payload>."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from drivers.framing import StreamFramer


def frame(payload: bytes) -> bytes:
    return b"\xab" + bytes([len(payload)]) + payload + bytes([sum(payload) & 0xFF])


def framer(verify: bool = True) -> StreamFramer:
    return StreamFramer(
        b"\xab", 2, lambda header: 3 + header[1] if header[1] <= 32 else None,
        lambda f: sum(f[2:-1]) & 0xFF == f[-1], verify=verify,
    )


@given(st.binary(max_size=64), st.binary(min_size=1, max_size=32), st.integers(1, 7))
def test_a_frame_after_garbage_comes_out_whatever_the_chunks(garbage, payload, step):
    stream = garbage.replace(b"\xab", b"") + frame(payload)
    f, out = framer(), []
    for i in range(0, len(stream), step):
        out += f.feed(stream[i : i + step])
    assert out == [frame(payload)]


def test_a_cut_off_frame_is_skipped_for_the_whole_one_after_it():
    assert framer().feed(frame(b"hello")[:4] + frame(b"ok")) == [frame(b"ok")]


def test_a_bad_check_is_dropped_unless_the_device_side_asked_for_it():
    bad = frame(b"data")[:-1] + b"\x00"
    assert framer().feed(bad) == []
    assert framer(verify=False).feed(bad) == [bad]
