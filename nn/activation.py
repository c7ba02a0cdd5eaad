"""Activation layers: each applies its ``nn.functional`` form (see there for the
equations and derivatives) and shows its settings in its repr, as PyTorch's."""
from . import functional as F
from .module import Module


class _Activation(Module):
    """Stores the keyword settings it is given as attributes, and lists them in the
    repr (leaving out ``inplace=False``, as PyTorch)."""

    def __init__(self, **settings):
        super().__init__()
        self._settings = tuple(settings)
        for name, value in settings.items():
            setattr(self, name, value)

    def extra_repr(self):
        shown = [f"{name}={getattr(self, name)!r}" for name in self._settings if not (name == "inplace" and not self.inplace)]
        return ", ".join(shown)


class ReLU(_Activation):
    """max(x, 0)."""

    def __init__(self, inplace=False):
        super().__init__(inplace=inplace)

    def forward(self, input):
        return F.relu(input)


class LeakyReLU(_Activation):
    """x for x > 0, else negative_slope * x."""

    def __init__(self, negative_slope=0.01, inplace=False):
        super().__init__(negative_slope=negative_slope, inplace=inplace)

    def forward(self, input):
        return F.leaky_relu(input, self.negative_slope)


class ELU(_Activation):
    """x for x > 0, else alpha (exp(x) - 1)."""

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__(alpha=alpha, inplace=inplace)

    def forward(self, input):
        return F.elu(input, self.alpha)


class SELU(_Activation):
    """scale * elu(x, alpha), with the self-normalising constants."""

    def __init__(self, inplace=False):
        super().__init__(inplace=inplace)

    def forward(self, input):
        return F.selu(input)


class GELU(_Activation):
    """x Phi(x), exact (erf) or ``approximate="tanh"``."""

    def __init__(self, approximate="none"):
        super().__init__(approximate=approximate)

    def forward(self, input):
        return F.gelu(input, self.approximate)


class SiLU(_Activation):
    """x sigmoid(x)."""

    def __init__(self, inplace=False):
        super().__init__(inplace=inplace)

    def forward(self, input):
        return F.silu(input)


class Sigmoid(_Activation):
    """1 / (1 + exp(-x))."""

    def forward(self, input):
        return F.sigmoid(input)


class LogSigmoid(_Activation):
    """log sigmoid(x) = -softplus(-x)."""

    def forward(self, input):
        return F.logsigmoid(input)


class Tanh(_Activation):
    """tanh(x)."""

    def forward(self, input):
        return F.tanh(input)


class Hardtanh(_Activation):
    """x clipped to [min_val, max_val]."""

    def __init__(self, min_val=-1.0, max_val=1.0, inplace=False):
        if min_val > max_val:
            raise ValueError(f"Hardtanh: min_val {min_val} is greater than max_val {max_val}")
        super().__init__(min_val=min_val, max_val=max_val, inplace=inplace)

    def forward(self, input):
        return F.hardtanh(input, self.min_val, self.max_val)


class Softplus(_Activation):
    """log(1 + exp(beta x)) / beta, linear where beta x > threshold."""

    def __init__(self, beta=1.0, threshold=20.0):
        super().__init__(beta=beta, threshold=threshold)

    def forward(self, input):
        return F.softplus(input, self.beta, self.threshold)


class Softmax(_Activation):
    """exp(x) / sum(exp(x)) along ``dim``."""

    def __init__(self, dim=None):
        super().__init__(dim=dim)

    def forward(self, input):
        return F.softmax(input, self.dim)


class LogSoftmax(_Activation):
    """x - logsumexp(x) along ``dim``."""

    def __init__(self, dim=None):
        super().__init__(dim=dim)

    def forward(self, input):
        return F.log_softmax(input, self.dim)
