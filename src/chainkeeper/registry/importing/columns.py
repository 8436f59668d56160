"""The columns of each importable table, with their Chinese and English header names."""

from __future__ import annotations

from dataclasses import dataclass

from chainkeeper.i18n import _


@dataclass(frozen=True)
class Column:
    """An importable column: canonical key, accepted header names, whether it is required."""

    key: str
    aliases: tuple[str, ...]
    required: bool = False


ENTERPRISE_COLUMNS = (
    Column("uscc", ("统一社会信用代码", "信用代码", "uscc", "credit_code"), required=True),
    Column("name", ("企业名称", "名称", "name", "enterprise_name"), required=True),
    Column("county_code", ("区县代码", "所在区县代码", "行政区划代码", "county_code", "county"), required=True),
    Column("industry_code", ("行业代码", "国民经济行业代码", "industry_code", "industry"), required=True),
    Column("size", ("企业规模", "规模", "size", "size_class"), required=True),
    Column("labels", ("企业标签", "标签", "labels")),
    Column("chain", ("重点产业链", "产业链", "chain", "key_chain")),
    Column("contact_person", ("联系人", "contact_person", "contact")),
    Column("contact_phone", ("联系电话", "电话", "contact_phone", "phone")),
)

PRODUCT_COLUMNS = (
    Column("code", ("产品代码", "产品编码", "code", "product_code"), required=True),
    Column("name", ("产品名称", "名称", "name", "product_name"), required=True),
    Column("industry_code", ("行业代码", "industry_code", "industry")),
)

LINK_COLUMNS = (
    Column("supplier_uscc", ("供应商统一社会信用代码", "供应商信用代码", "supplier_uscc", "supplier"), required=True),
    Column("customer_uscc", ("客户统一社会信用代码", "客户信用代码", "customer_uscc", "customer"), required=True),
    Column("product_code", ("产品代码", "产品编码", "product_code", "product")),
    Column("annual_value", ("年供货额(元)", "年供货额", "年交易额(元)", "annual_value", "value"), required=True),
    Column("lead_time_days", ("交货周期(天)", "交货周期", "lead_time_days", "lead_time")),
    Column("inventory_days", ("库存天数", "库存(天)", "inventory_days", "inventory")),
    Column("essential", ("是否关键投入", "关键投入", "essential")),
)

TABLE_COLUMNS = {"enterprises": ENTERPRISE_COLUMNS, "products": PRODUCT_COLUMNS, "links": LINK_COLUMNS}


def _header_key(text: str) -> str:
    return text.strip().lower().replace(" ", "").replace("（", "(").replace("）", ")")


@dataclass
class HeaderMap:
    """Where each known column is in a file, and what is missing or unknown."""

    positions: dict[str, int]
    names: dict[str, str]
    missing: list[Column]
    unknown: list[str]


def map_header(kind: str | tuple[Column, ...], header: list[str]) -> HeaderMap:
    """Match a file's header cells to the columns of ``kind`` (a table name above, or other features' columns)."""
    columns = TABLE_COLUMNS[kind] if isinstance(kind, str) else kind
    lookup = {_header_key(alias): column for column in columns for alias in column.aliases}
    positions: dict[str, int] = {}
    names: dict[str, str] = {}
    unknown: list[str] = []
    for index, cell in enumerate(header):
        column = lookup.get(_header_key(cell))
        if column is None or column.key in positions:
            if cell.strip():
                unknown.append(cell)
            continue
        positions[column.key] = index
        names[column.key] = cell
    missing = [c for c in columns if c.required and c.key not in positions]
    return HeaderMap(positions, names, missing, unknown)


MISSING_COLUMN = _("required column {column} is missing (accepted headers: {aliases})")
UNKNOWN_COLUMN = _("column {column} is not recognised and was ignored")
