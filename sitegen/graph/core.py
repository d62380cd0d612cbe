"""Derived values that record what they read: computed once, recomputed after a change, cut off when they come out equal.

Every value of a build is a node with a key, such as ("front", "content/news/x.md"). Inputs (files,
options) are set from outside; every other node is computed by the rule of its kind, a pure
function of the nodes it reads through `Graph.get`, which records each read in the node being
computed. Kinds have levels: a rule reads only kinds of lower levels, so a build is one pass
over the levels. A build starts from the inputs that changed and goes up level by level,
recomputing only nodes that read something that changed; a node whose new value has the digest
of its old one (early cutoff) stops the change there. What each node read, its value, its
problems and its clock window are saved with the graph for the next build.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from operator import attrgetter
from typing import Any
from zoneinfo import ZoneInfo

from ..problems import Problem
from .store import Row, Store, blob_ids, columns

Key = tuple
UNLOADED = object()
NEVER = float("inf")


@dataclass(frozen=True)
class Rule:
    """How the nodes of one kind are computed, and their level (a rule reads only lower levels).

    `batch`, when given, computes many due nodes of the kind at once (in parallel, see parallel.py):
    batch(graph, keys) -> [(key, Outcome)], in the order of `keys`.
    """

    kind: str
    level: int
    compute: Callable[..., Any] | None = None  # None: an input, set from outside
    batch: Callable[[Graph, list[Key]], Iterable[tuple[Key, Outcome]]] | None = None
    stored: bool = True  # False: a cheap value (a part of another) is not saved, but computed again when a later build reads it


# What a memo is in this build (Memo.state, bits): brought up to date; its record to write; its value to write;
# computed by this build; made by this build (first demanded, or computed, by it).
SETTLED, DIRTY, FRESH, COMPUTED, MADE = 1, 2, 4, 8, 16
NO_USERS: tuple[int, ...] = ()  # the users of a node nothing reads: one shared empty tuple rather than a set each
FEW_USERS = 8  # up to this many users are a list (a set takes 216 bytes from its first member); more, a set


class Memo:
    """A node as this build knows it."""

    __slots__ = ("changed", "children", "deps", "digest", "id", "key", "owner", "problems", "since", "state", "until", "users", "value")

    def __init__(self, ident: int, key: Key, digest: bytes | None, changed: int):
        self.id, self.key, self.digest, self.changed = ident, key, digest, changed
        self.deps, self.users, self.children, self.owner = (), NO_USERS, (), 0
        self.problems, self.since, self.until, self.value = (), None, None, UNLOADED
        self.state = 0

    @classmethod
    def of(cls, row: Row) -> Memo:
        """A memo from its stored record (the value left on disk until read; its ids as stored until read, see `ids`)."""
        memo = cls(row.id, row.key, row.digest, row.changed)
        memo.deps, memo.users, memo.children, memo.owner = row.deps, row.users, row.children, row.owner
        memo.problems, memo.since, memo.until = row.problems, row.since, row.until
        return memo

    def ids(self) -> Memo:
        """The memo with its deps, users and children read from their stored bytes (most loaded nodes never need them)."""
        if type(self.deps) is bytes:
            self.deps, self.users, self.children = blob_ids(self.deps), _users(blob_ids(self.users)), blob_ids(self.children)
        return self

    def add_user(self, ident: int) -> None:
        """One more node reads this one."""
        users = self.ids().users
        if type(users) is set:
            users.add(ident)
        elif ident not in users:
            self.users = [*users, ident] if len(users) < FEW_USERS else {*users, ident}

    def add_new_user(self, ident: int) -> None:
        """A node made in this build reads this one (it cannot be among the users yet: no look-up).

        Users linked this way are kept in an array of 4-byte ids (a list takes twice the memory a
        user, a set ten times): at ten thousand articles, a million of them.
        """
        users = self.ids().users
        if type(users) is array:
            users.append(ident)
        elif type(users) is set:
            users.add(ident)
        else:
            self.users = array("I", (*users, ident))

    def drop_user(self, ident: int) -> None:
        """A node no longer reads this one."""
        users = self.ids().users
        if type(users) is not set and len(users) > FEW_USERS:  # linked in bulk (an array): a set before removals
            users = self.users = set(users)
        if type(users) is set:
            users.discard(ident)
        elif ident in users:
            self.users = [user for user in users if user != ident]


def _users(found: tuple[int, ...]) -> list[int] | set[int] | tuple[int, ...]:
    """A stored node's users as a memo keeps them: a list of a few, a set of many."""
    return (list(found) if len(found) <= FEW_USERS else set(found)) if found else NO_USERS


class Frame:
    """A computation in progress: what it has read so far, its problems, its clock window, what it demands."""

    __slots__ = ("children", "files", "key", "level", "problems", "reads", "since", "until")

    def __init__(self, key: Key, level: int):
        self.key, self.level = key, level
        self.reads: dict[Key, Any] = {}  # what it read, in order, with the value it got
        self.files: dict[str, bytes] = {}
        self.problems: list = []
        self.since, self.until = -NEVER, NEVER
        self.children: dict[Key, None] = {}


@dataclass
class Outcome:
    """What computing one node gave: its value and digest, what it read, and the rest of its memo."""

    value: Any
    digest: bytes
    reads: tuple[Key, ...]
    problems: tuple
    since: float | None
    until: float | None
    children: tuple[Key, ...]
    files: tuple[tuple[str, bytes], ...] = ()  # (path, digest of the bytes read) of the input files it read


class GraphError(Exception):
    """A rule broke the graph's rules (a bug in the engine, never an editor's mistake)."""


class Graph:
    """The build's values: loaded from the store as the build reaches them, computed when due, saved at the end."""

    def __init__(self, store: Store, rules: Iterable[Rule], now: float, roots: Sequence[Key] = ()):
        self.store = store
        rules = list(rules)
        self.rules = {rule.kind: rule for rule in rules}
        if len(self.rules) != len(rules):
            raise GraphError("two rules for one kind")
        self.now = now
        self.revision = store.meta("revision", 0) + 1
        self.roots = tuple(roots)  # what the build demands itself: never collected
        self.resources: dict[str, Any] = {}  # what rules use besides values: the staging folder, the template environment
        self._memos: dict[Key, Memo] = {}
        self._by_id: dict[int, Memo] = {}
        self._next_id = store.next_id()
        self._empty = store.empty  # a first build: nothing to look up
        self._side: list | None = None  # while computing a chunk of a batch: every outcome, for the parent
        self._pending: dict[int, dict[Key, None]] = {}
        self._stack: list[Frame] = []
        self._made: list[Memo] = []  # the nodes made by this build, not yet linked to what they read
        self._old_deps: dict[int, tuple] = {}  # what a recomputed node read before (its users are updated from the difference)
        self._old_children: dict[int, tuple] = {}
        self._lost: set[int] = set()  # nodes that lost a user or an owner: collected at the end if nothing keeps them
        self._gone: set[int] = set()  # nodes collected
        self._dropped: set[Key] = set()  # nodes their owner stopped demanding in this build: not computed unless read
        self.computed: list[Key] = []  # every node computed by this build, in order
        self.file_digests: dict[str, bytes] = {}  # digests of input files as the nodes computed now read them

    # -- reading values --------------------------------------------------------------------------

    def get(self, key: Key) -> Any:
        """A node's value, brought up to date; recorded as read by the node being computed.

        A computation reads the same values many times (a page's title, the settings): the
        value it got first is kept in its frame, so a second read is one dictionary look-up.
        """
        if not self._stack:
            return self._value(self._settle(key))
        reads = self._stack[-1].reads
        if key in reads:
            return reads[key]
        frame = self._stack[-1]
        if self.rules[key[0]].level >= frame.level:
            raise GraphError(f"{frame.key} (level {frame.level}) may not read {key} (level {self.rules[key[0]].level})")
        value = reads[key] = self._value(self._settle(key))
        return value

    @property
    def recording(self) -> bool:
        """True while a node is being computed (its reads are recorded)."""
        return bool(self._stack)

    def peek(self, key: Key) -> Any:
        """A node's value without recording the read (for what another, recorded read already stands for)."""
        return self._value(self._settle(key))

    def was_computed(self, key: Key) -> bool:
        """True when this build computed the node (without bringing it up to date)."""
        memo = self._memos.get(key)
        return memo is not None and bool(memo.state & COMPUTED)

    def changed(self, key: Key) -> bool:
        """True when this build changed the node's value (after bringing it up to date)."""
        return self._settle(key).changed == self.revision

    def read_file(self, shown: str, digest: bytes) -> None:
        """Note the digest of the bytes of an input file the node being computed read (the input keeps it)."""
        self._stack[-1].files[shown] = digest

    def problem(self, problem: Problem) -> None:
        """Report a problem of the node being computed (kept with it, reported by every build while it stands)."""
        self._stack[-1].problems.append(problem)

    def reached(self, instant: float) -> bool:
        """True when the build's clock has reached `instant`; the node being computed is computed again when that answer changes."""
        frame = self._stack[-1]
        if self.now >= instant:
            frame.since = max(frame.since, instant)
            return True
        frame.until = min(frame.until, instant)
        return False

    def moment(self, timezone: str) -> datetime:
        """The clock's time: the fixed epoch when the build has one (an input), else now, which is new at every build."""
        epoch = self.get(("option", "epoch"))
        if epoch is not None:
            return datetime.fromtimestamp(int(epoch), ZoneInfo(timezone))
        frame = self._stack[-1]
        frame.since, frame.until = max(frame.since, self.now), min(frame.until, self.now + 1e-6)
        return datetime.fromtimestamp(self.now, ZoneInfo(timezone))

    def again(self) -> None:
        """Compute the node being computed again in the next build, whatever it read (it met a passing failure: a full disk)."""
        self._stack[-1].until = -NEVER

    def demand(self, keys: Iterable[Key]) -> None:
        """Keep these nodes computed while the node being computed lists them (the pages of a site, the files of a folder)."""
        frame = self._stack[-1]
        for key in keys:
            frame.children[key] = None

    def problems(self) -> list[Problem]:
        """The problems of every node, as of this build."""
        gone = self._collect()
        found: dict[int, tuple] = dict(self.store.with_problems())
        for memo in self._by_id.values():
            if memo.state & DIRTY:
                found[memo.id] = memo.problems
        for ident in gone:
            found.pop(ident, None)
        return [problem for ident in sorted(found) for problem in found[ident]]

    def memo(self, key: Key) -> Memo | None:
        """A node's memo as it stands (loaded from the store when needed), or None."""
        memo = self._memos.get(key)
        if memo is None and not self._empty:
            row = self.store.row_of(key)
            if row is not None:
                memo = self._keep(Memo.of(row))
        return memo

    def has(self, key: Key) -> bool:
        """True when a node is in memory: made by this build, or loaded (by a read, or by a prefetch of it)."""
        return key in self._memos

    def prefetch(self, keys: Sequence[Key]) -> None:
        """Load the stored records of many nodes, and their saved values, in a few queries ahead of their reads.

        Only what a read would load anyway is loaded, so what is read and recorded does not change;
        a listing showing a thousand articles asks the store a few times instead of a few thousand.
        """
        if self._empty:
            return
        for row in self.store.rows_by_key([key for key in keys if key not in self._memos]):
            if row.key not in self._memos:
                self._keep(Memo.of(row))
        memos, rules = self._memos, self.rules
        ids = [m.id for key in keys if (m := memos.get(key)) is not None and m.value is UNLOADED and rules[key[0]].stored and not m.state & FRESH]
        by_id = self._by_id
        for ident, value in self.store.values(ids):
            if by_id[ident].value is UNLOADED:
                by_id[ident].value = value

    # -- inputs ------------------------------------------------------------------------------------

    def set_input(self, key: Key, digest: bytes | None, value: Any = None) -> bool:
        """Give an input its digest (None: unknown, so changed) and value; True when it changed."""
        memo = self.memo(key)
        if memo is not None and digest is not None and memo.digest == digest:
            if value is not None and memo.value is UNLOADED:
                memo.value = value
            memo.state |= SETTLED
            return False
        if memo is None:
            memo = self._keep(Memo(self._new_id(), key, digest, self.revision))
        memo.digest, memo.changed, memo.value = digest, self.revision, value
        self._mark(memo, value_changed=True)
        memo.state |= SETTLED
        self._push_users(memo)
        return True

    def force(self, keys: Iterable[Key]) -> None:
        """Compute these nodes again in this build whatever they read (a clock window passed, a published file differs)."""
        for key in keys:
            self._push(key)

    def force_ids(self, ids: Iterable[int]) -> None:
        """force() by node ids, as the store lists them."""
        for row in self.store.rows([i for i in ids if i not in self._by_id]):
            self._keep(Memo.of(row))
        self.force(self._by_id[i].key for i in ids if i in self._by_id)

    # -- the pass ----------------------------------------------------------------------------------

    def run(self, on_level: Callable[[int], None] | None = None) -> None:
        """Bring every node that may have changed up to date, level by level; then the roots the build demands."""
        for key in self.roots:
            if self.memo(key) is None:
                self._push(key)
        while self._pending:
            level = min(self._pending)
            if on_level is not None:
                on_level(level)
            due = [key for key in self._pending.pop(level) if not self._is_settled(key) and key not in self._dropped]
            batches: dict[str, list[Key]] = {}
            for key in due:
                batches.setdefault(key[0], []).append(key)
            for kind, keys in sorted(batches.items()):
                rule = self.rules[kind]
                if rule.batch is not None and len(keys) > 1:
                    self._install(self._arrived(rule.batch(self, keys)))
                    continue
                for key in keys:
                    if not self._is_settled(key):
                        self._recompute(key)

    def compute_here(self, keys: list[Key]) -> list[tuple[Key, Outcome]]:
        """Compute nodes in this process (a chunk of a batch rule's nodes) and give their outcomes.

        The nodes they read that this process computed first (those the parent had not: a page's
        address, a summary) come too, before the nodes that read them, so the parent takes them
        in rather than computing them again.
        """
        self._side = []
        try:
            for key in keys:
                self._side.append((key, self._outcome(key)))
            return self._side
        finally:
            self._side = None

    def in_parallel(self, keys: list[Key]) -> Iterable[tuple[Key, Outcome]]:
        """A batch rule computing many nodes of a kind in parallel, as they are (see compute_here)."""
        from .parallel import jobs_for, run_chunks

        return run_chunks(_compute_chunk, keys, jobs_for(self.resources.get("jobs", 0)), self, self.resources.get("advance"))

    def _arrived(self, results: Iterable[tuple[Key, Outcome]]) -> Iterable[tuple[Key, Outcome]]:
        """A batch's outcomes as the helpers send them in a first build; after the helpers end in a later one.

        Taking an outcome in a later build loads the records it read from the store: done while the
        helpers run, this process would grow beside them and raise the build's peak memory. A first
        build loads nothing, and installing as results arrive spares it holding the whole batch's.
        """
        return results if self._empty else list(results)

    def _install(self, results: Iterable[tuple[Key, Outcome]]) -> None:
        """Take the outcomes a batch computed (here or in helper processes) into the graph, in order, as they arrive."""
        for key, outcome in results:
            if self._is_settled(key):
                continue
            self._take(key, outcome)

    # -- settling one node ---------------------------------------------------------------------------

    def _settle(self, key: Key) -> Memo:
        """The node brought up to date: computed when due or new, else as stored."""
        memo = self._memos.get(key)
        if memo is not None and memo.state & SETTLED:
            return memo
        if memo is None:
            memo = self.memo(key)
        rule = self.rules.get(key[0])
        if rule is None:
            raise GraphError(f"no rule for {key}")
        if memo is None or self._is_pending(key):
            return self._recompute(key)
        memo.state |= SETTLED
        return memo

    def _recompute(self, key: Key) -> Memo:
        """Compute a node that is due or new (an input nobody set is a file that does not exist)."""
        self._unpend(key)
        if self.rules[key[0]].compute is None:
            self.set_input(key, b"", None)
        else:
            self._take(key, self._outcome(key))
        return self._memos[key]

    def _outcome(self, key: Key) -> Outcome:
        """Run a node's rule, recording what it reads."""
        value, frame = self._run(key)
        return Outcome(value, digest_of(value), tuple(frame.reads), tuple(frame.problems),
                       None if frame.since == -NEVER else frame.since, None if frame.until == NEVER else frame.until,
                       tuple(frame.children), tuple(frame.files.items()))

    def _run(self, key: Key) -> tuple[Any, Frame]:
        """A node's rule run, and the frame holding what it read."""
        rule = self.rules[key[0]]
        if any(frame.key == key for frame in self._stack):
            raise GraphError(f"{key} reads itself")
        frame = Frame(key, rule.level)
        self._stack.append(frame)
        try:
            return rule.compute(self, *key[1:]), frame
        finally:
            self._stack.pop()

    def _take(self, key: Key, outcome: Outcome) -> None:
        """Make an outcome the node's memo: same digest keeps its revision (early cutoff), else its users are due."""
        old = self.memo(key)
        memos = self._memos
        deps = tuple(m.id if (m := memos.get(dep)) is not None and m.state & SETTLED else self._settle(dep).id for dep in outcome.reads)
        children = tuple(self._child_id(child) for child in outcome.children) if outcome.children else ()
        if old is None or old.state & MADE:  # a new node (demanded first by another, or not): linked in bulk at the end
            memo = old or self._keep(Memo(self._new_id(), key, outcome.digest, self.revision))
            value_changed = True
            memo.state |= MADE
            self._made.append(memo)
        else:
            memo = old.ids()
            value_changed = old.digest != outcome.digest
            self._old_deps.setdefault(memo.id, old.deps)
            self._old_children.setdefault(memo.id, old.children)
            if value_changed:
                memo.changed = self.revision
        memo.digest, memo.deps, memo.children, memo.value = outcome.digest, deps, children, outcome.value
        memo.problems, memo.since, memo.until = outcome.problems, outcome.since, outcome.until
        if outcome.files:
            self.file_digests.update(outcome.files)
        memo.state |= SETTLED | DIRTY | FRESH | COMPUTED
        self.computed.append(key)
        if self._side is not None:
            self._side.append((key, outcome))
        if children or self._old_children.get(memo.id):  # (old is memo: its children are the new ones by now)
            self._own(memo, children)
        if value_changed and memo.users:
            self._push_users(memo)

    def _own(self, memo: Memo, children: tuple[int, ...]) -> None:
        """Make a node the owner of what it demands; what it no longer demands is not made in this build."""
        for child in children:
            child_memo = self._by_id[child]
            if child_memo.owner != memo.id:
                child_memo.owner = memo.id
                self._mark(child_memo)
        for child in set(self._old_children.get(memo.id, ())) - set(children):
            dropped = self._by_id.get(child)
            if dropped is not None:
                self._dropped.add(dropped.key)

    # -- bookkeeping ---------------------------------------------------------------------------------

    def _value(self, memo: Memo) -> Any:
        """A memo's value, read from the store the first time (or computed again, for a kind whose values are not saved).

        A node that is not due has inputs that did not change, so computing it again gives its value.
        """
        if memo.value is UNLOADED:
            memo.value = self.store.value(memo.id) if self.rules[memo.key[0]].stored else self._run(memo.key)[0]
        return memo.value

    def _keep(self, memo: Memo) -> Memo:
        """Hold a memo in memory."""
        self._memos[memo.key] = memo
        self._by_id[memo.id] = memo
        return memo

    def _new_id(self) -> int:
        """An id for a new node."""
        ident = self._next_id
        self._next_id += 1
        return ident

    def _child_id(self, key: Key) -> int:
        """The id of a node demanded by the node being taken in: a new one is made due, not computed now."""
        memo = self.memo(key)
        if memo is None:
            memo = self._keep(Memo(self._new_id(), key, None, self.revision))
            memo.state |= MADE
            self._push(key)
        return memo.id

    def _mark(self, memo: Memo, value_changed: bool = False) -> None:
        """Write this memo's record (and value) at the end."""
        memo.state |= DIRTY | FRESH if value_changed else DIRTY

    def _push(self, key: Key) -> None:
        """Make a node due in this build."""
        if self._is_settled(key):
            return
        level = self.rules[key[0]].level
        self._pending.setdefault(level, {})[key] = None

    def _is_settled(self, key: Key) -> bool:
        """True when a node has been brought up to date in this build."""
        memo = self._memos.get(key)
        return memo is not None and bool(memo.state & SETTLED)

    def _is_pending(self, key: Key) -> bool:
        """True when a node is due."""
        return key in self._pending.get(self.rules[key[0]].level, ())

    def _unpend(self, key: Key) -> None:
        """A due node is being computed now."""
        self._pending.get(self.rules[key[0]].level, {}).pop(key, None)

    def _push_users(self, memo: Memo) -> None:
        """The nodes that read this one are due."""
        missing = [ident for ident in memo.ids().users if ident not in self._by_id]
        for row in self.store.rows(missing):
            self._keep(Memo.of(row))
        for ident in memo.users:
            user = self._by_id.get(ident)
            if user is not None:
                self._push(user.key)

    def replaced(self, kind: str) -> list[tuple[Key, Any, Any]]:
        """(key, value before, value now) of every node of a kind this build computed or collected (before it commits)."""
        found = []
        for key in self.computed:
            if key[0] == kind:
                memo = self._memos[key]
                found.append((key, self._stored_value(memo.id), memo.value))
        for ident in sorted(self._collect()):
            memo = self._by_id.get(ident)
            if memo is not None and memo.key[0] == kind:
                found.append((memo.key, self._stored_value(ident), None))
        return found

    def _stored_value(self, ident: int) -> Any:
        """A node's value as the store holds it (None for a node it does not have)."""
        try:
            return self.store.value(ident)
        except KeyError:
            return None

    # -- saving ----------------------------------------------------------------------------------------

    def _link_users(self) -> None:
        """Update the users of every node whose readers changed, and collect what nothing keeps any more."""
        by_id = self._by_id
        for made in self._made:  # a new node (most of a first build): every node it read gains a user
            for dep in made.deps:
                memo = by_id.get(dep) or self._load_id(dep)
                memo.add_new_user(made.id)
                memo.state |= DIRTY
        self._made = []
        for ident, old in self._old_deps.items():
            deps = by_id[ident].deps
            if not old:  # a node that read nothing before: every node it reads gains a user
                for dep in deps:
                    self._user(dep, ident, add=True)
                continue
            now = set(deps)
            for dep in set(old) - now:
                self._user(dep, ident, add=False)
            for dep in now - set(old):
                self._user(dep, ident, add=True)
        for ident, old in self._old_children.items():
            memo = self._by_id[ident]
            for child in set(old) - set(memo.children):
                child_memo = self._load_id(child)
                if child_memo is not None and child_memo.owner == ident:
                    child_memo.owner = 0
                    self._mark(child_memo)
                    self._lost.add(child)
        self._old_deps, self._old_children = {}, {}

    def _user(self, dep: int, user: int, add: bool) -> None:
        """Add or remove one user of a node."""
        memo = self._load_id(dep)
        if memo is None:
            return
        if add:
            memo.add_user(user)
        else:
            memo.drop_user(user)
            self._lost.add(dep)
        self._mark(memo)

    def _load_id(self, ident: int) -> Memo | None:
        """The memo with this id (loaded when needed), or None."""
        memo = self._by_id.get(ident)
        if memo is None:
            for row in self.store.rows([ident]):
                memo = self._keep(Memo.of(row))
        return memo

    def _collect(self) -> set[int]:
        """Collect the nodes nothing keeps (no reader, no owner, not a root), and what only they kept; all collected so far."""
        self._link_users()
        roots = {self._memos[key].id for key in self.roots if key in self._memos}
        gone: list[int] = []
        todo = sorted(self._lost)
        self._lost = set()
        seen = set()
        while todo:
            ident = todo.pop()
            if ident in seen:
                continue
            memo = self._load_id(ident)
            if memo is None or memo.ids().users or memo.owner or ident in roots:
                continue
            seen.add(ident)
            gone.append(ident)
            for dep in memo.deps:
                dep_memo = self._load_id(dep)
                if dep_memo is not None:
                    dep_memo.drop_user(ident)
                    self._mark(dep_memo)
                    todo.append(dep)
            for child in memo.children:
                child_memo = self._load_id(child)
                if child_memo is not None and child_memo.owner == ident:
                    child_memo.owner = 0
                    self._mark(child_memo)
                    todo.append(child)
        self._gone.update(gone)
        return self._gone

    def commit(self, meta: dict[str, Any] | None = None) -> None:
        """Save what this build changed (records, values, deletions) and the settings given, in one transaction.

        Records and values are made as the store writes them: a first build never holds them all at once.
        """
        gone = self._collect()
        kept = sorted((m for m in self._by_id.values() if m.state & DIRTY and m.id not in gone), key=attrgetter("id"))
        dumps, highest, rules = pickle.dumps, pickle.HIGHEST_PROTOCOL, self.rules
        rows = (columns(m) for m in kept)
        values = ((m.id, dumps(None if m.value is UNLOADED else m.value, protocol=highest))
                  for m in kept if m.state & FRESH and rules[m.key[0]].stored)
        self.store.write(rows, values, sorted(gone), {"revision": self.revision, **(meta or {})})
        for memo in kept:
            memo.state &= ~(DIRTY | FRESH)


def _compute_chunk(graph: Graph, keys: list[Key]) -> list[tuple[Key, Outcome]]:
    """Compute a chunk of nodes (here or in a helper process)."""
    return graph.compute_here(keys)


class _DigestPickler(pickle.Pickler):
    """Serialises a value by content, the same way in every process: models as their JSON."""

    def reducer_override(self, obj: Any) -> Any:
        """Stand-ins for what plain pickling would write differently from run to run."""
        parts = getattr(obj, "__digest__", None)
        if parts is not None and not isinstance(obj, type):
            return (tuple, (parts(),))
        dump = getattr(obj, "model_dump_json", None)
        if dump is not None and not isinstance(obj, type):
            return (str, (type(obj).__qualname__ + dump(),))
        if isinstance(obj, (datetime, date)):
            return (str, (obj.isoformat(),))
        return NotImplemented


def digest_of(value: Any) -> bytes:
    """A digest of a value's content: equal values give equal digests, in any process.

    Models are written as their JSON, and an object with a `__digest__` method as what it returns.
    Values hold no sets: pickle writes a set in the order of its hashes, which differs from one
    process to the next (sorted tuples serve instead).
    """
    if isinstance(value, bytes):
        return hashlib.blake2b(value, digest_size=16).digest()
    if isinstance(value, str):
        return hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    parts = getattr(value, "__digest__", None)
    if parts is not None and not isinstance(value, type):
        return digest_of(parts())
    buffer = io.BytesIO()
    pickler = _DigestPickler(buffer, protocol=5)
    pickler.fast = True  # no memo: equal values give equal bytes whatever objects they share
    pickler.dump(value)
    return hashlib.blake2b(buffer.getvalue(), digest_size=16).digest()
