"""optim: optimizers and learning-rate schedules; they see parameters, never layers.

>>> opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
>>> for x, y in loader:
...     opt.zero_grad()
...     loss_fn(model(x), y).backward()
...     opt.step()
"""
from . import lr_scheduler
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .early_stopping import EarlyStopping
from .optimizer import Optimizer
from .regularization import l1_penalty, l2_penalty
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = [
    "Optimizer", "SGD", "Adagrad", "RMSprop", "Adam", "AdamW",
    "lr_scheduler", "EarlyStopping", "l1_penalty", "l2_penalty",
]
