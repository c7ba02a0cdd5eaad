"""Helpers shared by the nn tests: float64 leaves, gradient checks, PyTorch state dicts."""
import numpy as np

import autograd_core as ag


def leaf(array, requires_grad=True):
    """A float64 leaf tensor from ``array``, for gradient checks."""
    return ag.Tensor(np.asarray(array, dtype=np.float64), requires_grad=requires_grad)


def assert_gradients(fn, *inputs, second=True, **tolerances):
    """gradcheck ``fn`` at ``inputs`` (float64) and, unless ``second`` is False,
    gradgradcheck it."""
    assert ag.gradcheck(fn, inputs, **tolerances)
    if second:
        assert ag.gradgradcheck(fn, inputs, **tolerances)


def to_torch_state(model):
    """The state dict of a torch model as NumPy arrays (what a user would export)."""
    return {name: value.detach().numpy().copy() for name, value in model.state_dict().items()}


def assert_matches_torch(layer, reference, x, rng, rtol=1e-4, atol=1e-5):
    """Run our ``layer`` and torch's ``reference`` on the float32 array ``x``: the outputs,
    and the gradients of the input and of every parameter for a random output gradient,
    must agree."""
    import torch

    ours_in, theirs_in = ag.Tensor(x.copy(), requires_grad=True), torch.tensor(x, requires_grad=True)
    ours_out, theirs_out = layer(ours_in), reference(theirs_in)
    np.testing.assert_allclose(ours_out.data, theirs_out.detach().numpy(), rtol=rtol, atol=atol)
    seed = rng.standard_normal(ours_out.shape).astype(np.float32)
    layer.zero_grad()
    reference.zero_grad()
    ours_out.backward(seed)
    theirs_out.backward(torch.from_numpy(seed))
    np.testing.assert_allclose(ours_in.grad, theirs_in.grad.numpy(), rtol=10 * rtol, atol=10 * atol)
    for (name, p), q in zip(layer.named_parameters(), reference.parameters()):
        np.testing.assert_allclose(p.grad, q.grad.numpy(), rtol=10 * rtol, atol=10 * atol, err_msg=name)
