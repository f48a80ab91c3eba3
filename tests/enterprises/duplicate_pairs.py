"""Real enterprise names, on file and as an officer might type them again, with whether they are the same.

Each case: the enterprise stored (English name, Chinese name, aliases), the names typed, and True when the
two are the same organisation (or a part of it an officer should be warned about). Names in two scripts
on purpose: a company entered once in English and once in Chinese is the case exact-name checks miss.
"""

SAME = True
DIFFERENT = False

PAIRS = [
    # The same organisation, typed another way.
    (("Haier Group", "海尔集团", ()), ("Haier", None), SAME),
    (("Haier Group", None, ()), (None, "海尔"), SAME),
    ((None, "海尔集团", ()), ("Haier Group Co., Ltd.", None), SAME),
    ((None, "海尔", ()), (None, "海尔集团公司"), SAME),
    (("Huawei Technologies Co., Ltd.", None, ()), (None, "华为技术有限公司"), SAME),
    ((None, "华为技术有限公司", ()), ("Huawei", None), SAME),
    (("Alibaba Group Holding Limited", None, ()), (None, "阿里巴巴集团"), SAME),
    ((None, "百度在线网络技术（北京）有限公司", ()), ("Baidu", None), SAME),
    (("Xiaomi Technology Co., Ltd.", None, ()), (None, "小米科技有限责任公司"), SAME),
    (("BYD Company Limited", None, ()), (None, "比亚迪股份有限公司"), SAME),
    ((None, "美团", ()), ("Meituan", None), SAME),
    ((None, "拼多多", ()), ("Pinduoduo Inc.", None), SAME),
    (("Wahaha Group", None, ()), (None, "娃哈哈集团有限公司"), SAME),
    ((None, "恒瑞医药", ()), ("Hengrui", None), SAME),
    (
        ("Bosch Automotive Diesel Systems Co., Ltd.", "博世汽车柴油系统有限公司", ()),
        ("BOSCH automotive diesel systems", None),
        SAME,
    ),
    (("Robert Bosch GmbH", None, ("博世",)), (None, "博世"), SAME),
    (("Siemens AG", None, ("西门子",)), (None, "西门子（中国）有限公司"), SAME),
    (("Tencent Holdings Ltd.", None, ("腾讯",)), (None, "腾讯"), SAME),
    ((None, "腾讯控股有限公司", ("Tencent",)), ("Tencent", None), SAME),
    (
        ("Dulwich International High School Suzhou", "苏州德威国际高级中学", ()),
        ("Dulwich International High School", None),
        SAME,
    ),
    ((None, "苏州德威国际高级中学", ()), (None, "德威国际高级中学"), SAME),
    (("Hikvision", "海康威视数字技术股份有限公司", ()), (None, "杭州海康威视数字技术股份有限公司"), SAME),
    (
        ("Contemporary Amperex Technology Co., Limited", "宁德时代新能源科技股份有限公司", ()),
        ("Contemporary Amperex Technology", None),
        SAME,
    ),
    # Same organisation, but only a translation or a brand tells: missed unless an alias is on file.
    (("Lenovo Group Limited", None, ()), (None, "联想集团"), SAME),
    (("Tencent Holdings Ltd.", None, ()), (None, "腾讯"), SAME),
    (("Gree Electric Appliances", None, ()), (None, "格力电器"), SAME),
    (("Great Wall Motor Company Limited", None, ()), (None, "长城汽车股份有限公司"), SAME),
    (("Tsingtao Brewery", None, ()), (None, "青岛啤酒"), SAME),
    # Different organisations that look alike.
    ((None, "中国银行", ()), (None, "中国建设银行"), DIFFERENT),
    (("Bank of China", None, ()), ("China Construction Bank", None), DIFFERENT),
    ((None, "京东", ()), (None, "京东方科技集团股份有限公司"), DIFFERENT),
    ((None, "华为技术有限公司", ()), (None, "华润集团"), DIFFERENT),
    ((None, "海尔集团", ()), (None, "海信集团"), DIFFERENT),
    (("Haier Group", None, ()), ("Hisense Group", None), DIFFERENT),
    ((None, "中国石油天然气集团", ()), (None, "中国石油化工集团"), DIFFERENT),
    ((None, "吉利汽车", ()), (None, "长城汽车"), DIFFERENT),
    ((None, "万科企业股份有限公司", ()), (None, "万达集团"), DIFFERENT),
    ((None, "阿里巴巴集团", ()), (None, "阿里健康"), DIFFERENT),
    (("Tencent Holdings Ltd.", None, ()), ("Tesla", None), DIFFERENT),
    ((None, "苏州工业园区智慧城市运行管理中心", ()), (None, "杭州城市大脑运营指挥中心"), DIFFERENT),
    ((None, "苏州德威国际高级中学", ()), (None, "苏州新加坡国际学校"), DIFFERENT),
    ((None, "博世汽车柴油系统有限公司", ()), (None, "博世力士乐（常州）有限公司"), DIFFERENT),
    ((None, "上海汽车集团", ()), (None, "上海银行"), DIFFERENT),
    (("Peking University", "北京大学", ()), ("Tsinghua University", "清华大学"), DIFFERENT),
    ((None, "百度", ()), ("BD", None), DIFFERENT),
    ((None, "华为技术有限公司", ()), (None, "华夏银行"), DIFFERENT),
    (("Bosch Automotive Diesel Systems", None, ()), ("Bosch Rexroth", None), DIFFERENT),
]
