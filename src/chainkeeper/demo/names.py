"""Plausible Chinese enterprise names, contact persons and mobile numbers, drawn with numpy.

An enterprise name is place + trade name + industry word + legal suffix, e.g. 苏州恒达汽车零部件有限公司. Trade names are
unique within a place (and so within a county), which keeps names unique even after the suffix and place are stripped.
"""

from __future__ import annotations

import numpy as np

TRADE_CHARS = (
    "恒达华瑞盛鑫宏泰昌隆兴丰源信德诚嘉博通科峰宇辰星天和安佳汇晟锦耀明阳光海润远永祥福鼎力威强立凯旭东方正宝益"
    "蓝航飞驰腾翔龙骏奥维捷利美欣卓越凌领先众联拓迈协顺景弘铭钧煜晖坤泽森振杰庆俊豪川岳江启元亚晨皓琪舜彤韵骐"
)
"""First (and extra) characters of trade names: distinct, auspicious, and none starts an industry word."""
FLAVOURS: dict[str, str] = {"ic": "芯微晶睿讯", "bio": "药康生医健", "medical": "康医健护卫"}
"""Second characters that mark a trade: 华芯, 恒康 …; used for about 60% of firms of those industries."""
_FLAVOUR_CHARS = "".join(dict.fromkeys("".join(FLAVOURS.values())))
SECOND_CHARS = TRADE_CHARS + _FLAVOUR_CHARS
LEGAL_SUFFIXES = ("有限公司", "有限责任公司", "股份有限公司")

INDUSTRY_WORDS: dict[str, tuple[str, ...]] = {
    "3611": ("汽车", "汽车集团", "汽车工业"), "3612": ("新能源汽车", "电动汽车"),
    "3670": ("汽车零部件", "汽车部件", "汽车配件"), "3660": ("汽车车身", "专用车辆"), "3620": ("发动机", "汽车动力"),
    "3962": ("汽车电子", "智能车载科技"), "3841": ("新能源电池", "锂电科技", "动力电池"), "2911": ("轮胎", "橡胶轮胎"),
    "3831": ("电线电缆", "线缆"), "3484": ("精密机械", "机械零部件", "精密制造"), "3482": ("紧固件", "标准件"),
    "3391": ("铸造", "精密铸造"), "3393": ("锻造", "锻压"), "2929": ("塑料制品", "塑胶科技"),
    "2913": ("橡胶制品", "橡塑科技"), "3982": ("电子电路", "线路板"), "3983": ("传感技术", "传感器"),
    "3981": ("电子元件", "电子科技"), "3813": ("微电机", "电机"), "3451": ("轴承", "精密轴承"),
    "3360": ("表面处理", "热处理"), "3399": ("金属制品", "五金制品"), "3311": ("钢结构", "金属结构"),
    "3525": ("模具", "精密模具", "模塑科技"), "3130": ("钢铁", "特钢", "钢板"), "3252": ("铝业", "铝材"),
    "3251": ("铜业", "铜材"), "2651": ("化工新材料", "高分子材料", "合成树脂"), "2652": ("合成橡胶", "橡胶化工"),
    "2614": ("石化", "化工"), "2661": ("化学试剂", "助剂"), "2662": ("精细化工", "电子化学品"),
    "3973": ("集成电路", "半导体", "微电子"), "3972": ("半导体", "功率器件"), "6520": ("集成电路设计", "芯片科技"),
    "3985": ("电子材料", "半导体材料"), "3562": ("半导体设备", "微电子装备"), "3421": ("机床", "数控机床"),
    "3422": ("锻压机床", "成形机床"), "3491": ("机器人", "智能装备", "自动化科技"), "3514": ("工程机械", "重工"),
    "3432": ("起重机械", "起重设备"), "3412": ("动力机械", "内燃机"), "4011": ("自动化", "控制系统", "智能控制"),
    "3424": ("焊接设备", "激光科技"), "3453": ("齿轮", "传动设备", "减速机"), "3444": ("液压", "液压件"),
    "3443": ("阀门", "流体控制"), "3441": ("泵业", "真空设备"), "3483": ("弹簧",), "2710": ("药业", "医药化工"),
    "2780": ("药用包装", "药用辅料"), "2720": ("制药", "药业", "医药"), "2740": ("中药", "药业"),
    "2761": ("生物制药", "生物技术"), "2762": ("生物制品", "疫苗"), "2770": ("医用材料", "卫生用品", "医疗用品"),
    "3581": ("医疗器械", "医疗设备", "医疗科技"), "3584": ("医疗器械", "医用器械"), "2915": ("医用橡胶", "乳胶制品"),
    "3589": ("医疗器械", "医疗科技"), "1781": ("无纺布", "非织造材料", "无纺科技"),
}

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟"
    "谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_NAMES = tuple(
    "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 霞 平 刚 辉 鹏 斌 波 宁 峰 亮 琳 颖 鑫 秀英 桂英 建华 建国 志强 "
    "海燕 晓明 丽华 国强 红梅 文杰 浩然 子涵 欣怡 梓轩 雨婷 佳豪 俊杰 思远 雪梅 玉兰 春梅 立新 卫东 振华 永刚 建平 志刚 "
    "晓燕 丽娟 明辉 海涛 建军 秀兰 淑珍 金凤 宇航 晨曦 一鸣 嘉怡 建明 国华 志伟 晓东 红霞 丽萍 文华 德明 永强 海峰 "
    "春燕 秀梅 凤英 玉华 宏伟 晓峰 伟民 建新 天宇 子豪 诗琪 雅婷 梦瑶 思彤 博文 俊熙 一帆 晓丽 美玲 玉梅 冬梅 志明".split()
)
"""Common given names, one or two characters."""
MOBILE_PREFIXES = (
    130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 147, 150, 151, 152, 153, 155, 156, 157, 158, 159, 166, 172,
    173, 175, 176, 177, 178, 180, 181, 182, 183, 184, 185, 186, 187, 188, 189, 191, 193, 195, 198, 199,
)
def flavour_of(industry: str) -> str:
    """The trade-name flavour of an industry class ('' for none)."""
    if industry in ("3973", "3972", "6520", "3985", "3562"):
        return "ic"
    if industry.startswith("27") and industry != "2770":
        return "bio"
    if industry in ("2770", "2915", "1781") or industry.startswith("358"):
        return "medical"
    return ""


def group_rank(group: np.ndarray, key: np.ndarray) -> np.ndarray:
    """For each element, how many earlier elements share its (group, key): 0 for the first of each."""
    order = np.lexsort((key, group))
    g, k = group[order], key[order]
    start = np.ones(order.size, dtype=bool)
    start[1:] = (g[1:] != g[:-1]) | (k[1:] != k[:-1])
    position = np.arange(order.size)
    rank_sorted = position - np.maximum.accumulate(np.where(start, position, 0))
    rank = np.empty(order.size, dtype=np.int64)
    rank[order] = rank_sorted
    return rank


def _draw_pairs(flavour: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Trade-name ids ``first * len(SECOND_CHARS) + second``; flavour is an index into FLAVOURS or -1."""
    n, v = flavour.size, len(TRADE_CHARS)
    first = rng.integers(v, size=n)
    second = rng.integers(v - 1, size=n)
    second += second >= first
    flavoured = (flavour >= 0) & (rng.random(n) < 0.6)
    for f, chars in enumerate(FLAVOURS.values()):
        pick = np.flatnonzero(flavoured & (flavour == f))
        offsets = np.array([SECOND_CHARS.index(c) for c in chars])
        second[pick] = offsets[rng.integers(len(chars), size=pick.size)]
    return first * len(SECOND_CHARS) + second


def trade_names(place: np.ndarray, flavour: np.ndarray, rng: np.random.Generator, rounds: int = 8) -> list[str]:
    """Trade names unique within each place; two characters, three or four once a place runs short of pairs."""
    ids = _draw_pairs(flavour, rng)
    for _ in range(rounds):
        clash = np.flatnonzero(group_rank(place, ids) > 0)
        if clash.size == 0:
            break
        ids[clash] = _draw_pairs(np.full(clash.size, -1), rng)
    rank = group_rank(place, ids)
    pairs = [TRADE_CHARS[i] + SECOND_CHARS[j] for i in range(len(TRADE_CHARS)) for j in range(len(SECOND_CHARS))]
    return [pairs[i] + _extra(r) if r else pairs[i] for i, r in zip(ids.tolist(), rank.tolist())]


def _extra(rank: int) -> str:
    """The characters appended to the rank-th repeat of a trade name pair (1 → 恒, …)."""
    v = len(TRADE_CHARS)
    r = rank - 1
    if r < v:
        return TRADE_CHARS[r]
    r -= v
    if r < v * v:
        return TRADE_CHARS[r // v] + TRADE_CHARS[r % v]
    return TRADE_CHARS[0] + str(r)


def legal_suffixes(large: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Index into LEGAL_SUFFIXES: large firms are often joint-stock (股份有限公司)."""
    u = rng.random(large.size)
    small_pick = np.where(u < 0.85, 0, np.where(u < 0.95, 1, 2))
    large_pick = np.where(u < 0.5, 0, np.where(u < 0.55, 1, 2))
    return np.where(large, large_pick, small_pick)


def enterprise_names(
    place: np.ndarray, place_names: list[str], industries: list[str], industry: np.ndarray, large: np.ndarray,
    rng: np.random.Generator,
) -> list[str]:
    """Names for firms at ``place`` (index into place_names) in ``industry`` (index into industries)."""
    flavour_index = {name: i for i, name in enumerate(FLAVOURS)}
    flavours = np.array([flavour_index.get(flavour_of(code), -1) for code in industries])
    trades = trade_names(place, flavours[industry], rng)
    words = [INDUSTRY_WORDS[code] for code in industries]
    counts = np.array([len(w) for w in words])
    pick = np.floor(rng.random(industry.size) * counts[industry]).astype(np.int64)
    suffix = legal_suffixes(large, rng)
    return [
        f"{place_names[p]}{t}{words[i][w]}{LEGAL_SUFFIXES[s]}"
        for p, t, i, w, s in zip(place.tolist(), trades, industry.tolist(), pick.tolist(), suffix.tolist())
    ]


def person_names(n: int, rng: np.random.Generator) -> list[str]:
    """Chinese personal names: a surname (common ones likelier) and a common given name."""
    weights = 1.0 / np.arange(1, len(SURNAMES) + 1) ** 0.8
    surname = rng.choice(len(SURNAMES), size=n, p=weights / weights.sum())
    given = rng.integers(len(GIVEN_NAMES), size=n)
    return [SURNAMES[s] + GIVEN_NAMES[g] for s, g in zip(surname.tolist(), given.tolist())]


def mobile_phones(n: int, rng: np.random.Generator) -> list[str]:
    """11-digit mainland mobile numbers with real carrier prefixes (1[3-9]x…)."""
    prefix = np.array(MOBILE_PREFIXES)[rng.integers(len(MOBILE_PREFIXES), size=n)]
    number = prefix.astype(np.int64) * 10**8 + rng.integers(10**8, size=n)
    return [str(x) for x in number.tolist()]
