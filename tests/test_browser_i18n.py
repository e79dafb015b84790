"""A real browser (headless Chromium via Playwright) sees the pages in Simplified Chinese by default and
in English after clicking the switch, which the next pages keep (the cookie), until switched back."""

from __future__ import annotations

from api.i18n import Lang
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, graph, served

__all__ = ["graph", "served"]
ZH = Lang("zh_Hans")


def test_chinese_by_default_and_the_english_switch(served: str) -> None:
    assert CHROMIUM.exists(), "Debian's chromium is needed (make setup installs it)"
    from playwright.sync_api import sync_playwright

    tagline = "IP credit investigation"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(locale="zh-CN").new_page()
            page.goto(f"{served}/ui/subject/uscc:HELD")
            assert page.get_attribute("html", "lang") == "zh-CN"
            assert ZH.gettext(tagline) in page.inner_text("header")
            assert ZH.gettext("Legend") in page.inner_text("aside")

            page.click("a.lang-switch[hreflang=en]")
            page.wait_for_load_state()
            assert page.get_attribute("html", "lang") == "en"
            assert tagline in page.inner_text("header") and "Legend" in page.inner_text("aside")
            assert "/ui/subject/uscc:HELD" in page.url  # the same page, in English

            page.goto(f"{served}/ui/report/uscc:RING")  # no lang in the address: the cookie keeps English
            assert page.get_attribute("html", "lang") == "en"
            assert "The subject's credit level is" in page.inner_text("main")

            page.click("a.lang-switch[hreflang=zh-CN]")
            page.wait_for_load_state()
            assert page.get_attribute("html", "lang") == "zh-CN"
            assert "该主体信用等级为" in page.inner_text("main")

            english = browser.new_context(locale="en-US").new_page()  # a browser asking for English
            english.goto(f"{served}/")
            assert english.get_attribute("html", "lang") == "en"
        finally:
            browser.close()
