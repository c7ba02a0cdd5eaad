"""``Ensemble``: several models answer together. Averaging models trained on different
bootstrap samples (bagging) or from different initialisations lowers the variance of
the prediction: the average model is better than the average of the models."""
from autograd_core import Tensor

from .containers import ModuleList
from .module import Module

MODES = ("mean", "softmax", "vote")


class Ensemble(Module):
    """Combine the outputs of ``models`` (each mapping the same input to (N, C)):

    - ``mode="mean"``: the mean of the outputs (regression, or averaged logits);
    - ``mode="softmax"``: the mean of the class probabilities softmax(output);
    - ``mode="vote"``: each model votes for its top class; the output is the fraction of
      votes per class (N, C), whose argmax is the majority (ties to the lower class).
    """

    def __init__(self, models, mode="mean"):
        super().__init__()
        if mode not in MODES:
            raise ValueError(f"Ensemble: mode must be 'mean', 'softmax' or 'vote', got {mode!r}")
        self.models = ModuleList(models)
        if len(self.models) == 0:
            raise ValueError("Ensemble: give at least one model")
        self.mode = mode

    def forward(self, input):
        outputs = [model(input) for model in self.models]
        if self.mode == "vote":
            return self._votes(outputs)
        if self.mode == "softmax":
            outputs = [out.softmax(dim=-1) for out in outputs]
        total = outputs[0]
        for out in outputs[1:]:
            total = total + out
        return total / len(outputs)

    def _votes(self, outputs):
        first = outputs[0]
        if first.ndim < 1:
            raise ValueError(f"Ensemble: mode 'vote' needs outputs of shape (N, C), got {tuple(first.shape)}")
        votes = 0
        for out in outputs:
            top = out.data.argmax(axis=-1)
            votes = votes + (top[..., None] == range(out.shape[-1]))
        return Tensor((votes / len(outputs)).astype(first.dtype))

    def extra_repr(self):
        return f"mode={self.mode!r}"
