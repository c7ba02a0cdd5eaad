"""What a benchmark case is: a name, two setup functions and a target ratio."""
import dataclasses
from typing import Callable, Optional


@dataclasses.dataclass
class Case:
    """``ours()`` and ``torch()`` set up inputs and return a callable that runs one
    repetition (forward, backward, step...); only the callable is timed. With
    ``unit="MiB"`` the callable is not timed: it returns the peak memory it measured."""

    name: str
    ours: Callable[[], Callable[[], object]]
    torch: Optional[Callable[[], Callable[[], object]]]
    target: Optional[float] = None
    repeats: int = 30
    warmup: int = 3
    unit: str = "s"
