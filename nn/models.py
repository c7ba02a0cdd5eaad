"""Reference convolutional networks for 28x28 grayscale images (MNIST, Fashion-MNIST),
to pick by name: ``get_model("lenet")``, ``get_model("bn")``, ``get_model("resnet")``.

- ``lenet``: LeNet-5 (LeCun et al., 1998) in its modern form - ReLU and max pooling in
  place of the original's scaled tanh and subsampling; 61,706 parameters.
- ``bn``: two convolution blocks (conv - batch norm - ReLU - max pool), 32 and 64
  channels, then a dense layer with dropout; batch norm sits between each convolution
  and its activation, as the notes place it.
- ``resnet``: a small ResNet (He et al., 2016) - a 3x3 stem, three stages of residual
  blocks at 28x28, 14x14 and 7x7 (16, 32, 64 channels), global average pooling.
- ``preact-resnet``: the same with pre-activation blocks.
"""
from .activation import ReLU
from .batchnorm import BatchNorm2d
from .containers import Sequential
from .conv import Conv2d
from .dropout import Dropout
from .flatten import Flatten
from .linear import Linear
from .module import Module
from .pooling import AdaptiveAvgPool2d, MaxPool2d
from .residual import ResidualBlock


class LeNet5(Module):
    """conv 5x5 (6) - ReLU - max pool 2 - conv 5x5 (16) - ReLU - max pool 2 - dense 120 -
    ReLU - dense 84 - ReLU - dense ``num_classes``. The first convolution pads by 2, so a
    28x28 image is treated like LeNet's 32x32 input: 28 -> 28 -> 14 -> 10 -> 5."""

    def __init__(self, num_classes=10, in_channels=1):
        super().__init__()
        self.features = Sequential(
            Conv2d(in_channels, 6, 5, padding=2), ReLU(), MaxPool2d(2),
            Conv2d(6, 16, 5), ReLU(), MaxPool2d(2),
        )
        self.classifier = Sequential(
            Flatten(), Linear(16 * 5 * 5, 120), ReLU(), Linear(120, 84), ReLU(), Linear(84, num_classes),
        )

    def forward(self, x):
        return self.classifier(self.features(x))


class ConvNetBN(Module):
    """[conv 3x3 - batch norm - ReLU - max pool 2] with 32 then 64 channels
    (28 -> 14 -> 7), dense 128 - ReLU - dropout - dense ``num_classes``."""

    def __init__(self, num_classes=10, in_channels=1, dropout=0.3):
        super().__init__()

        def block(cin, cout):
            return [Conv2d(cin, cout, 3, padding=1, bias=False), BatchNorm2d(cout), ReLU(), MaxPool2d(2)]

        self.features = Sequential(*block(in_channels, 32), *block(32, 64))
        self.classifier = Sequential(
            Flatten(), Linear(64 * 7 * 7, 128), ReLU(), Dropout(dropout), Linear(128, num_classes),
        )

    def forward(self, x):
        return self.classifier(self.features(x))


class ResNet(Module):
    """A small ResNet for 28x28 inputs: conv 3x3 (``widths[0]``) - BN - ReLU, then one
    stage of ``blocks[i]`` residual blocks per width (every stage after the first halves
    the resolution), global average pooling and a dense layer.

    ``stochastic_depth`` is the drop probability of the last block; earlier blocks get
    linearly smaller ones (Huang et al., 2016).
    """

    def __init__(self, num_classes=10, in_channels=1, widths=(16, 32, 64), blocks=(2, 2, 2), preactivation=False,
                 stochastic_depth=0.0):
        super().__init__()
        self.stem = Sequential(Conv2d(in_channels, widths[0], 3, padding=1, bias=False), BatchNorm2d(widths[0]), ReLU())
        total = sum(blocks)
        layers, channels, depth = [], widths[0], 0
        for stage, (width, count) in enumerate(zip(widths, blocks)):
            for i in range(count):
                depth += 1
                stride = 2 if stage > 0 and i == 0 else 1
                layers.append(ResidualBlock(channels, width, stride, preactivation, True, stochastic_depth * depth / total))
                channels = width
        self.stages = Sequential(*layers)
        # Pre-activation blocks end on a convolution: normalise and activate once more.
        self.head = Sequential(
            *([BatchNorm2d(channels), ReLU()] if preactivation else []),
            AdaptiveAvgPool2d(1), Flatten(), Linear(channels, num_classes),
        )

    def forward(self, x):
        return self.head(self.stages(self.stem(x)))


MODELS = {
    "lenet": LeNet5,
    "bn": ConvNetBN,
    "resnet": ResNet,
    "preact-resnet": lambda **kwargs: ResNet(preactivation=True, **kwargs),
}


def list_models():
    """The names ``get_model`` knows."""
    return sorted(MODELS)


def get_model(name, **kwargs):
    """A new model by name (see the module docstring); keyword arguments go to its class
    (``num_classes``, ``in_channels``...)."""
    if name not in MODELS:
        raise ValueError(f"get_model: unknown model {name!r}; choose one of {', '.join(list_models())}")
    return MODELS[name](**kwargs)
