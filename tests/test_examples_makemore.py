"""The makemore-style example (examples/makemore_mlp.py), written as PyTorch code with
this library in place of torch, trains on Debian's fortunes and samples words."""
import math

import pytest

EXAMPLE = "examples/makemore_mlp.py"


def test_makemore_trains_and_samples(capsys, load_script):
    result = load_script(EXAMPLE).main(["--steps", "600", "--max-words", "2000", "--samples", "5", "--seed", "42"])
    uniform = math.log10(math.log(result["vocab_size"]))  # log10 of a uniform guess's loss
    first = sum(result["lossi"][:20]) / 20
    last = sum(result["lossi"][-100:]) / 100
    assert first == pytest.approx(uniform, abs=0.1)  # starts near a uniform guess
    assert last < first - 0.05
    assert result["dev_loss"] < math.log(result["vocab_size"]) - 0.4
    assert len(result["samples"]) == 5 and all(s.isalpha() or s == "" for s in result["samples"])
    again = load_script(EXAMPLE).main(["--steps", "600", "--max-words", "2000", "--samples", "5", "--seed", "42"])
    assert again["samples"] == result["samples"] and again["lossi"] == result["lossi"]
    assert "dev loss" in capsys.readouterr().out
