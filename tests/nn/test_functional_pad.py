"""nn.functional.pad against PyTorch's, every mode, values and gradients."""
import numpy as np
import pytest

import autograd_core as ag
import nn.functional as F

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("mode", ["constant", "reflect", "replicate", "circular"])
@pytest.mark.parametrize("shape, padding", [((1, 2, 5), (2, 1)), ((1, 2, 4, 5), (1, 2, 2, 0)), ((2, 1, 3, 3, 4), (1, 1, 0, 2, 1, 0))])
def test_pad_matches_pytorch(mode, shape, padding):
    rng = np.random.default_rng(0)
    data = rng.standard_normal(shape)
    x = ag.tensor(data, requires_grad=True)
    tx = torch.tensor(data, requires_grad=True)
    kwargs = {"value": 1.5} if mode == "constant" else {}
    ours = F.pad(x, padding, mode=mode, **kwargs)
    theirs = torch.nn.functional.pad(tx, padding, mode=mode, **kwargs)
    np.testing.assert_allclose(ours.data, theirs.detach().numpy())
    weights = rng.standard_normal(theirs.shape)
    (ours * ag.tensor(weights)).sum().backward()
    (theirs * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(x.grad, tx.grad.numpy())
