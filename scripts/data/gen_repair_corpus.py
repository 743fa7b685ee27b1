#!/usr/bin/env python3
"""Writes the generated half of the repair evaluation corpus (Tests/XiezuoTextTests/Fixtures/corpus/{dev,test}/gen-*.txt):
documents of the kinds offices take in from the web that are made of figures, names and lists rather than prose —
statistical bulletins, tables flattened to text, name lists, notices with numbered items, meeting minutes with
decisions, project announcements, text with English abbreviations.

Every sentence pattern belongs to one half: the development half's documents are built only from the patterns
marked "dev", the test half's only from those marked "test", so tuning on the development half cannot learn the
test half's sentences. Place names come from the project's own region table; people, organisations and figures are
drawn at random with a fixed seed, so the output is the same on every run.

Run: python3 scripts/data/gen_repair_corpus.py
"""
import os
import random

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "XiezuoTextTests", "Fixtures", "corpus")
REGIONS = os.path.join(ROOT, "Sources", "XiezuoStore", "Resources", "regions.tsv")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = ["建国", "红梅", "志强", "海燕", "文博", "晓东", "振华", "德明", "秀英", "丽娟", "国庆", "春燕", "永刚", "玉兰", "学军",
         "小平", "新华", "敏", "静", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞", "刚", "华", "斌", "鹏", "辉", "婷",
         "宇航", "子涵", "欣怡", "浩然", "思远", "嘉怡", "俊杰", "雅琴", "立新", "卫东", "桂芳", "金凤", "正清", "光荣", "世杰"]
POSTS = ["主任", "副主任", "局长", "副局长", "处长", "副处长", "科长", "县长", "副县长", "副市长", "副州长", "党组书记",
         "总经理", "董事长", "院长", "校长", "主任医师", "高级农艺师", "调研员", "四级调研员"]
INDUSTRIES = ["茶业", "食品", "电子科技", "农业开发", "服装", "物流", "医药", "新材料", "文化旅游", "建筑工程", "信息技术", "生态农业",
              "智能装备", "家居用品", "新能源", "包装材料"]
SUFFIXES = ["有限公司", "股份有限公司", "专业合作社", "集团有限公司", "有限责任公司", "科技有限公司"]
BUREAUS = ["人民政府", "发展和改革局", "农业农村局", "人力资源和社会保障局", "教育局", "卫生健康局", "商务局", "乡村振兴局", "财政局",
           "交通运输局", "住房和城乡建设局", "文化广电旅游局", "投资促进局", "工业和信息化局", "民族宗教事务局"]
PRODUCTS = ["茶叶", "辣椒", "猕猴桃", "刺梨", "百香果", "蓝莓", "食用菌", "生猪", "黄牛", "中药材", "天麻", "薏仁米", "马铃薯", "高山蔬菜",
            "李子", "石斛", "竹笋", "蜂蜜", "核桃", "腊肉", "火龙果", "山药", "莼菜", "酸汤", "折耳根"]
INDICATORS = [("财政援助资金", "万元"), ("社会帮扶资金", "万元"), ("引导企业实际投资", "亿元"), ("帮助农村劳动力就业", "人"),
              ("消费帮扶金额", "万元"), ("共建产业园区入驻企业", "家"), ("互派党政干部", "人次"), ("互派专业技术人才", "人次"),
              ("结对帮扶村", "个"), ("培训农村劳动力", "人次"), ("帮助销售农特产品", "万元"), ("新建帮扶车间", "个")]
ABBREVIATIONS = [("GDP", "地区生产总值"), ("CPI", "居民消费价格指数"), ("PPI", "工业生产者出厂价格指数"), ("PMI", "制造业采购经理指数"),
                 ("R&D", "研究与试验发展"), ("PPP", "政府和社会资本合作"), ("EPC", "工程总承包"), ("ICU", "重症监护室"),
                 ("5G", "第五代移动通信"), ("AI", "人工智能"), ("APP", "手机应用"), ("KPI", "关键绩效指标"), ("ESG", "环境、社会和治理"),
                 ("B2B", "企业对企业电商"), ("IPO", "首次公开募股"), ("RCEP", "区域全面经济伙伴关系协定"), ("WTO", "世界贸易组织"),
                 ("SaaS", "软件即服务"), ("IoT", "物联网"), ("PUE", "电能利用效率")]


def load_places():
    east, west = [], []
    for line in open(REGIONS, encoding="utf-8"):
        if line.startswith("#"):
            continue
        code, name, level, parent, side, _ = line.rstrip("\n").split("\t")
        if level == "county" and code[:2] == "52":
            west.append(name)
        if level == "prefecture" and code[:2] == "44":
            east.append(name)
    return east, west


EAST, WEST = load_places()


class Gen:
    def __init__(self, rnd):
        self.r = rnd

    def pick(self, seq):
        return self.r.choice(seq)

    def person(self):
        return self.pick(SURNAMES) + self.pick(GIVEN)

    def org(self):
        place = self.pick(WEST + EAST).rstrip("市县区")
        return place + self.pick(INDUSTRIES) + self.pick(SUFFIXES)

    def bureau(self):
        return self.pick(WEST + EAST) + self.pick(BUREAUS)

    def date(self, year=None):
        y = year or self.r.choice([2023, 2024, 2025])
        return f"{y}年{self.r.randint(1, 12)}月{self.r.randint(1, 28)}日"

    def money(self, lo=10, hi=99999):
        v = self.r.uniform(lo, hi)
        return f"{v:,.2f}" if self.r.random() < 0.3 else f"{v:.1f}" if v < 1000 else f"{v:.0f}"

    def pct(self):
        return f"{self.r.uniform(0.1, 60):.1f}%"

    def count(self, lo=3, hi=5000):
        return str(self.r.randint(lo, hi))


# Sentence patterns: (half, function of a generator → text). The half decides which documents may use it.
def bulletin_patterns():
    P = []

    def add(half):
        def wrap(f):
            P.append((half, f))
            return f
        return wrap

    @add("dev")
    def _(g):
        i, u = g.pick(INDICATORS)
        return f"截至{g.date()}，{g.pick(WEST)}累计完成{i}{g.money()}{u}，完成年度目标任务的{g.pct()}，较上月提高{g.r.uniform(0.5, 9):.1f}个百分点。"

    @add("test")
    def _(g):
        i, u = g.pick(INDICATORS)
        return f"{g.pick(WEST)}{i}达到{g.money()}{u}，同比增长{g.pct()}，增速居全市（州）第{g.r.randint(1, 9)}位。"

    @add("dev")
    def _(g):
        return f"1至{g.r.randint(2, 11)}月，全省规模以上工业增加值同比增长{g.pct()}，其中电子信息制造业增长{g.pct()}，高于全省平均水平。"

    @add("test")
    def _(g):
        return f"前三季度，{g.pick(WEST)}实现地区生产总值{g.money(50, 900)}亿元，按不变价格计算，比上年同期增长{g.r.uniform(3, 9):.1f}%。"

    @add("dev")
    def _(g):
        p = g.pick(PRODUCTS)
        return f"今年以来，{g.pick(EAST)}各单位采购{g.pick(WEST)}{p}等农特产品{g.money()}万元，带动{g.count(200, 9000)}户农户增收。"

    @add("test")
    def _(g):
        p = g.pick(PRODUCTS)
        return f"“{p}卖得好，群众收入就有保障。”{g.pick(WEST)}{g.pick(BUREAUS)}负责人{g.person()}说，全县{p}种植面积已达{g.money(1, 99)}万亩。"

    @add("dev")
    def _(g):
        return f"全年共举办劳务协作专场招聘会{g.count(5, 90)}场，提供岗位{g.money(1, 9)}万个，达成就业意向{g.count(300, 9000)}人。"

    @add("test")
    def _(g):
        return f"{g.pick(EAST)}与{g.pick(WEST)}签订劳务协作协议，约定每年组织{g.count(500, 5000)}名农村劳动力赴粤就业，人均月收入不低于{g.count(3500, 7000)}元。"

    @add("dev")
    def _(g):
        return f"据{g.bureau()}统计，{g.date()}至{g.date()}，共接待游客{g.money(10, 900)}万人次，实现旅游收入{g.money(1, 99)}亿元。"

    @add("test")
    def _(g):
        return f"居民人均可支配收入{g.count(12000, 45000)}元，增长{g.r.uniform(4, 11):.1f}%；其中农村居民人均可支配收入{g.count(9000, 20000)}元，增长{g.r.uniform(5, 12):.1f}%。"

    @add("dev")
    def _(g):
        return f"{g.org()}在{g.pick(WEST)}投资{g.money(1, 30)}亿元建设的生产基地已于{g.date()}投产，预计年产值{g.money(1, 50)}亿元，可吸纳就业{g.count(100, 3000)}人。"

    @add("test")
    def _(g):
        return f"项目总投资{g.money(1000, 90000)}万元，其中东西部协作财政援助资金{g.money(100, 5000)}万元，建成后将惠及{g.count(2, 60)}个村{g.count(1000, 20000)}人。"
    return P


def table(g, half):
    head = g.pick([["序号", "县（市、区）", "项目名称", "资金（万元）", "完成率"],
                   ["序号", "单位", "指标", "目标任务", "完成数", "完成率"]] if half == "dev" else
                  [["编号", "地区", "企业名称", "投资额（万元）", "就业人数"],
                   ["排名", "县（市、区）", "销售额（万元）", "同比增长", "带动户数"]])
    sep = g.pick(["\t", "  ", " "])
    title = g.pick(["表1", "附表", "表2-3", "附件1"]) + " " + g.date().split("月")[0] + "月" + g.pick(
        ["东西部协作项目进展情况", "主要指标完成情况", "消费帮扶统计", "劳务协作统计"] if half == "dev" else
        ["招商引资项目清单", "农特产品销售排名", "帮扶车间运行情况", "产业园区入驻企业名单"])
    lines = [title, sep.join(head)]
    for n in range(1, g.r.randint(8, 16)):
        row = []
        for h in head:
            if h in ("序号", "编号", "排名"):
                row.append(str(n))
            elif "县" in h or h in ("地区", "单位"):
                row.append(g.pick(WEST))
            elif "名称" in h:
                row.append(g.org() if "企业" in h else g.pick(PRODUCTS) + g.pick(["种植基地", "加工厂", "冷链仓储", "示范园"]) + "项目")
            elif h == "指标":
                row.append(g.pick(INDICATORS)[0])
            elif "率" in h or "增长" in h:
                row.append(g.pct())
            elif "户数" in h or "人数" in h or h in ("目标任务", "完成数"):
                row.append(g.count(10, 9999))
            else:
                row.append(g.money())
        lines.append(sep.join(row))
    lines.append(g.pick(["注：数据截至上月底，未经审核。", "说明：资金单位为万元，完成率按已支出数计算。"] if half == "dev"
                        else ["备注：排名按销售额由高到低排列。", "资料来源：各县（市、区）报送，汇总：省协作办。"]))
    return "\n".join(lines)


def names(g, half):
    if half == "dev":
        lines = [g.pick(["领导小组成员名单", "参会人员名单", "工作专班成员"]), f"组　长：{g.person()}（{g.bureau()}{g.pick(POSTS)}）"]
        for _ in range(g.r.randint(2, 4)):
            lines.append(f"副组长：{g.person()}（{g.bureau()}{g.pick(POSTS)}）")
        members = "、".join(f"{g.person()}（{g.bureau()}{g.pick(POSTS)}）" for _ in range(g.r.randint(5, 9)))
        lines.append(f"成　员：{members}")
        lines.append(f"领导小组办公室设在{g.bureau()}，由{g.person()}同志兼任办公室主任，负责日常工作。")
    else:
        lines = [g.pick(["出席名单（按姓氏笔画排序）", "考察团成员", "获奖单位和个人名单"])]
        for k in range(g.r.randint(6, 12)):
            lines.append(f"{k + 1}. {g.person()}  {g.pick([g.bureau(), g.org()])}{g.pick(POSTS)}")
        lines.append(f"先进集体：{'、'.join(g.org() for _ in range(g.r.randint(3, 5)))}。")
    return "\n".join(lines)


def notice(g, half):
    what = g.pick(["开展东西部协作项目资金专项检查", "做好年度考核自评工作", "报送劳务协作数据", "组织消费帮扶产品展销"] if half == "dev"
                  else ["开展帮扶车间运行情况摸底", "申报产业协作重点项目", "做好驻点干部轮换", "组织农村劳动力技能培训"])
    nums = ["一、", "二、", "三、", "四、", "五、", "六、"] if half == "dev" else ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"]
    lines = [f"关于{what}的通知", f"各{g.pick(['市（州）', '县（市、区）'])}协作办，各有关单位：",
             f"为认真落实《{g.pick(['东西部协作考核评价办法', '年度协作协议', '协作资金管理办法'])}》要求，现就{what}有关事项通知如下。"]
    items = [f"时间安排：{g.date(2025)}至{g.date(2025)}，分自查、抽查、整改三个阶段进行。",
             f"范围：{g.r.randint(2023, 2024)}年以来安排的东西部协作项目，重点是资金在{g.count(100, 500)}万元以上的项目。",
             f"请于{g.r.randint(1, 12)}月{g.r.randint(1, 28)}日{g.pick(['12:00', '17:00', '18:00'])}前将有关材料报送至{g.bureau()}，电子版发送至指定邮箱。",
             f"各单位要明确一名分管负责同志和一名联络员，联络员名单请于{g.r.randint(2, 9)}个工作日内报送。",
             f"对弄虚作假、敷衍应付的，将予以通报，并在年度考核中扣减{g.r.randint(1, 5)}分。",
             f"联系人：{g.person()}，电话：{g.pick(['0851', '020', '0755', '0857', '0859'])}-{g.count(8000000, 8999999)}。"]
    g.r.shuffle(items)
    for n, it in zip(nums, items[:g.r.randint(4, 6)]):
        lines.append(n + it)
    lines.append(f"附件：{g.pick(['自查情况表', '项目清单', '联络员回执'])}")
    lines.append(g.bureau())
    lines.append(g.date(2025))
    return "\n".join(lines)


def minutes(g, half):
    lines = [f"{g.date()}{g.pick(['上午', '下午'])}，{g.person()}主持召开{g.pick(['专题会议', '工作调度会', '联席会议', '推进会'])}，"
             f"研究{g.pick(['产业协作', '劳务协作', '消费帮扶', '资金项目'])}有关工作。{g.bureau()}、{g.bureau()}等单位负责同志参加会议。"]
    lines.append("会议议定：" if half == "dev" else "会议要求：")
    for k in range(g.r.randint(3, 6)):
        lead = f"{k + 1}." if half == "dev" else f"（{'一二三四五六'[k]}）"
        lines.append(f"{lead}{g.pick(['加快', '抓紧', '认真做好', '全面完成', '统筹推进'])}{g.pick(PRODUCTS)}{g.pick(['产业园建设', '冷链物流体系建设', '品牌推广', '订单生产'])}，"
                     f"由{g.bureau()}牵头，{g.bureau()}配合，{g.date(2025)}前完成{g.pick(['', '，完成情况报会议办公室', '，逾期未完成的要说明原因'])}。")
    lines.append(f"出席：{'、'.join(g.person() for _ in range(g.r.randint(4, 8)))}")
    lines.append(f"记录：{g.person()}")
    return "\n".join(lines)


def abbreviations(g, half):
    pool = ABBREVIATIONS[::2] if half == "dev" else ABBREVIATIONS[1::2]
    out = []
    for _ in range(g.r.randint(5, 8)):
        a, full = g.pick(pool)
        out.append(g.pick([
            f"{a}（{full}）{g.pick(['同比增长', '环比上升', '较上年提高'])}{g.pct()}，{g.pick(['好于预期', '与上月持平', '增速有所放缓'])}。",
            f"{g.org()}表示，将在{g.pick(WEST)}推广{a}应用，计划投入{g.money(100, 9000)}万元。",
            "会上发布了{0}{1}{2}{3}，提出{4}项举措。".format(*(lambda q: (q[0], a, g.pick(['发展白皮书', '应用指南', '合作倡议']), q[1]))(
                g.pick([("《", "》"), ("“", "”")])), g.count(3, 12)),
            f"据介绍，该项目采用{a}模式，合作期{g.count(5, 30)}年，总投资{g.money(1, 80)}亿元。",
        ]))
    return "".join(out)


def bulletin(g, half, patterns):
    mine = [f for h, f in patterns if h == half]
    head = g.pick(["【数据】", "本报讯", "（记者 " + g.person() + "）", ""])
    paras = []
    for _ in range(g.r.randint(3, 5)):
        paras.append("".join(g.pick(mine)(g) for _ in range(g.r.randint(2, 4))))
    return head + "\n".join(paras)


def main():
    patterns = bulletin_patterns()
    kinds = [("bulletin", lambda g, h: bulletin(g, h, patterns)), ("table", table), ("names", names), ("notice", notice),
             ("minutes", minutes), ("abbr", abbreviations)]
    total = {"dev": 0, "test": 0}
    for half, count, seed in (("dev", 66, 20241), ("test", 66, 20242)):
        folder = os.path.join(OUT, half)
        os.makedirs(folder, exist_ok=True)
        g = Gen(random.Random(seed))
        for n in range(count):
            kind, make = kinds[n % len(kinds)]
            text = make(g, half)
            # Long enough to hold figures in context, like a page an office pastes.
            while len(text) < 480:
                text += "\n" + make(g, half)
            with open(os.path.join(folder, f"gen-{n + 1:03d}-{kind}.txt"), "w", encoding="utf-8") as f:
                f.write(text + "\n")
            total[half] += len(text) + 1
    print(f"generated: dev {total['dev']} characters, test {total['test']} characters")


if __name__ == "__main__":
    main()
