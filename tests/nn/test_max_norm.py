"""max_norm_ (nn/utils/max_norm.py): rows and filters rescaled onto the bound, the rest
untouched; parity with torch.renorm; lists of weights; errors."""
import numpy as np
import pytest

import autograd_core as ag
import nn


def test_rows_above_the_bound_are_rescaled_by_hand():
    w = ag.Tensor(np.array([[3.0, 4.0], [0.3, 0.4], [0.0, 0.0]]))
    assert nn.utils.max_norm_(w, 1.0) is w
    np.testing.assert_allclose(w.data, [[0.6, 0.8], [0.3, 0.4], [0.0, 0.0]], rtol=1e-6)
    columns = ag.Tensor(np.array([[3.0, 0.1], [4.0, 0.1]]))
    nn.utils.max_norm_(columns, 2.0, dim=1)
    np.testing.assert_allclose(columns.data, [[1.2, 0.1], [1.6, 0.1]], rtol=1e-6)


@pytest.mark.parametrize("shape, dim, p", [((5, 4), 0, 2.0), ((6, 3, 3, 3), 0, 2.0), ((4, 7), 1, 1.0), ((3, 2, 4), -1, 3.0)])
def test_parity_with_torch_renorm(rng, shape, dim, p):
    torch = pytest.importorskip("torch")
    w = rng.standard_normal(shape).astype(np.float32)
    expected = torch.renorm(torch.from_numpy(w), p, dim, 1.5).numpy()
    ours = ag.Tensor(w.copy())
    nn.utils.max_norm_(ours, 1.5, dim=dim, norm_type=p)
    np.testing.assert_allclose(ours.data, expected, rtol=1e-5, atol=1e-7)


def test_after_each_optimizer_step_the_constraint_holds(rng):
    import optim

    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    weights = [m.weight for m in model.modules() if isinstance(m, nn.Linear)]
    optimizer = optim.SGD(model.parameters(), lr=5.0)
    x, y = ag.Tensor(rng.standard_normal((16, 4)).astype(np.float32)), rng.integers(0, 2, 16)
    for _ in range(5):
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
        nn.utils.max_norm_(weights, 0.5)
        for w in weights:
            assert np.linalg.norm(w.data, axis=1).max() <= 0.5 + 1e-6
        assert model[0].weight.grad is not None


def test_errors():
    with pytest.raises(IndexError, match=r"max_norm_: dim 2 is out of range for a weight of shape \(2, 2\)"):
        nn.utils.max_norm_(ag.ones(2, 2), 1.0, dim=2)
    with pytest.raises(ValueError, match="max_norm_: max_value"):
        nn.utils.max_norm_(ag.ones(2, 2), -1.0)
    with pytest.raises(TypeError, match="max_norm_: expected a Tensor"):
        nn.utils.max_norm_([np.ones(2)], 1.0)
