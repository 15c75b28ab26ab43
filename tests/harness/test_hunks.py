"""Which hunks of a source diff print a line (portproof/_hunks.py): the rule the port page marks
hunks by, on Python 2 and Python 3 source alike."""
import pytest

from portproof import _hunks


def hunk(*lines):
    return "@@ -1 +1 @@\n" + "".join(f"{line}\n" for line in lines)


# A literal, its fields read as any text, is the whole line; a print's literals come in order.
PRINTS = [
    pytest.param("-print 'mean of %s is %s' % (c, m)", "mean of [1, 2] is 1", id="percent"),
    pytest.param("+    print(f'mean of {chunk} is {m}')", "mean of [1, 2] is 1.5", id="f-string"),
    pytest.param('+print("{0} took {n:>3} steps".format(w, n=n))', "w1 took <n> steps",
                 id="format"),
    pytest.param("-print 'half of the chunks:', len(c) / 2", "half of the chunks: 1",
                 id="print-statement-items"),
    pytest.param("+print('task', text + ':', r.get())", "task 1: 1", id="print-call-items"),
    pytest.param("+sys.stdout.write('done\\n')", "done", id="write-with-newline"),
    pytest.param("-print 'n\\t', 'square'", "n\tsquare", id="escaped-tab"),
    pytest.param(" msg = 'Child process %d(%s) end.'", "Child process 0(<child>) end.",
                 id="a-context-line"),
    pytest.param("+print('100%% done: %s' % x)", "100% done: yes", id="percent-escaped"),
]


@pytest.mark.parametrize(("source", "line"), PRINTS)
def test_a_hunk_prints_a_line_its_literal_matches(source, line):
    assert _hunks.prints(hunk(source), line)


# A literal that is only part of a line outside a print, or has no text of its own, prints
# nothing; nor does code without literals, nor the hunk's own @@ line.
DOES_NOT_PRINT = [
    pytest.param("+x = 'mean of'", "mean of [1] is 1", id="part-outside-print"),
    pytest.param("+print('%s' % x)", "anything", id="field-only"),
    pytest.param("+print(x, '')", "anything", id="empty-literal"),
    pytest.param("-    return sum(xs) / len(xs)", "mean of [1] is 1", id="no-literal"),
    pytest.param("+print('is', 'mean')", "mean of [1] is 1", id="print-items-out-of-order"),
]


@pytest.mark.parametrize(("source", "line"), DOES_NOT_PRINT)
def test_a_hunk_does_not_print_what_no_literal_matches(source, line):
    assert not _hunks.prints(hunk(source), line)


def test_a_diff_splits_into_its_hunks_after_the_file_names():
    diff = "--- a.py\n+++ b.py\n@@ -1 +1 @@\n-a\n+b\n@@ -9 +9 @@\n-c\n+d\n"
    assert _hunks.hunks(diff) == ["@@ -1 +1 @@\n-a\n+b\n", "@@ -9 +9 @@\n-c\n+d\n"]
    assert _hunks.hunks("") == []


# A long line against a literal of many fields: found by str.find, never a regular expression's
# backtracking (which took over 30 s on this).
def test_a_long_line_is_matched_in_time_of_its_length():
    import time
    many = "+print('" + "a%sb" * 12 + "c')"
    started = time.perf_counter()
    assert not _hunks.prints(hunk(many), "ab" * 5000)
    assert time.perf_counter() - started < 1
