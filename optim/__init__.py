"""optim: optimizers and learning-rate schedules; they see parameters, never layers.

The training loop, as in PyTorch::

    optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for x, y in loader:
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()

Also here: ``optim.lr_scheduler`` (learning-rate schedules), ``EarlyStopping``, and the
``l1_penalty``/``l2_penalty`` regularisation terms.
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
