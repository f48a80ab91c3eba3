"""Search latency at scale: 5,000 enterprises and 30,000 visits on a fresh SQLite file.

    .venv/bin/python -m bench.search            (or CRM_BENCH_DATABASE_URL=postgresql+psycopg://… for PostgreSQL)

Synthetic, clearly fake names (拼音 syllables combined at random, "Bench Co. N") go through the models, so
the search keys are computed exactly as in use; then each query below is timed over the JSON endpoint's
reads and the median and worst are printed. The target is under 50 ms.
"""

from __future__ import annotations

import os
import random
import secrets
import statistics
import tempfile
import time
from datetime import date, timedelta

import sqlalchemy as sa

from crm import create_app
from crm.accounts import services as accounts
from crm.core.roles import Role
from crm.extensions import db
from crm.models import Enterprise, Visit
from crm.search.queries import search_everything

ENTERPRISES, VISITS = 5_000, 30_000
SYLLABLES = "华为腾讯海尔美的格力联想小米百度京东比亚迪博世西门子苏州无锡杭州青岛智慧城市科技数字能源材料医药"
QUERIES = ["华为", "huawei", "hw", "tengxun", "tx", "bench co 42", "苏州", "haier", "zzzz"]


def build() -> None:
    rng = random.Random(12)
    password = secrets.token_urlsafe(16)  # a throwaway account in a throwaway database
    owner = accounts.create_user(email="bench@zone.test", name="Bench", password=password, role=Role.MANAGER)
    for number in range(ENTERPRISES):
        local = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 8))) + "有限公司"
        db.session.add(Enterprise(name=f"Bench Co. {number}", local_name=local, owner=owner, is_sample=True))
        if number % 500 == 499:
            db.session.flush()
    db.session.flush()
    ids = list(db.session.scalars(sa.select(Enterprise.id)))
    start = date(2024, 1, 1)
    visits = [
        {
            "enterprise_id": rng.choice(ids),
            "visited_on": start + timedelta(days=rng.randint(0, 900)),
            "owner_id": owner.id,
        }
        for _ in range(VISITS)
    ]
    db.session.execute(sa.insert(Visit), [{**visit, "slot": "morning", "direction": "outbound", "is_sample": True,
                                           "version": 1} for visit in visits])  # fmt: skip
    db.session.commit()


def main() -> None:
    folder = tempfile.mkdtemp()
    url = os.environ.get("CRM_BENCH_DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True}, instance_path=folder)
    with app.app_context(), app.test_request_context():
        db.create_all()
        started = time.perf_counter()
        build()
        print(f"built {ENTERPRISES} enterprises and {VISITS} visits in {time.perf_counter() - started:.0f} s")
        viewer = db.session.scalar(sa.select(accounts.User))
        for text in QUERIES:
            timings = []
            for _ in range(15):
                db.session.expire_all()
                began = time.perf_counter()
                results = search_everything(text, viewer)
                timings.append((time.perf_counter() - began) * 1000)
            print(f"{text!r:>14}: median {statistics.median(timings):5.1f} ms, worst {max(timings):5.1f} ms, "
                  f"{len(results.enterprises)} enterprises, {len(results.visits)} visits")  # fmt: skip


if __name__ == "__main__":
    main()
