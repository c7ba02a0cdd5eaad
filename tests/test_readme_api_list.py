"""README.md's list of PyTorch names is the one .ci/api_list.py generates from the code."""
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_readme_lists_exactly_what_the_code_has(load_script):
    api_list = load_script(".ci/api_list.py")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert api_list.current_section(readme) == api_list.render(), (
        "README.md's API list is stale: run python .ci/api_list.py --write"
    )


def test_the_list_names_the_ported_idioms(load_script):
    rendered = load_script(".ci/api_list.py").render()
    for name in ("`Generator`", "`randint`", "`multinomial`", "`log10`", "`topk`", "`gather`", "`view`", "`mT`"):
        assert name in rendered
