"""docs/architecture.md's picture is the one the topology and the event examples make."""
import importlib.util

from tests.support.system import ROOT

spec = importlib.util.spec_from_file_location("architecture_diagram", ROOT / "scripts" / "architecture_diagram.py")
diagram = importlib.util.module_from_spec(spec)
spec.loader.exec_module(diagram)


def test_the_documented_diagram_is_the_generated_one():
    documented = diagram.current_block(diagram.DOC.read_text(encoding="utf-8"))
    assert documented == diagram.render(), "run: python scripts/architecture_diagram.py"


def test_the_documented_folders_are_the_tree_s():
    text = diagram.DOC.read_text(encoding="utf-8")
    documented = diagram.current_block(text, diagram.FOLDERS_BEGIN, diagram.FOLDERS_END)
    assert documented == diagram.folders(), "run: python scripts/architecture_diagram.py"


def test_every_event_a_queue_consumes_has_a_documented_producer():
    assert diagram.unproduced() == []
