"""The header: every area of the menu is a dropdown, the user's own entries, the language and the
log-out sit in the menu on the user's name, the language changes only when a button is pressed,
and a skip link leads past the menu to the page's main content."""

import re

import pytest
from django.urls import reverse

from portal.context_processors import display_name
from portal.navigation import menu_for, menu_tree, user_menu

pytestmark = pytest.mark.django_db


def shape(tree):
    return [(str(node["label"]), [str(c["label"]) for c in node["children"]]) if "children" in node
            else str(node["label"]) for node in tree]


def test_every_area_is_a_dropdown_even_with_one_entry_and_the_daily_pages_stay_plain_links(world):
    # given the organization department and the enterprise user
    # when their menus are built
    staff = shape(menu_tree(menu_for(world.org_staff)))
    enterprise = shape(menu_tree(menu_for(world.enterprise_user)))
    station = shape(menu_tree(menu_for(world.station)))
    # then each area is one dropdown at the place of its first entry, the audit log and the workflows with
    # the registry
    assert staff[:3] == ["首页", ("登记", ["市场主体", "人员", "金融服务站", "行政区划", "金融机构", "登记导入", "审计日志",
                                          "办理流程"]),
                         ("评星定级", ["星级评定", "党组织"])]
    assert ("党建+保险", ["保险优惠"]) in staff
    assert "数据看板" in staff
    # the enterprise's own rating and the station's desk are plain links, an area of one entry is not
    assert "我的星级" in enterprise
    assert ("党建+保险", ["保险优惠"]) in enterprise
    assert station[3] == "服务台"
    # and "我的文件" is nobody's top-level entry
    assert all("我的文件" not in str(node) for node in staff + enterprise + station)


def test_the_navbar_renders_an_area_as_a_dropdown_of_links(world, client):
    client.force_login(world.org_staff)
    body = client.get("/").content.decode()
    assert 'data-group="registry"' in body
    assert 'class="dropdown-item" href="/enterprises/"' in body


def test_the_user_menu_holds_the_users_own_files(world):
    assert [str(i["label"]) for i in user_menu(menu_for(world.bank_officer))] == ["我的文件", "账号安全", "登录设备", "通知设置"]
    assert user_menu(menu_for(None)) == []


def test_the_header_offers_each_language_as_a_button_and_log_out_in_the_user_menu(world, client):
    # given a signed-in station operator on the desk
    client.force_login(world.station)
    page = client.get(reverse("finance:desk")).content.decode()
    # then the user menu holds the files, one POST button per language back to this page, and log-out
    menu = page[page.index('class="navbar-nav portal-usermenu"'):page.index("</nav>")]
    toggle = re.search(r'<a class="nav-link dropdown-toggle" href="#" id="usermenu".*?</a>', menu, re.S).group(0)
    assert toggle.endswith(f"</i> {display_name(world.station)}</a>")
    assert f'href="{reverse("reports:list")}"' in menu
    form = re.search(r'<form action="/i18n/setlang/" method="post"[^>]*>(.*?)</form>', menu, re.S).group(1)
    assert '<input type="hidden" name="next" value="/finance/desk/">' in form
    assert re.findall(r'<button type="submit" name="language" value="([^"]+)" lang="[^"]+" class="dropdown-item"'
                      r'( aria-current="true")?', form) == [("zh-hans", ' aria-current="true"'), ("en", "")]
    assert f'<form action="{reverse("logout")}" method="post">' in menu
    # and nothing changes the language on a mere change of selection
    assert "<select" not in page[:page.index("</nav>")]
    assert "onchange" not in page


def test_the_language_button_switches_and_returns_to_the_same_page(world, client):
    client.force_login(world.station)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/finance/desk/"})
    assert (response.status_code, response["Location"]) == (302, "/finance/desk/")
    page = client.get("/finance/desk/").content.decode()
    assert 'value="en" lang="en" class="dropdown-item" aria-current="true"' in page
    assert "Skip to main content" in page


def test_the_skip_link_is_the_first_thing_to_focus_and_leads_to_main(world, client):
    client.force_login(world.enterprise_user)
    page = client.get(reverse("home")).content.decode()
    body = page[page.index("<body"):]
    first_focusable = re.search(r"<(a|button|input|select|textarea)\b[^>]*>", body).group(0)
    assert first_focusable == '<a class="skip-link visually-hidden-focusable" href="#main">'
    assert '<main id="main" tabindex="-1"' in body
    assert "跳到主要内容" in body


def test_a_visitor_not_signed_in_can_still_choose_the_language(client):
    page = client.get(reverse("login")).content.decode()
    assert 'name="language" value="en"' in page
    assert f'action="{reverse("logout")}"' not in page


def test_the_favicon_is_linked_and_answered_at_the_root(client):
    page = client.get(reverse("login")).content.decode()
    assert '<link rel="icon" href="/static/portal/favicon.ico" sizes="32x32">' in page
    assert '<link rel="icon" href="/static/portal/favicon.svg" type="image/svg+xml">' in page
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (301, "/static/portal/favicon.ico")
    assert client.post("/favicon.ico").status_code == 405
