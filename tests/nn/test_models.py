"""Reference models (nn/models.py): picked by name, output shapes, parameter counts,
parity with the same networks built from torch layers, and a few training steps."""
import numpy as np
import pytest

import autograd_core as ag
import nn
import optim
from nn_helpers import to_torch_state


@pytest.mark.parametrize("name", nn.models.list_models())
def test_every_model_classifies_28_by_28_images(name, rng):
    model = nn.models.get_model(name)
    x = ag.Tensor(rng.standard_normal((2, 1, 28, 28)).astype(np.float32))
    logits = model(x)
    assert logits.shape == (2, 10) and logits.dtype == np.float32
    logits.sum().backward()
    assert all(p.grad is not None and p.grad.shape == p.shape for p in model.parameters())


def test_names_and_options():
    assert nn.models.list_models() == ["bn", "lenet", "preact-resnet", "resnet"]
    assert nn.models.get_model("lenet", num_classes=3)(ag.zeros(1, 1, 28, 28)).shape == (1, 3)
    with pytest.raises(ValueError, match=r"get_model: unknown model 'vgg'; choose one of bn, lenet"):
        nn.models.get_model("vgg")


def test_lenet_has_61706_parameters():
    """(5*5*1+1)*6 + (5*5*6+1)*16 + (400+1)*120 + (120+1)*84 + (84+1)*10."""
    assert sum(p.size for p in nn.models.LeNet5().parameters()) == 156 + 2416 + 48120 + 10164 + 850 == 61706


def test_resnet_stochastic_depth_grows_linearly_with_depth():
    model = nn.models.ResNet(blocks=(1, 1, 2), stochastic_depth=0.2)
    probabilities = [block.stochastic_depth for block in model.stages]
    np.testing.assert_allclose(probabilities, [0.05, 0.1, 0.15, 0.2])
    assert isinstance(nn.models.get_model("preact-resnet").head[0], nn.BatchNorm2d)


def _torch_reference(name):
    import torch.nn as tnn

    if name == "lenet":
        features = [tnn.Conv2d(1, 6, 5, padding=2), tnn.ReLU(), tnn.MaxPool2d(2), tnn.Conv2d(6, 16, 5), tnn.ReLU(), tnn.MaxPool2d(2)]
        classifier = [tnn.Flatten(), tnn.Linear(400, 120), tnn.ReLU(), tnn.Linear(120, 84), tnn.ReLU(), tnn.Linear(84, 10)]
    else:
        features = [tnn.Conv2d(1, 32, 3, padding=1, bias=False), tnn.BatchNorm2d(32), tnn.ReLU(), tnn.MaxPool2d(2),
                    tnn.Conv2d(32, 64, 3, padding=1, bias=False), tnn.BatchNorm2d(64), tnn.ReLU(), tnn.MaxPool2d(2)]
        classifier = [tnn.Flatten(), tnn.Linear(3136, 128), tnn.ReLU(), tnn.Dropout(0.3), tnn.Linear(128, 10)]
    reference = tnn.Module()
    reference.features, reference.classifier = tnn.Sequential(*features), tnn.Sequential(*classifier)
    reference.forward = lambda x: reference.classifier(reference.features(x))
    return reference


@pytest.mark.parametrize("name", ["lenet", "bn"])
def test_parity_with_torch(name, rng):
    torch = pytest.importorskip("torch")
    reference = _torch_reference(name).eval()
    model = nn.models.get_model(name).eval()
    model.load_state_dict(to_torch_state(reference))
    x = rng.standard_normal((4, 1, 28, 28)).astype(np.float32)
    np.testing.assert_allclose(model(ag.Tensor(x)).data, reference(torch.tensor(x)).detach().numpy(), rtol=1e-4, atol=1e-5)


def test_a_few_steps_fit_a_batch(rng):
    """Adam on one fixed batch: the loss must drop well below chance's log(10)."""
    model = nn.models.LeNet5()
    x = ag.Tensor(rng.standard_normal((16, 1, 28, 28)).astype(np.float32))
    y = ag.Tensor(rng.integers(0, 10, 16))
    optimizer = optim.Adam(model.parameters(), lr=3e-3)
    loss_fn = nn.CrossEntropyLoss()
    losses = []
    for _ in range(20):
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[0] > 2.0 and losses[-1] < 0.5 * losses[0]
