"""`manage.py rate`: a contract other tools rely on."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .test_rules import REFERENCE

PROJECT = Path(__file__).resolve().parents[1]


def rate_args(judgements):
    return [
        "rate",
        "--adults-serving", judgements.adults_serving,
        "--adults-prospects", judgements.adults_prospects,
        "--children-serving", judgements.children_serving,
        "--children-prospects", judgements.children_prospects,
    ]  # fmt: skip


def test_json_gives_the_table_answer_for_all_256_combinations(call):
    for judgements, stars in REFERENCE:
        status, out, _ = call(*rate_args(judgements), "--methodology", "2004", "--json")
        assert status == 0
        result = json.loads(out)
        assert set(result) == {"stars", "reasons"}
        assert result["stars"] == stars, judgements
        assert result["reasons"] and all(isinstance(r, str) for r in result["reasons"])


def test_plain_output_lists_stars_and_numbered_reasons(call):
    judgements, stars = REFERENCE[-1]
    status, out, _ = call(*rate_args(judgements))
    assert status == 0
    assert out.splitlines()[0] == "3 (three stars)"
    assert out.splitlines()[1].startswith("  1. ")


def test_cap_flag(call):
    judgements = next(j for j, s in REFERENCE if j.children_serving == "yes" and s == 3)
    status, out, _ = call(*rate_args(judgements), "--cap", "children:some:C20", "--json")
    assert json.loads(out)["reasons"][0] == (
        "Children's services are capped at 'some' because indicator C20 is below its threshold."
    )


def run_manage(*args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin"},
        check=False,
    )


@pytest.mark.parametrize(
    ("flag", "value", "allowed"),
    [
        ("--adults-serving", "mostly", "no, some, most, yes"),
        ("--children-prospects", "good", "poor, uncertain, promising, excellent"),
        ("--methodology", "1999", "2002, 2003, 2004, 2005"),
    ],
)
def test_bad_value_exits_2_naming_the_allowed_values(flag, value, allowed):
    args = dict(
        zip(
            [
                "--adults-serving",
                "--adults-prospects",
                "--children-serving",
                "--children-prospects",
            ],
            ["most", "promising", "some", "uncertain"],
            strict=True,
        )
    )
    args[flag] = value
    result = run_manage("rate", *[item for pair in args.items() for item in pair], "--json")
    assert result.returncode == 2
    assert allowed in result.stderr
    assert result.stdout == ""


def test_missing_flag_exits_2():
    result = run_manage("rate", "--adults-serving", "most")
    assert result.returncode == 2
    assert "--children-serving" in result.stderr
