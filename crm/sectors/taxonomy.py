"""The default sector taxonomy, inserted by the first migration.

Migration 0001 reads this list: change existing entries only through a new migration.
"""

from __future__ import annotations

import sqlalchemy as sa

# (code, English, Chinese, [(code, English, Chinese), ...] industry-chain nodes)
DEFAULT_SECTORS: list[tuple[str, str, str, list[tuple[str, str, str]]]] = [
    (
        "artificial-intelligence",
        "Artificial intelligence",
        "人工智能",
        [
            ("ai-chips", "AI chips and computing power", "智能芯片与算力"),
            ("ai-algorithms", "Algorithms and large models", "算法与大模型"),
            ("ai-applications", "AI applications", "人工智能应用"),
        ],
    ),
    (
        "blockchain",
        "Blockchain",
        "区块链",
        [
            ("blockchain-infrastructure", "Blockchain infrastructure", "区块链基础设施"),
            ("blockchain-applications", "Blockchain applications", "区块链应用"),
        ],
    ),
    (
        "digital-city",
        "Digital city (smart city)",
        "数字城市（智慧城市）",
        [
            ("city-brain", "City brain and operation centres", "城市大脑与运营中心"),
            ("smart-governance", "Smart governance", "智慧治理"),
            ("smart-transport", "Smart transport", "智慧交通"),
        ],
    ),
    (
        "digital-economy",
        "Digital economy",
        "数字经济",
        [
            ("big-data", "Big data", "大数据"),
            ("cloud-computing", "Cloud computing", "云计算"),
            ("industrial-internet", "Industrial internet", "工业互联网"),
            ("software-services", "Software and IT services", "软件和信息技术服务"),
        ],
    ),
    (
        "advanced-manufacturing",
        "Advanced manufacturing",
        "高端装备制造",
        [
            ("robotics", "Robotics", "机器人"),
            ("precision-machinery", "Precision machinery", "精密机械"),
        ],
    ),
    (
        "automotive",
        "Automotive and parts",
        "汽车及零部件",
        [
            ("vehicle-powertrain", "Powertrain and fuel systems", "动力总成与燃油系统"),
            ("new-energy-vehicles", "New-energy vehicles", "新能源汽车"),
            ("intelligent-connected-vehicles", "Intelligent connected vehicles", "智能网联汽车"),
        ],
    ),
    (
        "integrated-circuits",
        "Integrated circuits",
        "集成电路",
        [
            ("ic-design", "Chip design", "芯片设计"),
            ("ic-manufacturing", "Wafer manufacturing", "晶圆制造"),
            ("ic-packaging", "Packaging and testing", "封装测试"),
        ],
    ),
    (
        "biomedicine",
        "Biomedicine",
        "生物医药",
        [
            ("innovative-drugs", "Innovative drugs", "创新药"),
            ("medical-devices", "Medical devices", "医疗器械"),
        ],
    ),
    (
        "new-energy",
        "New energy",
        "新能源",
        [
            ("photovoltaics", "Photovoltaics", "光伏"),
            ("energy-storage", "Energy storage and batteries", "储能与电池"),
            ("hydrogen", "Hydrogen", "氢能"),
        ],
    ),
    ("new-materials", "New materials", "新材料", []),
    (
        "education",
        "Education",
        "教育",
        [
            ("international-schools", "International schools", "国际学校"),
            ("vocational-training", "Vocational training", "职业培训"),
        ],
    ),
    (
        "modern-services",
        "Modern services",
        "现代服务业",
        [
            ("finance", "Finance", "金融"),
            ("logistics", "Logistics", "物流"),
            ("business-services", "Business services", "商务服务"),
        ],
    ),
]


def default_sector_rows() -> list[dict]:
    """The taxonomy as rows with explicit ids, parents before children."""
    rows: list[dict] = []
    next_id = 1
    for position, (code, name_en, name_zh, nodes) in enumerate(DEFAULT_SECTORS):
        parent_id = next_id
        rows.append(_row(parent_id, code, None, name_en, name_zh, position))
        next_id += 1
        for node_position, (node_code, node_en, node_zh) in enumerate(nodes):
            rows.append(_row(next_id, node_code, parent_id, node_en, node_zh, node_position))
            next_id += 1
    return rows


def _row(id_: int, code: str, parent_id: int | None, name_en: str, name_zh: str, position: int) -> dict:
    return {
        "id": id_,
        "code": code,
        "parent_id": parent_id,
        "name_en": name_en,
        "name_zh": name_zh,
        "position": position,
        "active": True,
    }


def insert_default_sectors(connection: sa.Connection) -> None:
    """Insert the taxonomy, and move PostgreSQL's id sequence past the ids it used."""
    sectors = sa.table(
        "sectors",
        *(sa.column(name) for name in ("id", "code", "parent_id", "name_en", "name_zh", "position", "active")),
    )
    rows = default_sector_rows()
    connection.execute(sectors.insert(), rows)
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT setval(pg_get_serial_sequence('sectors', 'id'), :top)"), {"top": len(rows)})
