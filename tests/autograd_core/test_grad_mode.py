"""``no_grad``, ``enable_grad`` and ``set_grad_enabled``, as context managers and decorators."""
import pytest

import autograd_core as ag


def _records():
    """Whether an op on a tensor that requires grad is recorded right now."""
    return (ag.ones(1, requires_grad=True) * 2).requires_grad


def test_no_grad_context_manager():
    assert ag.is_grad_enabled() and _records()
    with ag.no_grad():
        assert not ag.is_grad_enabled() and not _records()
    assert ag.is_grad_enabled() and _records()


def test_enable_grad_inside_no_grad_and_nesting():
    with ag.no_grad():
        with ag.enable_grad():
            assert _records()
            with ag.no_grad():
                assert not _records()
            assert _records()
        assert not _records()
    assert _records()


@pytest.mark.parametrize("mode", [True, False])
def test_set_grad_enabled(mode):
    with ag.set_grad_enabled(mode):
        assert ag.is_grad_enabled() is mode and _records() is mode
    assert ag.is_grad_enabled()


def test_decorators():
    @ag.no_grad()
    def evaluate():
        """Evaluate without recording."""
        return _records()

    @ag.enable_grad()
    def train_step():
        return _records()

    assert evaluate() is False and ag.is_grad_enabled()
    assert evaluate.__name__ == "evaluate" and evaluate.__doc__ == "Evaluate without recording."
    with ag.no_grad():
        assert train_step() is True
        assert not ag.is_grad_enabled()


@pytest.mark.parametrize("mode", [True, False])
def test_set_grad_enabled_as_a_decorator(mode):
    @ag.set_grad_enabled(mode)
    def step(depth):
        """Record or not, as the decorator says, at every depth of recursion."""
        inner = step(depth - 1) if depth else []
        return inner + [_records()]

    with ag.set_grad_enabled(not mode):
        assert step(2) == [mode, mode, mode]
        assert ag.is_grad_enabled() is (not mode)
    assert ag.is_grad_enabled()
    assert step.__doc__.startswith("Record or not")


def test_mode_is_restored_after_an_exception():
    with pytest.raises(KeyError):
        with ag.no_grad():
            raise KeyError("boom")
    assert ag.is_grad_enabled()

    @ag.no_grad()
    def fails():
        raise KeyError("boom")

    with pytest.raises(KeyError):
        fails()
    assert ag.is_grad_enabled()


def test_results_under_no_grad_are_leaves_without_grad():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    with ag.no_grad():
        y = (x * 2).exp().sum()
    assert y.is_leaf and not y.requires_grad and y.grad_fn is None
    assert x.requires_grad  # the leaf itself is unchanged
