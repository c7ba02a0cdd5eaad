"""``Parameter``: a tensor that a ``Module`` registers as one of its learnable weights."""
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
