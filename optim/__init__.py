"""optim: optimizers and learning-rate schedules; they see parameters, never layers."""
