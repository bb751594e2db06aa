"""The checker kit itself: graded hints, the hint log, the time limit and the output cap."""

from __future__ import annotations

import json
import os
import queue

import pytest

from dlcourse.exercises import checking, hintlog
from dlcourse.exercises.checking import ExerciseFailed, call_student, checker, expect


@checker(hints=["first nudge", "stronger hint", "strongest hint"])
def check_positive(x):
    expect(x > 0, "x is not positive.")


@checker(hint="the only hint")
def check_student_fn(fn):
    expect(call_student(fn) == 1, "fn() is not 1.")


KEY = f"{__name__}.check_positive"  # how the log names a checker: module.function


def _hint(answer, check=check_positive) -> str:
    with pytest.raises(ExerciseFailed) as info:
        check(answer)
    return str(info.value).split("\nHint: ")[1]


def test_hints_grow_stronger_with_each_failure_and_the_last_repeats():
    more = " (a stronger hint follows if the next try fails too)"
    assert _hint(-1) == "first nudge" + more
    assert _hint(-1) == "stronger hint" + more
    assert _hint(-1) == _hint(-1) == "strongest hint"


def test_the_log_records_the_strongest_hint_seen_and_a_later_pass():
    for _ in range(2):
        _hint(-1)
    check_positive(1)
    log = hintlog.read_hint_log(os.environ["DLCOURSE_HINTS"])
    assert log == {KEY:
                   {"failures": 2, "hint_seen": 2, "hints": 3, "passed": True}}


def test_a_first_try_pass_writes_no_log(tmp_path, monkeypatch):
    monkeypatch.setenv("DLCOURSE_HINTS", str(tmp_path / "log.json"))
    check_positive(2)
    assert not (tmp_path / "log.json").exists()
    assert hintlog.read_hint_log(tmp_path) == {}  # a folder without a log: no hint seen


def test_the_default_log_is_beside_the_notebook(tmp_path, monkeypatch):
    """A kernel's working folder is its notebook's folder (JupyterLab, Colab, nbgrader)."""
    monkeypatch.delenv("DLCOURSE_HINTS")
    monkeypatch.chdir(tmp_path)
    _hint(-1)
    assert hintlog.read_hint_log(tmp_path)[KEY]["hint_seen"] == 1


def test_an_unwritable_log_still_grades_hints_in_memory(tmp_path, monkeypatch):
    monkeypatch.setenv("DLCOURSE_HINTS", str(tmp_path / "missing" / "log.json"))
    assert _hint(-1).startswith("first nudge")
    assert _hint(-1).startswith("stronger hint")


@pytest.mark.parametrize("content, problem", [
    ("not json", "invalid JSON"),
    ("[]", "expected {'version': 1"),
    ('{"version": 1, "checks": {"a": 3}}', "expected an object"),
    ('{"version": 1, "checks": {"a": {"failures": -1, "hint_seen": 0, "hints": 1, '
     '"passed": false}}}', "'failures' must be a whole number"),
    ('{"version": 1, "checks": {"a": {"failures": 1, "hint_seen": 5, "hints": 1, '
     '"passed": false}}}', "hint_seen (5) exceeds hints (1)"),
    ('{"version": 1, "checks": {"a": {"failures": 1, "hint_seen": 1, "hints": 1, '
     '"passed": "yes"}}}', "'passed' must be true or false"),
])
def test_a_damaged_log_is_refused_in_one_line_naming_the_file(tmp_path, content, problem):
    path = tmp_path / "dlcourse-hints.json"
    path.write_text(content)
    with pytest.raises(ValueError) as info:
        hintlog.read_hint_log(path)
    assert str(info.value).startswith(str(path)) and problem in str(info.value)
    assert "\n" not in str(info.value)


def test_a_damaged_log_is_replaced_not_crashed_on(monkeypatch, tmp_path):
    path = tmp_path / "log.json"
    path.write_text("{")
    monkeypatch.setenv("DLCOURSE_HINTS", str(path))
    assert _hint(-1).startswith("first nudge")
    assert json.loads(path.read_text())["version"] == 1


def test_checker_needs_exactly_one_form_of_hint():
    with pytest.raises(TypeError, match="exactly one"):
        checker()
    with pytest.raises(TypeError, match="exactly one"):
        checker(hint="a", hints=["b"])
    with pytest.raises(TypeError, match="non-empty"):
        checker(hints=[])


def test_a_single_hint_has_no_level_counter():
    assert _hint(lambda: 2, check_student_fn) == "the only hint"


def test_an_endless_loop_fails_after_the_time_limit(monkeypatch):
    monkeypatch.setattr(checking, "TIME_LIMIT_S", 0.2)

    def endless():
        while True:
            pass

    with pytest.raises(ExerciseFailed, match="took longer than 0.2 s"):
        check_student_fn(endless)


def test_a_flood_of_output_is_cut_and_counted(capsys):
    def chatty():
        for i in range(20_000):
            print(i)
        return 1

    check_student_fn(chatty)
    lines = capsys.readouterr().out.splitlines()
    assert lines[:checking.OUTPUT_LINES] == [str(i) for i in range(checking.OUTPUT_LINES)]
    assert lines[checking.OUTPUT_LINES] == (
        f"[... your code printed 20000 lines; only the first {checking.OUTPUT_LINES} are shown]")
    assert lines[-1].endswith("Correct!")


def test_the_stop_button_still_stops():
    def interrupted():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        check_student_fn(interrupted)


def test_in_a_kernel_the_limit_fails_the_check_and_the_stop_button_stops_it(tmp_path):
    """In a real Jupyter kernel (SIGALRM works in its main thread): an endless loop fails
    after the time limit; the stop button (an interrupt) stops the cell with
    KeyboardInterrupt, not with a checker failure."""
    import time

    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", cwd=str(tmp_path),
                              env={**os.environ, "DLCOURSE_HINTS": str(tmp_path / "h.json")})
    try:
        setup = ("from dlcourse.exercises import checking, activations\n"
                 "def endless(z):\n    while True:\n        pass\n")
        kc.execute_interactive(setup, timeout=60)
        outputs = []
        # stop_on_error=False: after a failing cell ipykernel 6 aborts the requests that
        # reach it before it stops aborting, so on a loaded machine the next cell (the new
        # endless below) could be skipped, leaving the old one to loop for 600 s.
        reply = kc.execute_interactive(
            "checking.TIME_LIMIT_S = 0.5\nactivations.check_log_softmax(endless)",
            timeout=60, output_hook=outputs.append, stop_on_error=False)
        assert reply["content"]["ename"] == "ExerciseFailed"
        assert "took longer than 0.5 s" in reply["content"]["evalue"]
        outputs.clear()
        # Interrupt only once the student's code runs (a SIGINT to an idle kernel does
        # nothing): the endless function leaves a file behind when it starts. The file,
        # not an iopub message, says so: a loaded machine delays iopub past any timeout.
        started = tmp_path / "started"
        defined = kc.execute_interactive(
            "def endless(z):\n    open('started', 'w').close()\n    while True:\n        pass\n",
            timeout=60)
        assert defined["content"]["status"] == "ok", defined["content"]
        msg_id = kc.execute("checking.TIME_LIMIT_S = 600\nactivations.check_log_softmax(endless)")
        deadline = time.monotonic() + 300  # a loaded 2-core CI machine: be patient
        while not started.exists():
            try:  # a cell that ended before the student's code ran: say how it ended
                early = kc.get_shell_msg(timeout=0.1)
            except queue.Empty:
                early = None
            if early is not None and early["parent_header"].get("msg_id") == msg_id:
                pytest.fail(f"the cell ended before the student's code ran: {early['content']}")
            assert time.monotonic() < deadline, "the cell never started"
        time.sleep(0.5)
        km.interrupt_kernel()
        while True:
            reply = kc.get_shell_msg(timeout=120)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        assert reply["content"]["status"] == "error"
        assert reply["content"]["ename"] == "KeyboardInterrupt"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
