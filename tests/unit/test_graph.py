"""The build graph on toy rules: recomputation after a change, early cutoff, clock windows, collection, persistence."""

from __future__ import annotations

import pytest

from sitegen.graph.core import Graph, GraphError, Rule, digest_of
from sitegen.graph.store import Store
from sitegen.problems import Problem


class World:
    """Files as a dict, and a log of what each build computed."""

    def __init__(self, path):
        self.files: dict[str, str] = {}
        self.seen: set[str] = set()
        self.store_path = path / "graph.sqlite"

    def rules(self) -> list[Rule]:
        """file (input) → words → count, first; total over a listing; a list owner demanding one node per file."""
        return [
            Rule("file", 0),
            Rule("names", 0),
            Rule("words", 1, lambda g, name: tuple(g.get(("file", name)).split()) if g.get(("file", name)) else ()),
            Rule("first", 2, lambda g, name: (g.get(("words", name)) or ("",))[0]),
            Rule("count", 2, lambda g, name: len(g.get(("words", name)))),
            Rule("total", 3, lambda g: sum(g.get(("count", n)) for n in g.get(("names",)))),
            Rule("index", 3, _index),
            Rule("page", 4, lambda g, name: f"{g.get(('first', name))}:{g.get(('total',))}"),
            Rule("due", 1, lambda g, name: "out" if g.reached(float(g.get(("file", name)) or 0)) else "soon"),
        ]

    def build(self, now: float = 0.0, roots=(("index",),)) -> Graph:
        """One build: inputs set from the files (a deleted file as empty), the pass run, the graph saved."""
        graph = Graph(Store(self.store_path, "salt"), self.rules(), now, roots)
        names = tuple(sorted(self.files))
        graph.set_input(("names",), digest_of(names), names)
        self.seen |= set(self.files)
        for name in sorted(self.seen):
            text = self.files.get(name, "")
            graph.set_input(("file", name), digest_of(text), text)
        graph.force_ids(graph.store.outside(now))
        graph.run()
        graph.commit()
        return graph


def _index(graph: Graph) -> tuple:
    """One page per file, demanded while the file exists."""
    names = graph.get(("names",))
    graph.demand(("page", name) for name in names)
    for name in names:
        if not graph.get(("words", name)):
            graph.problem(Problem(name, 1, "error", "the file is empty"))
    return names


def computed(graph: Graph, kind: str) -> list:
    """What this build computed of one kind."""
    return sorted(key[1:] for key in graph.computed if key[0] == kind)


@pytest.fixture
def world(tmp_path) -> World:
    """An empty world."""
    return World(tmp_path)


def test_first_build_computes_everything_and_the_second_nothing(world):
    world.files = {"a": "alpha beta", "b": "gamma"}
    first = world.build()
    assert computed(first, "page") == [("a",), ("b",)]
    assert first.peek(("page", "a")) == "alpha:3"
    second = world.build()
    assert second.computed == []
    assert second.peek(("page", "b")) == "gamma:3"


def test_a_change_recomputes_what_read_it_and_stops_where_values_come_out_equal(world):
    world.files = {"a": "alpha beta", "b": "gamma"}
    world.build()
    world.files["a"] = "alpha delta"  # same first word, same count: cut off at "first" and "count"
    graph = world.build()
    assert computed(graph, "words") == [("a",)]
    assert computed(graph, "first") == [("a",)] and computed(graph, "count") == [("a",)]
    assert computed(graph, "total") == [] and computed(graph, "page") == []
    world.files["a"] = "omega delta epsilon"  # first word and count change: both pages (total changed) recomputed
    graph = world.build()
    assert computed(graph, "page") == [("a",), ("b",)]
    assert graph.peek(("page", "a")) == "omega:4" and graph.peek(("page", "b")) == "gamma:4"


def test_a_file_added_and_removed_adds_and_collects_its_nodes(world):
    world.files = {"a": "alpha"}
    world.build()
    world.files["b"] = "beta gamma"
    graph = world.build()
    assert computed(graph, "page") == [("a",), ("b",)]
    del world.files["b"]
    graph = world.build()
    keys = {row.key for row in graph.store.rows(range(1, 100))}
    assert ("page", "b") not in keys and ("words", "b") not in keys and ("count", "b") not in keys
    assert ("page", "a") in keys


def test_problems_stand_until_fixed(world):
    world.files = {"a": "alpha", "b": ""}
    graph = world.build()
    assert [str(p) for p in graph.problems()] == ["b:1: error: the file is empty"]
    world.files["a"] = "alpha two"
    graph = world.build()
    assert [str(p) for p in graph.problems()] == ["b:1: error: the file is empty"]
    world.files["b"] = "beta"
    assert world.build().problems() == []


def test_the_clock_recomputes_a_node_when_its_answer_changes(world):
    world.files = {"t": "100"}
    graph = world.build(now=50.0, roots=(("due", "t"),))
    assert graph.peek(("due", "t")) == "soon"
    graph = world.build(now=99.0, roots=(("due", "t"),))
    assert graph.computed == []
    graph = world.build(now=100.0, roots=(("due", "t"),))
    assert graph.peek(("due", "t")) == "out"
    graph = world.build(now=50.0, roots=(("due", "t"),))  # a clock set back (SOURCE_DATE_EPOCH) is a change too
    assert graph.peek(("due", "t")) == "soon"


def test_a_rule_may_read_only_lower_levels(tmp_path):
    rules = [Rule("file", 0), Rule("up", 1, lambda g: g.get(("down",))), Rule("down", 1, lambda g: 1)]
    graph = Graph(Store(tmp_path / "g.sqlite", "salt"), rules, 0.0, [("up",)])
    with pytest.raises(GraphError, match="may not read"):
        graph.run()


def test_another_salt_starts_an_empty_graph(world, tmp_path):
    world.files = {"a": "alpha"}
    world.build()
    store = Store(world.store_path, "another engine")
    assert store.meta("revision") is None and store.fresh


def test_digests_are_by_content():
    assert digest_of(("a", 1)) == digest_of(("a", 1))
    assert digest_of(("a", 1)) != digest_of(("a", 2))
    assert digest_of({"a": ("x", 1)}) != digest_of({"a": ("x", 2)})


def test_prefetched_records_give_what_reads_would_and_a_changed_node_its_new_value(world):
    """Records and values fetched ahead of reads change nothing: a node due for computing still gets its new value."""
    world.files = {"a": "alpha beta", "b": "gamma"}
    world.build()
    world.files["a"] = "omega beta"
    graph = Graph(Store(world.store_path, "salt"), world.rules(), 0.0, (("index",),))
    names = tuple(sorted(world.files))
    graph.set_input(("names",), digest_of(names), names)
    for name in names:
        graph.set_input(("file", name), digest_of(world.files[name]), world.files[name])
    graph.prefetch([(kind, name) for kind in ("words", "first", "page") for name in names])
    graph.run()
    assert graph.peek(("page", "a")) == "omega:3"
    assert graph.peek(("page", "b")) == "gamma:3"
    assert computed(graph, "words") == [("a",)]



def test_the_site_s_recipes_and_pages_come_back_from_the_store_as_they_were():
    """Outputs and Pages, their records pickled as their fields (tuple_reduce): loaded back, equal, with the same digest and types."""
    import pickle

    from sitegen.model.listings import PageInfo, Pages
    from sitegen.pages.base import Recipe
    from sitegen.pages.outputs import Outputs

    outputs = Outputs((Recipe("news/a/index.html", "article", ("content/news/a.md",), "content/news/a.md", 0, "/news/a/"),), {"/b/": "two files"})
    pages = Pages((PageInfo("content/news/a.md", "article", "en", "/news/a/", 2024, (("fr", "content/news/a.fr.md"),), "page", 2, (), ""),),
                  (("drafts", 1),), (("/c/", "content/news/c.md", "a draft"),))
    for value, rows, kind in ((outputs, "recipes", Recipe), (pages, "pages", PageInfo)):
        loaded = pickle.loads(pickle.dumps(value, protocol=5))
        assert loaded == value
        assert [type(row) for row in getattr(loaded, rows)] == [kind]
        assert getattr(loaded, rows)[0].url == "/news/a/"
        assert digest_of(loaded) == digest_of(value)
