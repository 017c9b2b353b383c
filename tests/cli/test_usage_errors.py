"""A bad option, a missing argument or an unknown command: one line on stderr like every other error, exit 2."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from ankle_cv.cli import main


@pytest.mark.parametrize(("args", "says"), [
    (["analyze", "x.mp4", "--foot-to-wall-cm", "-3"], "'--foot-to-wall-cm': -3.0 is not in the range"),
    (["analyze", "x.mp4", "--side", "up"], "'up' is not one of 'auto', 'left', 'right'"),
    (["analyze"], "Missing argument 'VIDEOS...'"),
    (["batch", "clinic/"], "Missing option '--out'"),
    (["history", "add", "--patient-id", "P"], "Missing argument 'RESULTS...'"),
    (["analyse", "x.mp4"], "No such command 'analyse'"),
    (["--bogus"], "No such option '--bogus'"),
])
def test_usage_errors_are_one_line_with_exit_2(args: list[str], says: str) -> None:
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 2
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("ankle-cv: error: "), res.stderr
    assert says in lines[0] and "--help` lists the options" in lines[0]
    assert res.stdout == ""


def test_no_command_still_shows_the_help() -> None:
    res = CliRunner().invoke(main, [])
    assert "Commands:" in res.output and "analyze" in res.output
