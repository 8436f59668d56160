"""The product catalogue of the demo economy: what firms of each role and industry make.

Product codes are ``P<industry>-<4-digit serial>`` in order of first appearance, so they are stable across runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from chainkeeper.demo.profiles import EDGES, ROLES

_ASSEMBLIES = ("座椅总成", "线束", "制动系统总成", "转向系统总成", "车灯总成", "仪表板总成", "汽车空调系统",
               "排气系统总成", "悬架系统总成", "车门总成", "安全气囊模块", "变速箱总成", "前端模块")
_COMPONENTS = ("座椅骨架", "座椅面套", "刹车片", "连接器", "减震器", "滤清器", "车灯模组", "雨刮器", "门锁",
               "散热器", "燃油泵", "密封条", "玻璃升降器")

PRODUCTS: dict[str, dict[str, tuple[str, ...]]] = {
    "oem": {"3611": ("乘用车", "商用车", "SUV整车"), "3612": ("纯电动乘用车", "插电式混合动力乘用车")},
    "tier1": {
        "3670": _ASSEMBLIES, "3660": ("白车身", "车身覆盖件", "车架总成"), "3620": ("发动机总成", "缸体", "缸盖"),
        "3962": ("智能座舱域控制器", "车载信息娱乐系统", "车载摄像头模组"),
        "3841": ("动力电池包", "动力电池模组", "锂离子电芯"), "2911": ("乘用车子午线轮胎", "载重轮胎"),
        "3831": ("汽车电线", "高压线缆"),
    },
    "tier2": {
        "3670": _COMPONENTS, "3484": ("精密机加工件", "轴类零件"), "3482": ("高强度螺栓", "螺母"),
        "3391": ("铸铁件", "制动盘铸件"), "3393": ("曲轴锻件", "齿轮锻件"), "2929": ("塑料内饰件", "保险杠"),
        "2913": ("橡胶密封件", "减震橡胶件"), "3982": ("印制电路板", "柔性电路板"),
        "3983": ("压力传感器", "温度传感器", "车速传感器"), "3981": ("片式电容", "电感器"),
        "3813": ("微型电机", "雨刮电机"), "3451": ("轮毂轴承", "汽车轴承"),
    },
    "tier3": {
        "3484": ("冲压件", "机加工件"), "3360": ("电镀加工", "热处理加工"), "3482": ("标准件", "弹性垫圈"),
        "2929": ("注塑件", "塑料卡扣"), "2913": ("O型圈", "橡胶垫"), "3399": ("金属支架", "五金件"),
        "3311": ("钢结构件", "货架"), "3525": ("冲压模具", "注塑模具"),
    },
    "materials": {
        "3130": ("冷轧钢板", "热镀锌钢板", "特殊钢棒材"), "3252": ("铝合金板材", "铝型材"), "3251": ("铜带", "铜线"),
        "2651": ("聚丙烯树脂", "ABS树脂", "聚碳酸酯"), "2652": ("丁苯橡胶", "三元乙丙橡胶"),
    },
    "chip": {
        "3973": ("发动机控制芯片", "车规级MCU芯片", "存储芯片", "电源管理芯片"),
        "3972": ("IGBT功率模块", "MOSFET功率器件", "二极管"),
        "6520": ("自动驾驶芯片", "图像传感器芯片", "射频芯片", "车规级MCU芯片"),
    },
    "ic_support": {"3985": ("硅片", "光刻胶", "电子特气"), "3562": ("刻蚀设备", "薄膜沉积设备", "清洗设备")},
    "equipment": {
        "3421": ("数控车床", "加工中心"), "3422": ("冲压机床", "折弯机"), "3491": ("焊接机器人", "搬运机器人"),
        "3514": ("挖掘机", "装载机"), "3432": ("桥式起重机", "门式起重机"), "3412": ("柴油机", "内燃机配件"),
        "4011": ("可编程控制器", "工业控制系统"), "3525": ("汽车覆盖件模具", "压铸模具"),
        "3424": ("焊接设备", "激光切割机"),
    },
    "equip_parts": {
        "3451": ("滚动轴承", "精密轴承"), "3453": ("减速机", "齿轮箱"), "3444": ("液压泵", "液压缸", "液压阀"),
        "3443": ("工业阀门", "球阀"), "3441": ("离心泵", "真空泵"), "3311": ("钢结构件", "设备机架"),
        "3483": ("压缩弹簧", "气门弹簧"),
    },
    "chemicals": {"2614": ("乙烯", "丙烯", "苯"), "2661": ("化学试剂", "催化剂"), "2662": ("电子化学品", "医药中间体")},
    "api": {"2710": ("阿莫西林原料药", "布洛芬原料药", "维生素C原料药", "头孢类原料药"),
            "2780": ("药用玻璃瓶", "药用辅料", "预灌封注射器")},
    "pharma": {"2720": ("注射液", "片剂", "胶囊剂"), "2740": ("中成药颗粒", "中药注射剂"),
               "2761": ("单克隆抗体", "重组蛋白药物"), "2762": ("疫苗", "基因工程药物")},
    "medical": {"2770": ("医用口罩", "医用防护服", "医用纱布"), "3581": ("呼吸机", "监护仪", "彩超"),
                "3584": ("注射器", "输液器", "手术器械"), "2915": ("医用手套", "医用导管"),
                "3589": ("核酸检测试剂盒", "体温计")},
    "nonwoven": {"1781": ("熔喷布", "纺粘无纺布", "水刺无纺布")},
}


@dataclass(frozen=True)
class Catalogue:
    """Products as parallel tuples, plus the products each (role, industry) makes as index arrays."""

    codes: tuple[str, ...]
    names: tuple[str, ...]
    industries: tuple[str, ...]
    made: dict[tuple[str, str], np.ndarray]
    index: dict[tuple[str, str], int]  # (industry, name) -> product index


def build_catalogue() -> Catalogue:
    """Number every (industry, product name) of PRODUCTS and of fixed edge products."""
    index: dict[tuple[str, str], int] = {}
    made: dict[tuple[str, str], np.ndarray] = {}

    def add(industry: str, name: str) -> int:
        if (industry, name) not in index:
            index[(industry, name)] = len(index)
        return index[(industry, name)]

    for role in ROLES:
        for industry, _ in role.industries:
            made[(role.name, industry)] = np.array([add(industry, n) for n in PRODUCTS[role.name][industry]])
    for edge in EDGES:
        if edge.product:
            for industry in edge.supplier_industries:
                add(industry, edge.product)
    codes, counter = [], {}
    for industry, _ in index:
        counter[industry] = counter.get(industry, 0) + 1
        codes.append(f"P{industry}-{counter[industry]:04d}")
    return Catalogue(
        codes=tuple(codes),
        names=tuple(name for _, name in index),
        industries=tuple(industry for industry, _ in index),
        made=made,
        index=index,
    )
