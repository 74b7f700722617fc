"""The demo registry (core.demo): apps contribute their parts; they are built in dependency order, all or nothing."""

from __future__ import annotations

import pytest

from jiceng.core import demo


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for made-up contributions; the project's own comes back afterwards."""
    fresh: dict = {}
    monkeypatch.setattr(demo, "_REGISTRY", fresh)
    return fresh


def _part(log: list, name: str, *, fail: bool = False):
    def build():
        log.append(f"build {name}")
        if fail:
            raise RuntimeError(f"{name} broke")

    def reset():
        log.append(f"reset {name}")

    return build, reset


def test_the_project_registers_org_then_accounts_then_assessments():
    names = [c.name for c in demo.ordered()]
    assert names.index("org") < names.index("accounts") < names.index("assessments")
    assert [c.name for c in demo.ordered(["accounts"])] == ["org", "accounts"]


def test_each_part_comes_after_what_it_names_whatever_the_registration_order(registry):
    log: list = []
    for name, after in [("c", ["b"]), ("b", ["a"]), ("a", []), ("d", [])]:
        build, reset = _part(log, name)
        demo.register(name, build=build, loaded=lambda: False, after=after, reset=reset)
    assert [c.name for c in demo.ordered()] == ["a", "b", "c", "d"]
    assert [c.name for c in demo.ordered(["b"])] == ["a", "b"]


def test_a_circle_or_an_unknown_dependency_is_refused_by_name(registry):
    demo.register("x", build=list, loaded=bool, after=["y"])
    demo.register("y", build=list, loaded=bool, after=["x"])
    with pytest.raises(ValueError, match="circle: x -> y -> x"):
        demo.ordered()
    registry.clear()
    demo.register("x", build=list, loaded=bool, after=["nowhere"])
    with pytest.raises(ValueError, match="'nowhere' \\(named in 'after' of 'x'\\)"):
        demo.ordered()


def test_registering_the_same_part_again_is_harmless_but_a_different_one_is_refused(registry):
    demo.register("x", build=list, loaded=bool)
    demo.register("x", build=list, loaded=bool)
    assert len(registry) == 1
    with pytest.raises(ValueError, match="'x' is already registered differently"):
        demo.register("x", build=dict, loaded=bool)


def test_build_skips_what_is_loaded_and_reset_runs_last_built_first(registry, db):
    log: list = []
    loaded = {"a": True, "b": False}
    for name, after in [("a", []), ("b", ["a"])]:
        build, reset = _part(log, name)
        demo.register(name, build=build, loaded=lambda name=name: loaded[name], after=after, reset=reset)
    assert [(c.name, built) for c, built in demo.build()] == [("a", False), ("b", True)]
    assert log == ["build b"]
    demo.reset()
    assert log == ["build b", "reset b", "reset a"]


def test_a_failing_part_leaves_nothing_half_built(registry, db):
    from jiceng.accounts.models import User

    def first():
        User.objects.create(username="built-by-first")

    def second():
        raise RuntimeError("second broke")

    demo.register("first", build=first, loaded=lambda: False)
    demo.register("second", build=second, loaded=lambda: False, after=["first"])
    with pytest.raises(RuntimeError, match="second broke"):
        demo.build()
    assert not User.objects.filter(username="built-by-first").exists()
