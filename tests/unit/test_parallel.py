"""The forked helper process: results in order, and the work done here when the child cannot send it."""

from __future__ import annotations

import os

from sitegen.graph.parallel import Background


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value


def _unpicklable() -> object:
    return lambda: None


def test_results_come_back_in_order_from_another_process():
    """Each call's result, made by the child (another pid), whichever is asked for first."""
    work = Background((_pid_and, (1,)), (_pid_and, (2,)))
    second, first = work.result(1), work.result(0)
    assert (first[1], second[1]) == (1, 2)
    assert first[0] == second[0] != os.getpid()


def test_a_result_the_child_cannot_send_is_made_here():
    """A result that cannot be pickled: the call is made again in this process, and the next ones too."""
    work = Background((_unpicklable, ()), (_pid_and, (3,)))
    assert callable(work.result(0))
    assert work.result(1) == (os.getpid(), 3)
