"""The forked helper processes: results in order, errors and dead helpers handled, and the work done here when a child cannot send it."""

from __future__ import annotations

import os
import time
from collections import Counter

import pytest

from sitegen.graph.parallel import HELPER_CHUNKS, Background, run_chunks


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


def _pids(_context: object, chunk: list[int]) -> list[tuple[int, int]]:
    return [(os.getpid(), item) for item in chunk]


@pytest.mark.parametrize("jobs", [2, 3])
def test_chunks_are_shared_between_this_process_and_its_helpers_and_come_back_in_order(jobs):
    """Every process takes chunks; the results are in the items' order, each item once, every item counted."""
    counted = []
    found = list(run_chunks(_pids, range(2000), jobs, None, counted.append))
    assert [item for _, item in found] == list(range(2000))
    assert sum(counted) == 2000
    assert os.getpid() in {pid for pid, _ in found}


def _fails_on(_context: object, chunk: list[int]) -> list[int]:
    if 1500 in chunk:
        raise ValueError("item 1500")
    return list(chunk)


def test_an_error_raised_in_either_process_reaches_the_caller():
    """The chunk's error is raised where its results would have been given."""
    with pytest.raises(ValueError, match="item 1500"):
        list(run_chunks(_fails_on, range(2000), 2, None))


def _dies_in_helper(parent: int, chunk: list[int]) -> list[int]:
    if os.getpid() != parent:
        os._exit(9)  # a helper killed in the middle of its first chunk
    time.sleep(0.01)  # time for the helper to take one
    return list(chunk)


def test_a_chunk_a_dead_helper_took_is_done_here():
    """Every result still comes, in order, made by this process."""
    assert list(run_chunks(_dies_in_helper, range(2000), 2, os.getpid())) == list(range(2000))


def _chunk_pids(parent: int, chunk: list[int]) -> list[tuple[int, int]]:
    if os.getpid() == parent:
        time.sleep(0.02)  # this process slow: the helpers take most chunks
    return [(os.getpid(), len(chunk))]


def test_a_helper_makes_a_few_chunks_then_a_fresh_one_takes_over():
    """No helper makes more than HELPER_CHUNKS chunks; the chunks are all made."""
    found = list(run_chunks(_chunk_pids, range(4000), 2, os.getpid()))
    assert sum(size for _, size in found) == 4000
    helpers = Counter(pid for pid, _ in found if pid != os.getpid())
    assert len(helpers) > 1 and max(helpers.values()) <= HELPER_CHUNKS


def _slow_pids(_context: object, chunk: list[int]) -> list[tuple[int, int]]:
    time.sleep(0.005)  # long enough for the helper to take chunks, so this process waits on it
    return _pids(_context, chunk)


def test_helpers_are_heard_from_when_this_process_holds_descriptors_numbered_past_1023():
    """A long-lived process (the preview server) may hold many files: select() refuses a descriptor past 1023, poll() does not."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1200:
        pytest.skip(f"this machine allows {hard} open files")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1200), hard))
    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(max(0, 1100 - len(os.listdir("/proc/self/fd"))))]
    try:
        found = list(run_chunks(_slow_pids, range(2000), 2, None))
        assert [item for _, item in found] == list(range(2000))
        assert len({pid for pid, _ in found}) >= 2
    finally:
        for fd in held:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
