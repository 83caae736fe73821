"""The open-data export streams: its peak memory does not grow with the number of rows
(bench/export_memory.py measures 100,000)."""

from traza.api.benchdata import generate_contributions, peak_export_bytes


def test_exporting_ten_times_more_rows_uses_no_more_memory(make_plan):
    plan = make_plan(n=1, m=1)
    generate_contributions(plan, 5_000)  # above the 2,000-row chunk of the database cursor
    rows_small, peak_small = peak_export_bytes()
    generate_contributions(plan, 45_000)
    rows_large, peak_large = peak_export_bytes()
    assert (rows_small, rows_large) == (5_000, 50_000)
    assert peak_large < peak_small * 1.2, (peak_small, peak_large)
