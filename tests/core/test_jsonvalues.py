"""The JSON value policies are contracts: the trace hashes what TRACE writes, the export must
read back byte for byte, the open data is what people download. These values pin them."""

import datetime as dt
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from traza.core.jsonvalues import EXPORT, OPEN_DATA, TRACE, Decimals, NaiveDatetimes, to_json
from traza.core.services import to_jsonable

LIMA = ZoneInfo("America/Lima")


@pytest.mark.parametrize(
    ("value", "trace", "open_data", "export"),
    [
        (Decimal("12.5000"), "12.5000", 12.5, 12.5),
        (Decimal("100.0000"), "100.0000", 100.0, 100),
        (Decimal("-0.0000"), "-0.0000", -0.0, 0),
        (Decimal("1E+3"), "1E+3", 1000.0, 1000),
        (Decimal("0.1234"), "0.1234", 0.1234, 0.1234),
        (dt.date(2018, 1, 2), "2018-01-02", "2018-01-02", "2018-01-02"),
        (
            dt.datetime(2018, 1, 2, 3, 4, 5, 6, tzinfo=LIMA),
            "2018-01-02T08:04:05.000006+00:00",
            "2018-01-02T08:04:05.000006+00:00",
            "2018-01-02T08:04:05.000006+00:00",
        ),
        (None, None, None, None),
        (True, True, True, True),
        (7, 7, 7, 7),
        ("texto", "texto", "texto", "texto"),
        ({"a": 1}, {"a": 1}, {"a": 1}, {"a": 1}),
    ],
)
def test_each_policy_writes_what_its_readers_expect(value, trace, open_data, export):
    for policy, expected in ((TRACE, trace), (OPEN_DATA, open_data), (EXPORT, export)):
        written = policy(value)
        assert json.dumps(written) == json.dumps(expected)
        assert type(written) is type(expected)
    assert to_jsonable(value) == TRACE(value)


def test_the_trace_keeps_a_naive_datetime_as_written_and_converts_sequences():
    naive = dt.datetime(2018, 1, 2, 3, 4, 5)
    assert TRACE(naive) == "2018-01-02T03:04:05"
    assert to_json(naive, decimals=Decimals.AS_FLOAT, naive=NaiveDatetimes.LOCAL_TIME) == (
        naive.astimezone(dt.UTC).isoformat()
    )
    assert TRACE([Decimal("1.50"), (dt.date(2020, 1, 1),)]) == ["1.50", ["2020-01-01"]]


@pytest.mark.django_db
def test_a_model_instance_is_written_as_its_key(django_user_model):
    user = django_user_model.objects.create_user("u", "u@example.org", "x-Strong-pass-1")
    assert TRACE(user) == OPEN_DATA(user) == EXPORT(user) == user.pk
