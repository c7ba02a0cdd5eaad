"""ResidualBlock (nn/residual.py): y = shortcut(x) + F(x) in the original and the
pre-activation form, projection shortcuts, the identity Jacobian path, stochastic depth,
gradients, and parity with the same block built from torch layers."""
import numpy as np
import pytest

import autograd_core as ag
import nn
from nn_helpers import assert_gradients, leaf, to_torch_state


def test_shapes_and_shortcuts():
    same = nn.ResidualBlock(8)
    assert isinstance(same.shortcut, nn.Identity)
    assert same(ag.randn(2, 8, 6, 6)).shape == (2, 8, 6, 6)
    down = nn.ResidualBlock(8, 16, stride=2)
    assert down(ag.randn(2, 8, 7, 7)).shape == (2, 16, 4, 4)
    assert [n for n, _ in down.shortcut.named_parameters()] == ["0.weight", "1.weight", "1.bias"]
    pre = nn.ResidualBlock(8, 16, preactivation=True)
    assert isinstance(pre.shortcut, nn.Conv2d) and pre.bn1.num_features == 8
    plain = nn.ResidualBlock(4, batch_norm=False)
    assert plain.conv1.bias is not None and not any(isinstance(m, nn.BatchNorm2d) for m in plain.modules())


def test_zero_branch_makes_the_block_the_identity_path(rng):
    """With the last convolution zeroed, F(x) = 0: the pre-activation block is exactly the
    identity and passes the gradient through unchanged (Jacobian I + dF/dx = I); the
    original form adds its final ReLU."""
    x = ag.Tensor(rng.standard_normal((2, 4, 5, 5)).astype(np.float32), requires_grad=True)
    for preactivation in (True, False):
        block = nn.ResidualBlock(4, preactivation=preactivation)
        block.conv2.weight.data[...] = 0.0
        y = block(x)
        np.testing.assert_allclose(y.data, x.data if preactivation else np.maximum(x.data, 0), atol=1e-6)
        g = rng.standard_normal(x.shape).astype(np.float32)
        x.grad = None
        y.backward(g)
        np.testing.assert_allclose(x.grad, g if preactivation else g * (x.data > 0), atol=1e-6)


def test_post_activation_ends_with_relu_pre_activation_does_not(rng):
    x = ag.Tensor(rng.standard_normal((2, 4, 5, 5)).astype(np.float32))
    assert nn.ResidualBlock(4)(x).data.min() >= 0
    assert nn.ResidualBlock(4, preactivation=True)(x).data.min() < 0


@pytest.mark.parametrize("preactivation", [False, True])
@pytest.mark.parametrize("stride", [1, 2])
def test_input_gradients(preactivation, stride, rng):
    block = nn.ResidualBlock(2, 3, stride=stride, preactivation=preactivation).double()
    assert_gradients(block, leaf(rng.standard_normal((2, 2, 4, 4))), second=False)


def test_stochastic_depth_drops_whole_branches_per_example(rng):
    ag.manual_seed(1)
    block = nn.ResidualBlock(3, preactivation=True, stochastic_depth=0.5, batch_norm=False)
    x = ag.Tensor(rng.standard_normal((64, 3, 4, 4)).astype(np.float32))
    branch = block.branch(x).data
    out = block(x).data
    dropped = np.all(np.isclose(out, x.data, atol=1e-6), axis=(1, 2, 3))
    kept = np.all(np.isclose(out, x.data + 2 * branch, atol=1e-5), axis=(1, 2, 3))
    assert np.all(dropped ^ kept) and 16 < dropped.sum() < 48
    block.eval()
    np.testing.assert_allclose(block(x).data, x.data + branch, atol=1e-6)


def test_stochastic_depth_must_be_a_probability():
    with pytest.raises(ValueError, match=r"ResidualBlock: stochastic_depth must be in \[0, 1\)"):
        nn.ResidualBlock(3, stochastic_depth=1.0)


@pytest.mark.parametrize("preactivation", [False, True])
def test_parity_with_the_block_built_from_torch_layers(preactivation, rng):
    torch = pytest.importorskip("torch")
    tnn = torch.nn

    class TorchBlock(tnn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = tnn.Conv2d(4, 6, 3, 2, padding=1, bias=False)
            self.conv2 = tnn.Conv2d(6, 6, 3, padding=1, bias=False)
            self.bn1, self.bn2 = tnn.BatchNorm2d(4 if preactivation else 6), tnn.BatchNorm2d(6)
            projection = tnn.Conv2d(4, 6, 1, 2, bias=False)
            self.shortcut = projection if preactivation else tnn.Sequential(projection, tnn.BatchNorm2d(6))

        def forward(self, x):
            relu = torch.relu
            if preactivation:
                return self.shortcut(x) + self.conv2(relu(self.bn2(self.conv1(relu(self.bn1(x))))))
            return relu(self.shortcut(x) + self.bn2(self.conv2(relu(self.bn1(self.conv1(x))))))

    reference = TorchBlock()
    block = nn.ResidualBlock(4, 6, stride=2, preactivation=preactivation)
    block.load_state_dict(to_torch_state(reference))
    x = rng.standard_normal((3, 4, 6, 6)).astype(np.float32)
    ours, theirs = ag.Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out, expected = block(ours), reference(theirs)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-4, atol=1e-5)
    g = rng.standard_normal(out.shape).astype(np.float32)
    out.backward(g)
    expected.backward(torch.from_numpy(g))
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-3, atol=1e-4)
    for (name, p), q in zip(block.named_parameters(), reference.parameters()):
        np.testing.assert_allclose(p.grad, q.grad.numpy(), rtol=1e-3, atol=1e-4, err_msg=name)
