"""Year schedules from the `chinesecalendar` package, for the years it covers.

The package keeps every holiday date and every swapped working day in two dicts; they are
grouped here by calendar year (a New Year break that starts on 30 December belongs partly
to each year) and into named runs of consecutive days.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache

from .schedule import Holiday, YearSchedule, parse_schedule

# The package's English holiday names, as the notices name them.
NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def version() -> str:
    from importlib.metadata import version as dist_version

    return dist_version("chinesecalendar")


@cache
def package_schedules() -> tuple[YearSchedule, ...]:
    """One schedule per year the installed chinesecalendar knows, validated like a loaded file."""
    from chinese_calendar import constants

    source = f"chinesecalendar {version()}"
    years = sorted({d.year for d in constants.holidays})
    out = []
    for year in years:
        days = sorted(d for d in constants.holidays if d.year == year)
        runs: list[Holiday] = []
        for day in days:
            name = NAMES.get(constants.holidays[day], constants.holidays[day])
            if runs and runs[-1].name == name and runs[-1].last == day - timedelta(days=1):
                runs[-1] = Holiday(name, runs[-1].first, day)
            else:
                runs.append(Holiday(name, day, day))
        data = {
            "year": year,
            "source": source,
            "holidays": [{"name": h.name, "from": h.first, "to": h.last} for h in runs],
            "workdays": sorted(d for d in constants.workdays if d.year == year),
        }
        out.append(parse_schedule(data, loaded_by="chinesecalendar", origin="package"))
    return tuple(out)


def first_and_last_year() -> tuple[int, int]:
    years = [s.year for s in package_schedules()]
    return years[0], years[-1]


