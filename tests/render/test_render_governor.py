"""The quality governor: down when frames overrun their interval, back up only when the better step will fit."""

from __future__ import annotations

from tuifeed.render.governor import Governor

INTERVAL = 1 / 30


def feed(governor: Governor, frames: int, sent: int, write: float) -> list[int]:
    """Record ``frames`` identical frames; the steps chosen after each."""
    return [governor.record(sent, write) for _ in range(frames)]


def test_a_fast_terminal_keeps_the_best_step() -> None:
    """Writes far inside the interval never step down."""
    governor = Governor(levels=6, interval=INTERVAL)
    assert set(feed(governor, 200, 50_000, 0.001)) == {0}


def test_slow_writes_step_down_until_a_frame_fits() -> None:
    """A terminal taking 1 MB/s against 60 KB frames (60 ms each) pushes the step down, one settle at a time."""
    governor = Governor(levels=6, interval=INTERVAL)
    steps = []
    sent = 60_000
    for _ in range(80):
        write = sent / 1_000_000
        steps.append(governor.record(sent, write))
        sent = int(60_000 * 0.6 ** steps[-1])  # each step down sends 40 % fewer bytes
    assert steps == sorted(steps), "it never steps back up while frames still overrun"
    final = steps[-1]
    assert final > 0
    assert 60_000 * 0.6**final / 1_000_000 < 0.85 * INTERVAL


def test_steps_back_up_after_a_calm_spell_when_the_better_step_fits() -> None:
    """Once the terminal is fast again the governor climbs back, but not before 45 calm frames."""
    governor = Governor(levels=4, interval=INTERVAL)
    feed(governor, 10, 60_000, 0.1)
    feed(governor, 10, 20_000, 0.0005)
    low = governor.level
    assert low >= 1
    assert set(feed(governor, 30, 20_000, 0.0005)) == {low}
    feed(governor, 200, 20_000, 0.0005)
    assert governor.level == 0


def test_no_step_up_when_the_better_step_would_overrun() -> None:
    """At 25 % busy, a step whose bytes were measured at 4x would be 100 % busy: it stays put."""
    governor = Governor(levels=3, interval=INTERVAL)
    rate = 1_000_000  # bytes per second
    feed(governor, 20, 120_000, 120_000 / rate)  # step 0 measured: 120 ms a frame
    assert governor.level >= 1
    level = governor.level
    feed(governor, 300, 30_000, 30_000 / rate * 0.25)  # now light: 7.5 ms
    assert governor.level == level - 1 or governor.level == level
    assert governor.level > 0


def test_busy_is_smoothed() -> None:
    """One slow frame among fast ones does not step down."""
    governor = Governor(levels=4, interval=INTERVAL)
    feed(governor, 10, 10_000, 0.001)
    governor.record(10_000, 0.05)
    assert feed(governor, 10, 10_000, 0.001)[-1] == 0


def test_a_busy_cpu_is_not_a_slow_terminal() -> None:
    """Only time blocked in writes counts: frames that write at once keep the best step however long they took."""
    governor = Governor(levels=4, interval=INTERVAL)
    assert set(feed(governor, 100, 80_000, 0.0002)) == {0}
