"""``Parameter``: a tensor that a ``Module`` registers as one of its learnable weights."""
import numpy as np

from autograd_core import Tensor


class Parameter(Tensor):
    """A leaf tensor that requires grad by default. Assigning one to an attribute of a
    ``Module`` registers it, so it appears in ``parameters()`` and ``state_dict()``.

    ``Parameter(data)`` wraps a NumPy array or the data of a Tensor without copying;
    Python numbers and lists become float32, as ``autograd_core.tensor`` makes them.
    Integer data cannot require gradients (as in PyTorch).
    """

    def __init__(self, data, requires_grad=True):
        super().__init__(data.data if isinstance(data, Tensor) else data, requires_grad=requires_grad)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    def __reduce_ex__(self, protocol):
        # Only copy.deepcopy uses this (weights are saved as .npz, never pickled).
        return (Parameter, (self.data.copy(), self.requires_grad))


def register_weight_and_bias(module, weight_shape, bias, dtype=None):
    """Give ``module`` an uninitialised ``weight`` of ``weight_shape`` and, if ``bias``, a
    ``bias`` of one value per output (row of the weight), else ``bias = None``; float32
    unless ``dtype`` says otherwise. The layer's ``reset_parameters`` fills them."""
    dtype = np.float32 if dtype is None else dtype
    module.weight = Parameter(np.empty(weight_shape, dtype=dtype))
    if bias:
        module.bias = Parameter(np.empty(weight_shape[0], dtype=dtype))
    else:
        module.register_parameter("bias", None)
