"""The duplicate check over real names in two scripts: precision, recall, and the reason of each match."""

from __future__ import annotations

from crm.enterprises.duplicates import CONTAINED, PINYIN, SAME_AS_ALIAS, SAME_CORE, find_duplicates
from crm.enterprises.models import Enterprise, EnterpriseAlias
from crm.extensions import db
from tests.enterprises.duplicate_pairs import PAIRS


def store(name, local_name, aliases) -> Enterprise:
    enterprise = Enterprise(name=name, local_name=local_name)
    enterprise.aliases = [EnterpriseAlias(name=alias) for alias in aliases]
    db.session.add(enterprise)
    db.session.flush()
    return enterprise


def test_precision_and_recall_over_real_name_pairs(app, capsys):
    outcomes = []
    for stored, typed, same in PAIRS:
        enterprise = store(*stored)
        matches = find_duplicates(*typed)
        found = any(match.enterprise.id == enterprise.id for match in matches)
        outcomes.append((stored, typed, same, found))
        db.session.rollback()
    true_pos = sum(1 for *_, same, found in outcomes if same and found)
    false_pos = [(s, t) for s, t, same, found in outcomes if found and not same]
    positives = sum(1 for *_, same, _found in outcomes if same)
    precision = true_pos / (true_pos + len(false_pos))
    recall = true_pos / positives
    with capsys.disabled():
        print(f"\nduplicate check over {len(PAIRS)} pairs: precision {precision:.2f}, recall {recall:.2f}")
    assert len(PAIRS) >= 30
    assert false_pos == []  # no known different pair is ever flagged
    missed = [(s, t) for s, t, same, found in outcomes if same and not found]
    assert recall >= 0.8, "\n".join(map(str, missed))


def test_each_match_says_why(app):
    haier = store("Haier Group", None, ())
    bosch = store("Robert Bosch GmbH", None, ("博世",))
    dulwich = store("Dulwich International High School Suzhou", None, ())
    db.session.flush()
    assert find_duplicates(None, "海尔")[0].reasons == [PINYIN]
    assert find_duplicates("Haier Co., Ltd.")[0].reasons == [SAME_CORE]
    assert find_duplicates(None, "博世")[0].reasons == [SAME_AS_ALIAS]
    (match,) = find_duplicates("Dulwich")
    assert match.enterprise == dulwich and match.reasons == [CONTAINED]
    assert {m.enterprise for m in find_duplicates("Haier", "博世")} == {haier, bosch}
    assert find_duplicates("Haier", exclude_id=haier.id) == []


def test_deleted_enterprises_and_group_members_are_not_duplicates(app):
    from crm.core.time import utcnow

    group = store("Huawei Technologies Co., Ltd.", None, ())
    member = store("Zeta Research Institute", None, ())
    member.parent = group
    gone = store("Omega Tooling", None, ())
    gone.deleted_at = utcnow()
    db.session.flush()
    assert [m.enterprise for m in find_duplicates("Huawei")] == [group]
    assert find_duplicates("Omega Tooling") == []


def test_the_duplicates_page_pairs_say_why_and_leave_groups_and_members_alone(app):
    from crm.enterprises.duplicates import INITIALS, likely_pairs

    haier = store("Haier Group", None, ())
    haier_again = store(None, "海尔集团", ())
    byd = store("BYD Company Limited", None, ())
    byd_again = store(None, "比亚迪股份有限公司", ())
    group = store("Huawei Technologies Co., Ltd.", None, ())
    member = store("Huawei Suzhou Industrial Park", None, ())
    member.parent = group
    db.session.flush()
    pairs, total = likely_pairs()
    found = {(pair.first, pair.second): pair.reasons for pair in pairs}
    assert total == 2 and set(found) == {(haier, haier_again), (byd, byd_again)}
    assert found[(haier, haier_again)] == [PINYIN] and found[(byd, byd_again)] == [INITIALS]
