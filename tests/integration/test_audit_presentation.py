"""The report page's highlighting: one sweep gives what asking every piece about every span gave."""

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.audits.presentation import MAX_FINDINGS_PER_SEGMENT, Segment, finding_groups, highlight


def _naive(text, findings):
    """The former quadratic cut: every piece asks every span whether it covers it."""
    marks = []
    for i, f in enumerate(findings):
        for span in f["where"]["spans"]:
            a, b = max(0, span["original_start"]), min(len(text), span["original_end"])
            if a < b:
                marks.append((a, b, i, f["severity"]))
    cuts = sorted({0, len(text), *[m[0] for m in marks], *[m[1] for m in marks]})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [m for m in marks if m[0] <= a and b <= m[1]]
        severity = "error" if any(m[3] == "error" for m in covering) else ("warning" if covering else "")
        out.append(Segment(text[a:b], tuple(sorted({m[2] for m in covering}))[:MAX_FINDINGS_PER_SEGMENT], severity))
    return out


spans = st.tuples(st.integers(-3, 40), st.integers(-3, 40)).map(
    lambda p: {"original_start": p[0], "original_end": p[1]}
)
findings_st = st.lists(
    st.builds(
        lambda sev, sp: {"rule": "r", "severity": sev, "message": "m", "where": {"spans": sp}},
        st.sampled_from(["error", "warning", "info"]),
        st.lists(spans, max_size=3),
    ),
    max_size=15,
)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="年报表三\n<&ab", min_size=1, max_size=35), findings=findings_st)
def test_the_sweep_cuts_the_text_exactly_as_the_naive_cut(text, findings):
    assert highlight(text, findings) == _naive(text, findings)


def test_only_the_findings_of_the_page_are_marked():
    f = [{"severity": "error", "where": {"spans": [{"original_start": i, "original_end": i + 1}]}} for i in range(4)]
    segments = highlight("abcd", f, only=range(2, 4))
    assert [s.findings for s in segments] == [(), (2,), (3,)]


def test_groups_count_by_rule_most_severe_first():
    f = [{"rule": "b", "severity": "warning", "message": "x"}] * 3 + [
        {"rule": "a", "severity": "error", "message": "y"}
    ]
    assert [(g.rule, g.count, g.severity) for g in finding_groups(f)] == [("a", 1, "error"), ("b", 3, "warning")]
