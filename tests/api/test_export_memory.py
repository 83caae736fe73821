"""The open-data export streams: its peak memory does not grow with the number of rows
(bench/export_memory.py measures 100,000)."""

import importlib.util
from pathlib import Path

import pytest

BENCHDATA = Path(__file__).resolve().parents[2] / "bench" / "benchdata.py"


@pytest.fixture(scope="module")
def bench():
    """bench/benchdata.py writes untraced rows, so it is not part of the installed package."""
    spec = importlib.util.spec_from_file_location("benchdata", BENCHDATA)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_exporting_ten_times_more_rows_uses_no_more_memory(bench, make_plan):
    plan = make_plan(n=1, m=1)
    bench.generate_contributions(plan, 5_000)  # above the 2,000-row chunk of the database cursor
    rows_small, peak_small = bench.peak_export_bytes()
    bench.generate_contributions(plan, 45_000)
    rows_large, peak_large = bench.peak_export_bytes()
    assert (rows_small, rows_large) == (5_000, 50_000)
    assert peak_large < peak_small * 1.2, (peak_small, peak_large)
