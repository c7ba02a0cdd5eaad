"""The worked examples of backpropagation from the course notes: each gradient is derived
by hand (in NumPy, from the formula the notes give) and compared with the engine's."""
import numpy as np
import pytest

import autograd_core as ag


def _param(rng, *shape):
    return ag.tensor(rng.standard_normal(shape) * 0.5, requires_grad=True)


def test_delta_rule_on_a_tanh_hidden_layer_with_linear_output_and_half_squared_error(rng):
    """z_j = tanh(sum_i w_ji x_i + b_j), y_k = sum_j w_kj z_j + b_k, L = 1/2 sum_k (y_k - t_k)^2.
    delta_k = y_k - t_k; delta_j = (1 - z_j^2) sum_k w_kj delta_k; gradient = delta x input."""
    x, t = rng.standard_normal(3), rng.standard_normal(2)
    w1, b1, w2, b2 = _param(rng, 4, 3), _param(rng, 4), _param(rng, 2, 4), _param(rng, 2)

    z = (w1 @ ag.tensor(x) + b1).tanh()
    y = w2 @ z + b2
    loss = 0.5 * ((y - ag.tensor(t)) ** 2).sum()
    loss.backward()

    # By hand, in NumPy.
    zh = np.tanh(w1.data @ x + b1.data)
    yh = w2.data @ zh + b2.data
    delta_k = yh - t
    delta_j = (1 - zh**2) * (w2.data.T @ delta_k)
    np.testing.assert_allclose(loss.item(), 0.5 * np.sum(delta_k**2))
    np.testing.assert_allclose(w2.grad, np.outer(delta_k, zh))  # delta x input
    np.testing.assert_allclose(b2.grad, delta_k)
    np.testing.assert_allclose(w1.grad, np.outer(delta_j, x))
    np.testing.assert_allclose(b1.grad, delta_j)

    # ... and both agree with central differences.
    assert ag.gradcheck(
        lambda a, b, c, d: 0.5 * ((c @ (a @ ag.tensor(x) + b).tanh() + d - ag.tensor(t)) ** 2).sum(),
        (w1, b1, w2, b2),
    )


def test_backward_layer_equations_on_a_batch(rng):
    """z_l = W_l a_{l-1} + b_l, a_l = f(z_l) with sigmoid hidden units, on a batch (rows):
    dL/dz_l = (dL/dz_{l+1} W_{l+1}) * f'(z_l), dL/dW_l = dL/dz_l^T a_{l-1}, dL/db_l summed over
    the batch. The engine's retained dL/dz must match the recursion layer by layer."""
    batch = rng.standard_normal((5, 3))
    target = rng.standard_normal((5, 2))
    w1, b1, w2, b2 = _param(rng, 4, 3), _param(rng, 4), _param(rng, 2, 4), _param(rng, 2)

    z1 = ag.linear(ag.tensor(batch), w1, b1)
    a1 = z1.sigmoid()
    z2 = a1 @ w2.T + b2
    z1.retain_grad()
    z2.retain_grad()
    loss = ((z2 - ag.tensor(target)) ** 2).mean()
    loss.backward()

    a1h = 1 / (1 + np.exp(-(batch @ w1.data.T + b1.data)))
    z2h = a1h @ w2.data.T + b2.data
    dz2 = 2 * (z2h - target) / target.size
    dz1 = (dz2 @ w2.data) * a1h * (1 - a1h)
    np.testing.assert_allclose(z2.grad, dz2)
    np.testing.assert_allclose(z1.grad, dz1)
    np.testing.assert_allclose(w2.grad, dz2.T @ a1h)
    np.testing.assert_allclose(b2.grad, dz2.sum(0))
    np.testing.assert_allclose(w1.grad, dz1.T @ batch)
    np.testing.assert_allclose(b1.grad, dz1.sum(0))


def test_sigmoid_with_binary_cross_entropy_gives_a_minus_y(rng):
    """L = -sum [y log a + (1 - y) log(1 - a)], a = sigmoid(z): dL/dz = a - y (not y - a)."""
    z = ag.tensor(rng.standard_normal(6), requires_grad=True)
    y = ag.tensor(np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0]))
    a = z.sigmoid()
    loss = -(y * a.log() + (1 - y) * (1 - a).log()).sum()
    loss.backward()
    np.testing.assert_allclose(z.grad, a.data - y.data)


def test_saturated_not_gate_squared_error_learns_slowly_cross_entropy_does_not():
    """One sigmoid unit with w = +5, b = 0 computing NOT wrongly: input 1, target 0, a ~ 0.993.
    Squared error's gradient carries a factor a (1 - a) ~ 0.0066; cross-entropy's is a - y."""
    w = ag.tensor(5.0, dtype=np.float64, requires_grad=True)
    a = (w * 1.0).sigmoid()
    (0.5 * (a - 0.0) ** 2).backward()
    squared_grad = w.grad.item()
    w.grad = None
    a = (w * 1.0).sigmoid()
    (-(1 - a).log()).backward()
    cross_entropy_grad = w.grad.item()
    s = 1 / (1 + np.exp(-5.0))
    assert squared_grad == pytest.approx(s * s * (1 - s))
    assert cross_entropy_grad == pytest.approx(s)
    assert cross_entropy_grad > 100 * squared_grad


def test_softmax_with_categorical_cross_entropy_gives_softmax_minus_onehot(rng):
    """L = -sum_k y_k log softmax(o)_k for a one-hot y: dL/do = softmax(o) - y, row by row."""
    logits = ag.tensor(rng.standard_normal((4, 5)), requires_grad=True)
    labels = np.array([0, 3, 3, 1])
    onehot = np.eye(5)[labels]
    # Written with raw ops: log_softmax, then pick each row's label by indexing.
    loss = -logits.log_softmax(-1)[np.arange(4), labels].sum()
    loss.backward()
    softmax = np.exp(logits.data) / np.exp(logits.data).sum(-1, keepdims=True)
    np.testing.assert_allclose(logits.grad, softmax - onehot)
    # The same through softmax and log separately, with the one-hot product.
    logits.grad = None
    (-(ag.tensor(onehot) * logits.softmax(-1).log()).sum()).backward()
    np.testing.assert_allclose(logits.grad, softmax - onehot)


def test_fan_out_sums_the_contributions_of_every_child(rng):
    """a = tanh(x) feeds two children, L = sum(u * a) + sum(a^2): dL/da = u + 2a is the sum
    of what each child sends back, and equals the sum of the two separate backward passes."""
    x = ag.tensor(rng.standard_normal(4), requires_grad=True)
    u = ag.tensor(rng.standard_normal(4))
    a = x.tanh()
    ((a * u).sum() + (a * a).sum()).backward()
    np.testing.assert_allclose(x.grad, (u.data + 2 * a.data) * (1 - a.data**2))
    together = x.grad.copy()
    x.grad = None
    (x.tanh() * u).sum().backward()
    x.tanh().square().sum().backward()  # .grad accumulates across the two passes
    np.testing.assert_allclose(x.grad, together)


def test_gradient_checking_error_is_second_order_in_the_step(rng):
    """Central differences (L(w + e) - L(w - e)) / 2e miss dL/dw by L'''(w) e^2 / 6 + O(e^4):
    a step ten times smaller gives an error about a hundred times smaller. Checked on a
    small tanh network, against backprop's exact gradient."""
    x, t = ag.tensor(rng.standard_normal((3, 2))), ag.tensor(rng.standard_normal((3, 1)))
    w1, w2 = _param(rng, 2, 4), _param(rng, 4, 1)

    def loss():
        return 0.5 * (((x @ w1).tanh() @ w2 - t) ** 2).sum()

    loss().backward()
    exact = w1.grad[1, 2]

    def central_difference(eps):
        with ag.no_grad():
            original = w1.data[1, 2]
            w1.data[1, 2] = original + eps
            plus = loss().item()
            w1.data[1, 2] = original - eps
            minus = loss().item()
            w1.data[1, 2] = original
        return (plus - minus) / (2 * eps)

    errors = [abs(central_difference(eps) - exact) for eps in (1e-1, 1e-2, 1e-3)]
    for larger, smaller in zip(errors, errors[1:]):
        assert 80 < larger / smaller < 120
