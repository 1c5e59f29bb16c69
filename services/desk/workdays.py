"""The desk's working days: the shared Indonesian working-day rule (services/common/workdays.py), which
routing uses for the statutory deadlines on case.routed as well."""
from services.common.workdays import (  # noqa: F401
    HolidaysNotPublished, add_working_days, as_date, covered_years, days_off, decree, is_estimate, is_working_day,
    last_published_day, working_days_between,
)
