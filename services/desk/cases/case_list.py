"""The case list as an officer works it: search, filters, sorting and one page of rows, all in SQL, so
the page stays small with thousands of cases.

`ListQuery.from_args` reads the page's query string and says in Bahasa Indonesia what it cannot use;
`find_page` answers one page of the cases the officer may see and how many match in all.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import Date, Integer, String, cast, false, func, or_, select

from services.reference.regions import is_region
from services.reference.vocabulary import codes
from services.reference.zones import WIB

from ..tables import case_access, cases
from . import deadlines
from .access import REGIONAL, Staff
from .regional import regional_cases

PAGE_SIZE = 25
SORTS = {
    "tenggat": (cases.c.due_date.asc().nulls_last(), cases.c.received_at.asc()),
    "terbaru": (cases.c.received_at.desc(),),
    "terlama": (cases.c.received_at.asc(),),
    "kode": (cases.c.tracking_code.asc(),),
}
# The step filter: the unit's own steps, the cases it only reads, or the task of the case's current step in
# its chain (services/reference/data/chains.yaml): Bawaslu reviews, the Kanreg recommends, the PPK decides,
# the Kanreg checks the decision; and, for the Kanreg, the PPK steps on its recommendation past their deadline
# with no block in SIASN recorded yet (siasn.py).
PPK_LATE = "ppk_lewat"
STEPS = {"saya": "Langkah saya", "baca": "Hanya dibaca", "periksa": "Bawaslu memeriksa",
         "rekomendasi": "Kanreg merekomendasikan", "putusan": "PPK memutus", "pantau": "Kanreg memantau",
         PPK_LATE: "PPK lewat tenggat"}


@dataclass(frozen=True)
class ListQuery:
    text: str = ""
    status: str = ""
    category: str = ""
    region: str = ""
    step: str = ""
    overdue: bool = False
    since: date | None = None
    until: date | None = None
    sort: str = "tenggat"
    page: int = 1
    group: str = ""
    problems: list[str] = field(default_factory=list, compare=False)

    @classmethod
    def from_args(cls, args) -> "ListQuery":
        problems: list[str] = []
        since, until = _day(args.get("dari"), "awal", problems), _day(args.get("sampai"), "akhir", problems)
        if since and until and since > until:
            problems.append("Tanggal awal sesudah tanggal akhir.")
        return cls(text=(args.get("q") or "").strip()[:100],
                   status=_known(args.get("status"), deadlines.statuses(), "Status", problems),
                   category=_known(args.get("kategori"), codes("categories"), "Kategori", problems),
                   region=_region(args.get("wilayah"), problems),
                   step=_known(args.get("langkah"), STEPS, "Langkah", problems), overdue=args.get("lewat") == "1",
                   since=since, until=until, sort=args.get("urut") if args.get("urut") in SORTS else "tenggat",
                   page=_page(args.get("hal")), group=args.get("kelompok") or "", problems=problems)

    def link_args(self, **changes) -> dict:
        """The query string of this list, with `changes`: for paging and sorting links."""
        current = {"q": self.text, "status": self.status, "kategori": self.category, "wilayah": self.region,
                   "langkah": self.step, "lewat": "1" if self.overdue else "",
                   "dari": self.since.isoformat() if self.since else "",
                   "sampai": self.until.isoformat() if self.until else "", "urut": self.sort,
                   "kelompok": self.group, "hal": self.page}
        current.update(changes)
        return {name: value for name, value in current.items() if value not in ("", None, 1, "tenggat")}


def find_page(engine, staff: Staff, query: ListQuery, today: date) -> tuple[list[dict], int]:
    """One page of the matching cases (PAGE_SIZE rows) and the count of all that match."""
    conditions = _conditions(query, today) + _step_conditions(query.step, staff, today)
    visible = _visible(staff)
    with engine.connect() as conn:
        total = conn.execute(visible.with_only_columns(func.count()).where(*conditions)).scalar_one()
        page = visible.where(*conditions).order_by(*SORTS[query.sort], cases.c.case_id)
        found = conn.execute(page.limit(PAGE_SIZE).offset((query.page - 1) * PAGE_SIZE))
        return [dict(row._mapping) for row in found], total


def _visible(staff: Staff):
    if staff.role == REGIONAL:
        return regional_cases(staff)
    joined = (case_access.c.case_id == cases.c.case_id) & (case_access.c.unit_id == staff.unit_id)
    return select(cases, case_access.c.access).join(case_access, joined, isouter=staff.role == "pengawas")


def _conditions(query: ListQuery, today: date) -> list:
    found = []
    if query.text:
        found.append(_search(query.text))
    if query.status:
        found.append(cases.c.status == query.status)
    if query.category:
        found.append(cases.c.violation["category"].as_string() == query.category)
    if query.region:
        region = cases.c.subject["region_code"].as_string()
        found.append(or_(region == query.region, region.startswith(query.region + ".", autoescape=True)))
    if query.overdue:
        found.append(cases.c.due_date < deadlines.office_day(today))
    if query.since:
        found.append(cases.c.received_at >= _start_of(query.since))
    if query.until:
        found.append(cases.c.received_at < _start_of(query.until + timedelta(days=1)))
    if query.group:
        found.append(cases.c.group_id == query.group)
    return found


def _step_conditions(step: str, staff: Staff, today: date) -> list:
    """The unit working a case owns its current step (a transfer within a step moves the case, not the
    chain's record), so "saya" is the cases this unit holds now; a task is that of the chain's current step."""
    if step == "saya":
        return [cases.c.unit_id == staff.unit_id]
    if step == "baca":
        return [cases.c.unit_id != staff.unit_id]
    if step == PPK_LATE:
        return _ppk_late(staff, today)
    if step:
        return [_current_step_task() == step]
    return []


def _current_step_task():
    return _step_field(1, "task")


def _step_field(back: int, *path: str):
    """A field of the chain's current step (back=1) or of the one before it (back=2)."""
    index = cast(cast(cases.c.chain["current"].as_string(), Integer) - back, String)
    return func.json_extract_path_text(cases.c.chain, "steps", index, *path)


def _ppk_late(staff: Staff, today: date) -> list:
    """As siasn.flagged_to, in SQL: the active PPK step is past its due date, no block recorded, and this
    officer's unit made the recommendation before it."""
    due = cast(func.left(_step_field(1, "due"), 10), Date)
    return [_step_field(1, "outcome") == "keputusan", _step_field(1, "state") == "aktif",
            _step_field(1, "siasn_block").is_(None), due < deadlines.office_day(today),
            or_(_step_field(2, "done_by", "unit_id") == staff.unit_id, _step_field(2, "unit_id") == staff.unit_id)]


def _search(text: str):
    """The tracking code, the case number (NTR-2026-1403-00123, or the start of the desk's case id for a case
    from before numbers), the civil servant's name or NIP."""
    plain = text.replace(" ", "")
    return or_(cases.c.tracking_code.icontains(text, autoescape=True),
               cases.c.case_number.icontains(text, autoescape=True),
               cases.c.case_id.startswith(text.lower(), autoescape=True),
               cases.c.subject["name"].as_string().icontains(text, autoescape=True),
               cases.c.subject["nip"].as_string().contains(plain, autoescape=True) if plain.isdigit()
               else false())


def _start_of(day: date) -> datetime:
    """Midnight of an office day (WIB, as due dates are counted)."""
    return datetime.combine(day, time(0), tzinfo=WIB.tz)


def _day(value: str | None, word: str, problems: list[str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(f"Tanggal {word} tidak valid: {value[:20]} (contoh: 2026-03-31).")
        return None


def _known(value: str | None, known, word: str, problems: list[str]) -> str:
    if value and value not in known:
        problems.append(f"{word} tidak dikenal: {value[:40]}.")
        return ""
    return value or ""


def _region(value: str | None, problems: list[str]) -> str:
    if value and not is_region(value):
        problems.append(f"Wilayah tidak dikenal: {value[:20]}.")
        return ""
    return value or ""


def _page(value: str | None) -> int:
    return int(value) if value and value.isdigit() and 0 < int(value) < 100_000 else 1


def group_sizes(engine, staff: Staff, group_ids: set[str]) -> dict[str, int]:
    """How many reports of each act (group) on the page this officer may see."""
    if not group_ids:
        return {}
    query = _visible(staff).with_only_columns(cases.c.group_id, func.count()).where(
        cases.c.group_id.in_(group_ids)).group_by(cases.c.group_id)
    with engine.connect() as conn:
        return dict(conn.execute(query).all())
