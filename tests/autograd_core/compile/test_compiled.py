"""``autograd_core.compile``: the programs it writes, when it traces again, what it
refuses, and models trained through it (MLP, LeNet-5, LSTM, dropout, batch norm)."""
import re

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
import optim
from autograd_core.compile import CompiledRegion
from autograd_core.compile.kernels import kernel, kernel_with_node, vjp


def tensor(rng, *shape, requires_grad=False):
    return ag.Tensor(rng.standard_normal(shape), requires_grad=requires_grad)


class MLP(nn.Module):
    def __init__(self, sizes=(3, 8, 8, 2), dropout=0.0, batch_norm=False):
        super().__init__()
        self.fc1 = nn.Linear(sizes[0], sizes[1])
        self.bn = nn.BatchNorm1d(sizes[1]) if batch_norm else nn.Identity()
        self.fc2 = nn.Linear(sizes[1], sizes[2])
        self.drop = nn.Dropout(dropout)
        self.fc3 = nn.Linear(sizes[2], sizes[3])

    def forward(self, x):
        h = self.bn(self.fc1(x)).relu()
        h = self.drop(self.fc2(h).tanh())
        return self.fc3(h)


def model_and_step(model, loss_fn=F.cross_entropy):
    def loss(x, y):
        return loss_fn(model(x), y)

    return ag.compile(loss)


# -- the code ---------------------------------------------------------------------------
def test_code_names_variables_after_modules_and_parameters():
    model = MLP().double()
    step = model_and_step(model)
    rng = np.random.default_rng(0)
    step(tensor(rng, 4, 3), ag.Tensor(np.array([0, 1, 1, 0]))).backward()
    code = step.code
    assert "fc1 = x @ fc1_weight.T + fc1_bias" in code
    assert "def forward(x, y, fc1_weight, fc1_bias" in code and "def backward(d_" in code
    assert "d_fc1_weight = np.matmul(d_fc1.T, x, out=d_fc1_weight)" in code  # into its buffer
    assert str(step) == code
    for line in code.split("def forward")[1].split("return")[0].splitlines()[1:]:
        if line.strip():
            assert "  # " in line, line  # every op line has its comment


def test_the_code_runs_on_its_own_and_gives_the_same_numbers():
    model = MLP(batch_norm=True).double()
    step = model_and_step(model)
    rng = np.random.default_rng(1)
    x, y = tensor(rng, 6, 3), ag.Tensor(np.array([0, 1, 1, 0, 1, 0]))
    step(x, y)
    namespace = dict(step.constants)
    exec(compile(step.code, "<standalone>", "exec"), namespace)
    params = [p.data.copy() for p in (model.fc1.weight, model.fc1.bias)]
    running = model.bn.running_mean.data.copy()
    loss = step(x, y)
    loss.backward()
    model.bn.running_mean.data[...] = running  # the standalone run updates it once more
    arrays = [x.data, y.data] + [t.data for t in step._last.externals]
    (out,), slots = namespace["forward"](*arrays)
    np.testing.assert_allclose(out, loss.data, rtol=1e-12)
    grads = namespace["backward"](np.ones_like(out), *slots)
    np.testing.assert_allclose(grads[2], model.fc1.weight.grad, rtol=1e-12)
    assert [p.data.tolist() for p in (model.fc1.weight, model.fc1.bias)] == [p.tolist() for p in params]


def test_gradient_buffers_are_reused_but_never_change_a_gradient_someone_holds():
    model = MLP().double()
    step = model_and_step(model)
    rng = np.random.default_rng(8)
    batches = [(tensor(rng, 5, 3), ag.Tensor(rng.integers(0, 2, 5))) for _ in range(3)]
    weight = model.fc1.weight

    def eager_grad(x, y):
        (g,) = ag.grad(F.cross_entropy(model(x), y), [weight])
        return g.data

    step(*batches[0]).backward()
    buffers = step._last.buffers
    assert weight.grad is buffers["d_fc1_weight"]  # the first .grad is the buffer itself
    first = weight.grad
    kept = first.copy()
    step(*batches[1]).backward()  # accumulates into .grad: the next buffer is a new one
    np.testing.assert_allclose(first, kept + eager_grad(*batches[1]), rtol=1e-12)
    accumulated = first.copy()
    (returned,) = ag.grad(step(*batches[2]), [weight])
    (again,) = ag.grad(step(*batches[0]), [weight])
    np.testing.assert_array_equal(first, accumulated)
    np.testing.assert_allclose(returned.data, eager_grad(*batches[2]), rtol=1e-12)
    np.testing.assert_allclose(again.data, eager_grad(*batches[0]), rtol=1e-12)
    assert not np.shares_memory(returned.data, again.data)
    # Once nobody holds it, a buffer is written again rather than a new one made.
    del returned, again
    weight.grad = None
    step(*batches[0]).backward()
    buffer_id = id(weight.grad)  # the buffer stays alive in the program: its id is its own
    weight.grad = None
    step(*batches[1]).backward()
    assert id(weight.grad) == buffer_id == id(step._last.buffers["d_fc1_weight"])
    np.testing.assert_allclose(weight.grad, eager_grad(*batches[1]), rtol=1e-12)


def test_kernels_run_an_op_by_name():
    rng = np.random.default_rng(2)
    x, w = rng.standard_normal((1, 2, 5)), rng.standard_normal((3, 2, 3))
    hyper = dict(stride=(1,), padding=((0, 0),), dilation=(1,), groups=1)
    from autograd_core.conv import Conv

    out, node = kernel_with_node(Conv, x, w, needs=(True, True), **hyper)
    np.testing.assert_array_equal(out, kernel(Conv, x, w, **hyper))
    d_x, d_w = vjp(node, np.ones_like(out))
    assert d_x.shape == x.shape and d_w.shape == w.shape


def test_parameters_are_read_when_the_program_runs():
    w = ag.tensor([2.0], requires_grad=True)
    f = ag.compile(lambda x: (x * w).sum())
    x = ag.tensor([3.0])
    assert f(x).item() == 6.0
    with ag.no_grad():
        w.copy_([5.0])
    assert f(x).item() == 15.0 and f.traces == 1


# -- one node in the graph -----------------------------------------------------------------
def test_the_result_has_one_node_that_backward_grad_optimizers_and_drawing_use():
    model = MLP().double()
    step = model_and_step(model)
    rng = np.random.default_rng(3)
    x, y = tensor(rng, 5, 3), ag.Tensor(np.array([0, 1, 1, 0, 1]))
    loss = step(x, y)
    assert isinstance(loss.grad_fn, CompiledRegion) and loss.grad_fn.name == "loss"
    assert all(p is None or not hasattr(p, "parents") for p in loss.grad_fn.parents)
    (g,) = ag.grad(loss, [model.fc3.bias])
    eager = F.cross_entropy(model(x), y)
    (expected,) = ag.grad(eager, [model.fc3.bias])
    np.testing.assert_allclose(g.data, expected.data, rtol=1e-12)
    source = ag.draw_graph(step(x, y)).source
    assert "<B>loss</B>" in source and "<B>linear</B>" not in source
    assert [s.op for s in ag.BackwardStepper(step(x, y))] == ["loss"]
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    before = step(x, y).item()
    for _ in range(5):
        optimizer.zero_grad()
        step(x, y).backward()
        optimizer.step()
    assert step(x, y).item() < before and step.traces == 1


def test_the_trace_stops_at_inputs_and_parameters_made_outside():
    calls = []

    class Double(ag.Function):
        def forward(self, a):
            return 2 * a

        def backward(self, grad):
            calls.append(grad.shape)
            return 2 * grad

    a = ag.tensor([1.0, -2.0], requires_grad=True)
    w = ag.tensor([0.5, 3.0], requires_grad=True)
    doubled_w = Double.apply(w)
    f = ag.compile(lambda x: (x * doubled_w).tanh().sum())
    out = f(Double.apply(a))
    assert calls == []  # tracing recorded the backward pass inside f only
    out.backward()
    assert len(calls) == 2
    local = 1 - np.tanh(4 * a.data * w.data) ** 2
    np.testing.assert_allclose(a.grad, local * 2 * 2 * w.data, rtol=1e-6)
    np.testing.assert_allclose(w.grad, local * 2 * 2 * a.data, rtol=1e-6)


def test_a_gradient_hook_inside_the_function_is_refused():
    def hooked(x):
        y = x * 2
        y.register_hook(lambda g: g * 0)
        return y.sum()

    with pytest.raises(RuntimeError, match="hook"):
        ag.compile(hooked)(ag.tensor([1.0], requires_grad=True))


def test_a_tuple_of_outputs():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    f = ag.compile(lambda x: ((x * w).sum(), x * w, (x > 1.5)))
    total, product, mask = f(ag.tensor([1.0, 2.0]))
    assert total.item() == 5.0 and product.tolist() == [1.0, 4.0] and mask.tolist() == [False, True]
    (total + product.sum()).backward()
    assert w.grad.tolist() == [2.0, 4.0]


# -- tracing again, refusing ----------------------------------------------------------------
def test_a_new_shape_dtype_requires_grad_or_mode_traces_again():
    model = MLP(dropout=0.5).double()
    f = ag.compile(lambda x: model(x).sum())
    rng = np.random.default_rng(4)
    f(tensor(rng, 4, 3))
    f(tensor(rng, 4, 3))
    assert f.traces == 1
    f(tensor(rng, 7, 3))
    assert f.traces == 2
    f(tensor(rng, 7, 3, requires_grad=True))
    assert f.traces == 3
    model.eval()
    f(tensor(rng, 7, 3))
    assert f.traces == 4 and "dropout_mask" not in f.code
    with ag.no_grad():
        f(tensor(rng, 7, 3))
    assert f.traces == 5


def test_freezing_or_unfreezing_a_parameter_traces_again():
    w = ag.tensor([2.0, 3.0], requires_grad=False)
    b = ag.tensor([1.0], requires_grad=True)
    f = ag.compile(lambda x: (x * w + b).sum())
    x = ag.tensor([1.0, -1.0])
    f(x).backward()
    w.requires_grad_(True)
    f(x).backward()
    assert f.traces == 2 and w.grad.tolist() == [1.0, -1.0] and b.grad.tolist() == [4.0]


def test_reading_a_value_into_python_is_refused_with_the_line():
    def branchy(x):
        if (x.sum() > 0):  # the line the message names
            return x * 2
        return x

    with pytest.raises(RuntimeError, match=r"test_compiled.py, line \d+: if \(x.sum\(\) > 0\):"):
        ag.compile(branchy)(ag.tensor([1.0, 2.0]))
    with pytest.raises(RuntimeError, match=r"item\(\) at .*line \d+: .*x.mean\(\).item\(\)"):
        ag.compile(lambda x: x * (scale := x.mean().item()) + scale)(ag.tensor([1.0]))


def test_in_place_changes_other_than_copy_are_refused():
    def inplace(x):
        y = x * 1
        y.add_(1)
        return y

    with pytest.raises(RuntimeError, match="add_"):
        ag.compile(inplace)(ag.tensor([1.0]))


def test_code_before_the_first_call_says_to_call_it():
    with pytest.raises(RuntimeError, match="not been called"):
        ag.compile(lambda x: x).code


# -- models -----------------------------------------------------------------------------
def compare_training(model_fn, x, y, loss_fn, steps=3):
    """Train two copies of a model, one through compile; losses and weights must agree."""
    eager_model, compiled_model = model_fn(), model_fn()
    compiled_model.load_state_dict(eager_model.state_dict())
    step = ag.compile(lambda a, b: loss_fn(compiled_model(a), b))
    opt_e = optim.SGD(eager_model.parameters(), lr=0.05, momentum=0.9)
    opt_c = optim.SGD(compiled_model.parameters(), lr=0.05, momentum=0.9)
    for i in range(steps):
        ag.manual_seed(i)
        opt_e.zero_grad()
        eager_loss = loss_fn(eager_model(x), y)
        eager_loss.backward()
        opt_e.step()
        ag.manual_seed(i)
        opt_c.zero_grad()
        loss = step(x, y)
        loss.backward()
        opt_c.step()
        np.testing.assert_allclose(loss.data, eager_loss.data, rtol=1e-9)
    for (name, a), b in zip(eager_model.state_dict().items(), compiled_model.state_dict().values()):
        np.testing.assert_allclose(np.asarray(b), np.asarray(a), rtol=1e-8, atol=1e-12, err_msg=name)
    assert step.traces == 1
    return eager_model, compiled_model, step


@pytest.mark.parametrize("dropout, batch_norm", [(0.0, False), (0.4, False), (0.0, True), (0.3, True)])
def test_mlp_trains_as_eager(dropout, batch_norm):
    rng = np.random.default_rng(5)
    x, y = tensor(rng, 16, 3), ag.Tensor(rng.integers(0, 2, 16))
    eager, compiled, step = compare_training(lambda: MLP(dropout=dropout, batch_norm=batch_norm).double(), x, y, F.cross_entropy)
    eager.eval(), compiled.eval()
    np.testing.assert_allclose(step(x, y).data, F.cross_entropy(eager(x), y).data, rtol=1e-9)
    assert step.traces == 2  # evaluation mode is a new signature
    if batch_norm:
        assert "running_mean" in step.code


def test_lenet_trains_as_eager():
    rng = np.random.default_rng(6)
    x, y = tensor(rng, 4, 1, 28, 28), ag.Tensor(rng.integers(0, 10, 4))
    compare_training(lambda: nn.models.LeNet5().double(), x, y, F.cross_entropy, steps=2)


def test_lstm_trains_as_eager():
    class Tagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(3, 5, batch_first=True)
            self.head = nn.Linear(5, 2)

        def forward(self, x):
            out, _ = self.lstm(x)
            return self.head(out[:, -1])

    rng = np.random.default_rng(7)
    x, y = tensor(rng, 4, 6, 3), ag.Tensor(rng.integers(0, 2, 4))
    compare_training(lambda: Tagger().double(), x, y, F.cross_entropy)
