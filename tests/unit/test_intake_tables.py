"""intake's schema on a fresh database, and what it says about an earlier version's tables."""
from sqlalchemy import text

from services.common.db import make_engine
from services.intake.tables import create_schema


def test_leftover_tables_of_the_earlier_version_are_named_for_the_operator(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/intake.db")
    assert create_schema(engine) == []
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE reporters (complaint_id TEXT, identity BLOB)"))
    assert create_schema(engine) == ["reporters"]
