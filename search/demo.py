"""Demo data for the typical-case library: the thirty fictional Ankang cases of
search/demo_data/typical_cases.json (written for this project), imported and published
through the same importer as `manage.py import_typical_cases`."""

from pathlib import Path

from .importing import import_typical_cases

DEMO_FILE = Path(__file__).resolve().parent / "demo_data" / "typical_cases.json"


def load_demo() -> str:
    report = import_typical_cases(DEMO_FILE.read_bytes(), DEMO_FILE.name)
    if not report.ok:
        raise RuntimeError("; ".join(str(e) for e in report.errors))
    return f"典型案例：新增 {len(report.created)} 件，已存在 {report.existing} 件"
