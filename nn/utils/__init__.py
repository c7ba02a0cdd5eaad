"""nn.utils: helpers that act on a model's parameters."""
from .clip_grad import clip_grad_norm_, clip_grad_value_
from .max_norm import max_norm_
