"""nn: neural-network layers, losses, initialisation and data loading on autograd_core,
with PyTorch's names, signatures and defaults."""
from . import init
from .containers import ModuleDict, ModuleList, Sequential
from .module import Module
from .parameter import Parameter
