"""Name scopes: every Function node records the dotted path of the scopes it was made in."""
import pytest

import autograd_core as ag


def test_nodes_record_nested_scopes():
    x = ag.tensor([1.0], requires_grad=True)
    outside = x * 2
    with ag.scope("encoder") as path:
        assert path == "encoder" == ag.current_scope()
        a = outside.exp()
        with ag.scope("0"):
            b = a + 1
            with ag.scope("conv"):
                assert ag.current_scope() == "encoder.0.conv"
                c = b.tanh()
        d = c * 3
    e = d.sum()
    assert outside.grad_fn.scope == ""
    assert a.grad_fn.scope == "encoder"
    assert b.grad_fn.scope == "encoder.0"
    assert c.grad_fn.scope == "encoder.0.conv"
    assert d.grad_fn.scope == "encoder"
    assert e.grad_fn.scope == "" and ag.current_scope() == ""


def test_scope_is_restored_after_an_exception():
    with pytest.raises(KeyError):
        with ag.scope("layer"):
            raise KeyError("boom")
    assert ag.current_scope() == ""


def test_names_are_strings_and_empty_names_add_nothing():
    with ag.scope("blocks"):
        with ag.scope(3):
            assert ag.current_scope() == "blocks.3"
            with ag.scope(""):
                assert ag.current_scope() == "blocks.3"
