"""Alert rules: threshold, fast drop, recovery; no repeats; quiet while paused."""

from __future__ import annotations

from moodline.daemon.alerts import AlertKind, AlertRules, AlertSettings
from moodline.daemon.levels import Level

N, SN, NEG, VN = Level.NEUTRAL, Level.SLIGHTLY_NEGATIVE, Level.NEGATIVE, Level.VERY_NEGATIVE
SP, P = Level.SLIGHTLY_POSITIVE, Level.POSITIVE


def kinds(rules: AlertRules, *levels: Level, conversation: str = "c") -> list[list[str]]:
    return [[a.kind.value for a in rules.observe(conversation, lv)] for lv in levels]


def test_threshold_alerts_once_and_rearms_after_recovering() -> None:
    rules = AlertRules(AlertSettings(fast_drop=False, recovery=False))
    assert kinds(rules, SN, NEG, NEG, VN, SN, NEG) == [[], ["threshold"], [], [], [], ["threshold"]]


def test_threshold_off_and_other_levels() -> None:
    off = AlertRules(AlertSettings(threshold=None, fast_drop=False, recovery=False))
    assert kinds(off, NEG, VN) == [[], []]
    strict = AlertRules(AlertSettings(threshold=Level.VERY_NEGATIVE, fast_drop=False))
    assert kinds(strict, NEG, VN) == [[], ["threshold"]]


def test_fast_drop_two_levels_within_three_messages() -> None:
    rules = AlertRules(AlertSettings(threshold=None, recovery=False))
    assert kinds(rules, P, P, SP, N) == [[], [], [], ["fast_drop"]]
    slow = AlertRules(AlertSettings(threshold=None, recovery=False))
    assert kinds(slow, SP, SP, SP, SP, N, N, N, N, SN) == [[]] * 9, "one level at a time is no drop"


def test_one_fall_alerts_once_a_further_fall_again() -> None:
    rules = AlertRules(AlertSettings(threshold=None, recovery=False))
    assert kinds(rules, P, N, SN, SN) == [[], ["fast_drop"], [], []]
    again = AlertRules(AlertSettings(threshold=None, recovery=False))
    assert kinds(again, P, N, SN, NEG) == [[], ["fast_drop"], [], ["fast_drop"]]


def test_recovery_after_an_alert_only() -> None:
    rules = AlertRules()
    assert kinds(rules, N, SP) == [[], []], "no recovery without a prior alert"
    assert kinds(rules, NEG, SN, N, SP) == [["threshold", "fast_drop"], [], ["recovery"], []]


def test_quiet_while_paused_and_conversations_are_separate() -> None:
    rules = AlertRules()
    assert rules.observe("a", VN, paused=True) == []
    assert [a.kind for a in rules.observe("b", VN)] == [AlertKind.THRESHOLD, AlertKind.FAST_DROP]
