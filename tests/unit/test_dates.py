"""Date resolution: the date a sentence states, in the forms articles use."""

from __future__ import annotations

import pytest

from sinoread.ingest.dates import parse_date_value, sentence_date


@pytest.mark.parametrize(
    "sentence, written, expected",
    [
        # from the seeds
        ("In November 2014, the two countries signed an agreement on a simplified procedure", None, "2014-11"),
        ("since the start of 2024, the two coast guards have engaged in regular exchanges", None, "2024"),
        ("a comprehensive plan has already been drafted for the years 2018-2020.", None, "2018"),
        ("held in Hanoi from December 16-21, 2024, yielded ample agreements", None, "2024-12-16"),
        ("back in 1979 the USSR received the right to freely use the base near Cam Ranh", None, "1979"),
        ("since the beginning of the 2000s, Vietnam has been actively purchasing", None, "2000"),
        ("the first of six patrol vessels from Japan which were pledged in an agreement last year.",
         "2015-07-06", "2014"),
        # and beyond
        ("the 2018-2020 plan", None, "2018"),
        ("They signed it on 16 December 2024 in Hanoi.", None, "2024-12-16"),
        ("They signed it on 2021-06-07.", None, "2021-06-07"),
        ("The deal of Sept. 2019 stands.", None, "2019-09"),
        ("Earlier this month the navies agreed to a hotline.", "2024-01-10", "2024-01"),
        ("Last month the navies agreed to a hotline.", "2024-01-10", "2023-12"),
        ("Next year the two sides will hold joint patrols.", "2023-05-02", "2024"),
        ("Two years ago they pledged to cooperate.", "2020-05-01", "2018"),
        # nothing stated, or nothing that is a date
        ("pledged in an agreement last year.", None, None),  # undated article: not guessed
        ("Russia sent 2000 troops to the exercise.", None, None),
        ("The ship displaces 1500 tonnes.", None, None),
        ("They agreed to cooperate.", "2020-01-01", None),
        ("February 30, 2020 is no day at all.", None, "2020"),  # not a real day: the year stands
    ],
)
def test_sentence_date(sentence, written, expected):
    assert sentence_date(sentence, written) == expected


@pytest.mark.parametrize(
    "value, expected",
    [("June 07, 2021", "2021-06-07"), ("2024-12-16", "2024-12-16"), ("sometime", None), (20210607, None)],
)
def test_front_matter_dates(value, expected):
    assert parse_date_value(value) == expected
