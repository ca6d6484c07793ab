"""analysis.regions: names → adcode, level, parent from the gazetteer, historical names, short names."""

from __future__ import annotations

import pytest

from analysis import corpus, regions
from analysis.paths import SEEDS_DIR

from _shared_corpus import corpus_root


@pytest.mark.parametrize("name, level, parent", [
    ("河北省", "province", "中国"),
    ("上海市", "province", "中国"),
    ("上海", "province", "中国"),
    ("广西", "province", "中国"),
    ("内蒙古", "province", "中国"),
    ("石家庄市", "prefecture", "河北省"),
    ("延边朝鲜族自治州", "prefecture", "吉林省"),
    ("延边州", "prefecture", "吉林省"),
    ("东莞市", "prefecture", "广东省"),
    ("荔湾区", "district", "广州市"),
    ("海淀区", "district", "北京市"),
    ("五莲县", "county", "日照市"),
    ("五莲", "county", "日照市"),
    ("仙桃市", "county_city", "湖北省"),
    ("萝岗区", "district", "广州市"),
    ("巢湖市", "prefecture", "安徽省"),
    ("国务院", "national", ""),
])
def test_resolve(name, level, parent):
    r = regions.resolve(name)
    assert r is not None and (r.level, r.parent) == (level, parent)
    assert len(r.code) == 6 and r.code.isdigit()


def test_ambiguous_names_need_context():
    assert regions.resolve("朝阳区") is None  # in 北京市 and in 长春市
    assert regions.resolve("朝阳区", ["北京市"]).parent == "北京市"
    assert regions.resolve("朝阳区", ["长春市"]).parent == "长春市"
    assert regions.resolve("不存在的区") is None


def test_coordinates_and_history():
    r = regions.resolve("石家庄市")
    assert 37 < r.lat < 39 and 114 < r.lon < 115
    assert regions.resolve("萝岗区").until == 2014 and regions.resolve("荔湾区").until is None


def test_seed_regions_resolve():
    for d in corpus.load_corpus(SEEDS_DIR):
        r = regions.resolve(d.region)
        assert r is not None and r.parent == "广州市" and d.parent == "广州市" and d.region_code == r.code


def test_every_region_of_the_shared_corpus_resolves(tmp_path_factory):
    root = corpus_root(tmp_path_factory)
    folders = [p for top in root.iterdir() if top.is_dir() for p in top.iterdir() if p.is_dir()]
    assert len(folders) > 300
    for folder in folders:
        r = regions.resolve(folder.name)
        assert r is not None and r.name == folder.name and r.code and r.parent, folder.name
        assert r.level in ("province", "prefecture"), folder.name
