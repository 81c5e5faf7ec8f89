"""Without a browser the browser tests say why in one line: skipped here, failed in CI."""

from __future__ import annotations

import pytest
from browser_support import browser_problem, start_browser, unavailable_message

NO_CHROMIUM = "no chromium on PATH (Debian: apt-get install chromium; .ci/run does this)"


def test_without_chromium_the_browser_tests_skip_with_one_line_or_fail_in_ci(monkeypatch, tmp_path):
    pytest.importorskip(
        "playwright", reason="playwright is not installed; its own message is then shown"
    )
    monkeypatch.setenv("PATH", str(tmp_path))
    assert browser_problem() == NO_CHROMIUM
    assert unavailable_message(NO_CHROMIUM, ci=False) == f"browser tests skipped: {NO_CHROMIUM}"
    with pytest.raises(pytest.skip.Exception) as skipped:
        start_browser(None, ci=False)
    assert str(skipped.value) == f"browser tests skipped: {NO_CHROMIUM}"
    with pytest.raises(pytest.fail.Exception) as failed:
        start_browser(None, ci=True)
    assert str(failed.value) == f"browser tests cannot run in CI: {NO_CHROMIUM}"
