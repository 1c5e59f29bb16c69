"""Where a login lands: a path within the desk, and nothing that could lead off it."""
import pytest

from services.desk.accounts.landing import safe_next


@pytest.mark.parametrize("target", ["/desk/kasus/6f1c2a3b-0000-4000-8000-000000000001", "/desk/?q=NTR-7K4M&hal=2",
                                    "/desk/angka"])
def test_a_desk_path_is_followed(target):
    assert safe_next(target) == target


@pytest.mark.parametrize("target", [None, "", "//evil.example/desk/", "https://evil.example/desk/",
                                    "http:/desk/", "/\\evil.example", "/desk\\..\\evil", "/desk/../lacak",
                                    "/desk/kasus/x\r\nLocation: https://evil.example", "/lacak", "desk/kasus/x",
                                    "javascript:alert(1)//desk/", "/desk/\x00"])
def test_anything_else_is_dropped(target):
    assert safe_next(target) is None
