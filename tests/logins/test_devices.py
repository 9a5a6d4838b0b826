"""The device label: the browser and the system (or the handheld device), from the User-Agent."""

import pytest

from logins.devices import device_icon, device_label

from .helpers import CHROME_WINDOWS, FIREFOX_LINUX, SAFARI_IPHONE


@pytest.mark.parametrize(("user_agent", "label"), [
    (CHROME_WINDOWS, "Chrome 131 · Windows"),
    (SAFARI_IPHONE, "Safari 17 · iPhone"),
    (FIREFOX_LINUX, "Firefox 128 · Linux"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 "
     "Safari/605.1.15", "Safari 17 · macOS"),
    ("Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.104 "
     "Mobile Safari/537.36", "Chrome 131 · Samsung SM-S918B"),
    ("Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 "
     "Mobile/15E148 Safari/604.1", "Safari 17 · iPad"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
     "Safari/537.36 Edg/120.0.0.0", "Edge 120 · Windows"),
    ("curl/8.5.0", "curl 8"),
    ("x", ""),
    ("", ""),
])
def test_device_label(user_agent, label):
    assert device_label(user_agent) == label


def test_a_very_long_user_agent_gives_a_label_that_fits_the_column():
    assert len(device_label("Mozilla/5.0 " + "(X" * 5000)) <= 100


@pytest.mark.parametrize(("user_agent", "icon"), [
    (CHROME_WINDOWS, "display"),
    (SAFARI_IPHONE, "phone"),
    ("Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 "
     "Mobile/15E148 Safari/604.1", "tablet"),
    ("Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.104 "
     "Mobile Safari/537.36", "phone"),
    ("", "display"),
])
def test_device_icon(user_agent, icon):
    assert device_icon(user_agent) == icon
