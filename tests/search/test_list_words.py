"""The lists' text searches through the word index (crm.core.words), on SQLite's FTS5 and PostgreSQL's tsvector."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from crm.core import words
from crm.core.roles import Role
from crm.core.time import utcnow
from crm.extensions import db
from crm.models import Enterprise, Visit
from tests import factories
from tests.conftest import login, text_of


def test_a_record_is_indexed_by_its_words_in_order_and_chinese_by_pairs():
    assert words.words_of(["Suzhou Robotics Co., Ltd.", None, "苏州工业园"]) == [
        "suzhou",
        "robotics",
        "co",
        "ltd",
        "苏州",
        "州工",
        "工业",
        "业园",
        "园",
    ]
    # Full-width letters and capitals are folded as the LIKE folds them; a script change starts a new word.
    assert words.words_of(["ＡＢＣ华为5G"]) == ["abc", "华为", "为", "5g"]


def test_a_search_looks_up_phrases_that_end_in_a_beginning():
    assert words.phrases_of("Bench Suz") == [["bench", "suz"]]
    assert words.phrases_of("苏州") == [["苏州", "州"]]
    assert words.phrases_of("华为 Suzhou") == [["华为", "为"], ["suzhou"]]
    assert words.phrases_of("Huawei华为") == [["huawei", "华为", "为"]]
    assert words.phrases_of("% _ -") == []  # nothing to look up: the LIKE reads the rows
    assert sum(map(len, words.phrases_of("a b c d e f g h i j k l m n"))) == words.MAX_TERMS


def _found(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return text_of(response)


@pytest.fixture
def officer(login_as):
    return login_as(Role.MANAGER)


def test_a_latin_word_is_found_from_its_beginning_and_a_phrase_in_its_order(client, officer):
    factories.enterprise(officer, name="Suzhou Robotics Co., Ltd.", local_name=None)
    db.session.commit()
    assert "Suzhou Robotics" in _found(client, "/enterprises/?q=Rob")
    assert "Suzhou Robotics" in _found(client, "/enterprises/?q=suzhou+robot")
    assert "Suzhou Robotics" in _found(client, "/enterprises/?q=Robotics+Co.,+Ltd")
    # The typed text still has to appear as typed (the LIKE decides among what the words find).
    assert "Suzhou Robotics" not in _found(client, "/enterprises/?q=Robotics+Suzhou")
    # The one change: a Latin word is not found from its middle.
    assert "Suzhou Robotics" not in _found(client, "/enterprises/?q=obotics")


def test_chinese_is_found_anywhere_by_one_two_or_more_characters(client, officer):
    factories.enterprise(officer, name=None, local_name="深圳市腾讯计算机系统有限公司")
    db.session.commit()
    for text in ("腾讯", "腾", "讯", "司", "深圳市腾讯计算机系统有限公司", "计算机系统"):
        assert "深圳市腾讯计算机系统有限公司" in _found(client, f"/enterprises/?q={text}"), text
    assert "深圳市腾讯计算机系统有限公司" not in _found(client, "/enterprises/?q=腾讯深圳")


def test_mixed_scripts_and_a_visits_notes_and_its_enterprise(client, officer):
    company = factories.enterprise(officer, name="Huawei", local_name="华为技术有限公司")
    factories.visit(officer, company, purpose="Talk about 5G通信 base stations")
    other = factories.enterprise(officer, name="Other Works", local_name="别的公司")
    factories.visit(officer, other, discussed="A plant near 华为 in Suzhou")
    factories.visit(officer, factories.enterprise(officer, name="Third Works", local_name="第三公司"))
    db.session.commit()
    page = _found(client, "/visits/?q=5G通信")
    assert "华为技术有限公司" in page and "别的公司" not in page
    # A visit is found by its enterprise's name too.
    page = _found(client, "/visits/?q=华为技术")
    assert "华为技术有限公司" in page and "别的公司" not in page
    page = _found(client, "/visits/?q=华为")
    assert "华为技术有限公司" in page and "别的公司" in page and "第三公司" not in page


def test_an_edit_a_deletion_and_a_restore_move_the_words_with_the_record(client, officer):
    company = factories.enterprise(officer, name="Old Name Trading", local_name=None)
    db.session.commit()
    company.name = "Fresh Name Trading"
    db.session.commit()
    assert "Fresh Name Trading" in _found(client, "/enterprises/?q=fresh")
    assert "Fresh Name Trading" not in _found(client, "/enterprises/?q=old+name")
    company.deleted_at = utcnow()
    db.session.commit()
    assert "Fresh Name Trading" not in _found(client, "/enterprises/?q=fresh")
    company.deleted_at = None
    db.session.commit()
    assert "Fresh Name Trading" in _found(client, "/enterprises/?q=fresh")


def test_words_written_in_a_transaction_that_fails_are_not_kept(app, officer):
    factories.enterprise(officer, name="Rolled Back Works", local_name=None)
    db.session.rollback()
    db.session.add(Enterprise(name="Kept Works", city="Wuxi"))
    db.session.commit()
    kept = db.session.scalar(sa.select(Enterprise.id).where(Enterprise.name == "Kept Works"))
    assert db.session.scalars(words.matching_ids(Enterprise, "works")).all() == [kept]
    assert db.session.scalars(words.matching_ids(Enterprise, "rolled")).all() == []


def test_a_hard_delete_takes_the_words_away(app, officer):
    visit = factories.visit(officer, purpose="Dismantled booth")
    db.session.commit()
    assert db.session.scalars(words.matching_ids(Visit, "dismantled")).all() == [visit.id]
    db.session.delete(visit)
    db.session.commit()
    assert db.session.scalars(words.matching_ids(Visit, "dismantled")).all() == []


def test_a_text_without_words_is_still_looked_for_literally(client, officer):
    factories.visit(officer, factories.enterprise(officer, name="Stake Works"), purpose="Take a 50% stake")
    factories.visit(officer, factories.enterprise(officer, name="Plain Works"), purpose="Plain talk")
    db.session.commit()
    page = _found(client, "/visits/?q=%25")
    assert "Stake Works" in page and "Plain Works" not in page
    assert "Plain Works" not in _found(client, "/visits/?q=_")


def test_a_confidential_project_is_found_by_its_real_name_only_by_those_who_may_see_it(app, login_as, make_user):
    owner = make_user(Role.OFFICER)
    factories.project(owner, name="Secret Gigafactory", code_name="Project Falcon", is_confidential=True)
    db.session.commit()
    officer, manager = app.test_client(), app.test_client()
    login(officer, make_user(Role.OFFICER).email)
    login(manager, make_user(Role.MANAGER).email)
    assert "Project Falcon" not in _found(officer, "/projects/?q=Gigafactory")
    assert "Project Falcon" in _found(officer, "/projects/?q=Falcon")
    assert "Secret Gigafactory" in _found(manager, "/projects/?q=Gigafactory")


def test_a_search_that_matches_many_rows_shows_its_latest_first_and_counts_them(client, officer):
    company = factories.enterprise(officer, name="Busy Works", local_name=None)
    for day in range(1, 31):
        factories.visit(officer, company, purpose=f"Busy call number {day}", visited_on=date(2026, 1, day))
    factories.visit(officer, company, purpose="Quiet call", visited_on=date(2026, 2, 1))
    db.session.commit()
    page = _found(client, "/visits/?q=busy+call")
    assert "30 records" in page
    days = re.findall(r"\b(\d+) Jan 2026", page)
    assert days == [str(day) for day in range(30, 5, -1)]  # the latest 25, latest first
    assert "1 Feb 2026" not in page
    assert re.findall(r"\b(\d+) Jan 2026", _found(client, "/visits/?q=busy+call&page=2")) == ["5", "4", "3", "2", "1"]


def test_a_search_shows_as_many_rows_a_page_as_asked(client, officer):
    company = factories.enterprise(officer, name="Long Works", local_name=None)
    for number in range(120):
        factories.visit(officer, company, purpose=f"Long call {number}")
    db.session.commit()
    page = _found(client, "/visits/?q=long+call&per_page=200")
    assert "120 records" in page and page.count("Long Works") >= 120


def test_a_word_in_more_records_than_the_look_up_holds_is_still_found(client, officer, monkeypatch):
    from crm.core import listing

    monkeypatch.setattr(listing, "MAX_CANDIDATES", 2)  # PostgreSQL then asks the index inside the statement
    company = factories.enterprise(officer, name="Common Works", local_name=None)
    for number in range(5):
        factories.visit(officer, company, purpose=f"Common topic {number}")
    db.session.commit()
    assert "5 records" in _found(client, "/visits/?q=common")


@pytest.mark.parametrize(
    ("language", "hint"), [("en", "English words are found from their beginning"), ("zh", "英文按词首查找")]
)
def test_a_search_that_finds_nothing_says_how_words_are_found(client, officer, language, hint):
    client.post("/language", data={"language": language, "next": "/"})
    factories.enterprise(officer, name="Suzhou Robotics", local_name=None)
    db.session.commit()
    for path in ("/enterprises/", "/visits/", "/contacts/", "/projects/", "/trips/", "/follow-ups/?scope=all"):
        assert hint in _found(client, f"{path}{'&' if '?' in path else '?'}q=obot"), path
        assert hint not in _found(client, path), path  # nothing searched: the list is just empty


HOSTILE = [
    '"',
    "'",
    "*",
    'a"b',
    "NEAR(suzhou robotics)",
    "suzhou:*",
    "a <-> b",
    "robotics OR x",
    "-robotics",
    "\\",
    "^robotics",
    "{name}: robotics",
    "x" * 200,
    "苏州" * 100,
    "%_%",
    "\u200b苏州\ufeff",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_search_syntax_in_the_text_is_taken_as_text_on_every_list(client, officer, text):
    """Quotes, operators and stars of FTS5's or PostgreSQL's query languages are not letters: they never reach
    the index as syntax, and no text breaks a list."""
    factories.enterprise(officer, name="Suzhou Robotics", local_name="苏州机器人")
    db.session.commit()
    for path in ("/enterprises/", "/visits/", "/contacts/", "/projects/", "/trips/", "/follow-ups/"):
        assert client.get(path, query_string={"q": text}).status_code == 200, path
    # None of them is in the name as typed, and an operator does not widen the search.
    assert "Suzhou Robotics" not in _found(client, "/enterprises/?" + urlencode({"q": text}))


@pytest.mark.parametrize(("language", "label"), [("en", "Rows per page:"), ("zh", "每页行数：")])
def test_a_long_list_offers_its_page_sizes_and_keeps_the_search(client, officer, language, label):
    company = factories.enterprise(officer, name="Sized Works", local_name=None)
    for number in range(60):
        factories.visit(officer, company, purpose=f"Sized call {number}")
    db.session.commit()
    client.post("/language", data={"language": language})
    html = client.get("/visits/?q=sized+call&page=2").get_data(as_text=True)
    assert label in html
    links = dict(re.findall(r'<a class="ms-1" href="([^"]+)">(\d+)</a>', html))
    assert sorted(links.values(), key=int) == ["50", "100", "200"]  # 25 is the page shown: no link
    bigger = next(href for href, size in links.items() if size == "100").replace("&amp;", "&")
    assert "&page=" not in bigger and "?page=" not in bigger and "q=sized+call" in bigger  # back to page 1
    rows = client.get(bigger).get_data(as_text=True)
    assert rows.count("Sized Works") >= 60 and 'aria-current="true">100<' in rows


def test_a_short_list_offers_no_page_sizes(client, officer):
    factories.visit(officer, factories.enterprise(officer, name="Lone Works", local_name=None))
    db.session.commit()
    assert "Rows per page" not in client.get("/visits/").get_data(as_text=True)
