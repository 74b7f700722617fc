"""Browser tests (Playwright driving Debian's chromium); a package so that its conftest does not shadow tests/conftest.py."""
