"""A Jupyter slider that scrubs through the steps of a ``BackwardStepper`` (needs the
optional ``ipywidgets``; without it, iterate over the stepper instead)."""
from .graph import draw_graph


def stepper_widget(stepper, **options):
    """An ``IntSlider`` over the steps and an output area showing the drawing and the chain
    rule of the chosen step; runs the backward pass to the end first. ``options`` go to
    ``draw_graph``."""
    try:
        import ipywidgets
        from IPython.display import display
    except ImportError:
        raise ImportError(
            "BackwardStepper.widget() needs ipywidgets (pip install ipywidgets, or the "
            "project's 'notebooks' extra); without it, iterate over the stepper: "
            "`for step in stepper: display(step.draw())`"
        ) from None
    steps = stepper.run()
    area = ipywidgets.Output()
    if not steps:
        with area:
            display(draw_graph(stepper.output, **options))
        return area
    slider = ipywidgets.IntSlider(
        value=0, min=0, max=len(steps) - 1, description="step", continuous_update=False
    )

    def show(change):
        step = steps[change["new"]]
        with area:
            area.clear_output(wait=True)
            display(step.draw(**options))

    slider.observe(show, names="value")
    show({"new": 0})
    return ipywidgets.VBox([slider, area])
