"""Value sets stored as text with CHECK constraints (easier to extend than PostgreSQL enum types)."""

from __future__ import annotations

from enum import StrEnum


class PondStatus(StrEnum):
    """Service status of a pond (a rule of this system). Closure must start within 2 years after service ends
    (GB 18599-2020 §9.1)."""

    in_use = "in_use"  # 在用
    stopped = "stopped"  # 停用
    closing = "closing"  # 闭库中
    closed = "closed"  # 已闭库
    delisted = "delisted"  # 已销库


class DamType(StrEnum):
    upstream = "upstream"  # 上游式
    centerline = "centerline"  # 中线式
    downstream = "downstream"  # 下游式
    one_time = "one_time"  # 一次建坝


class Storage(StrEnum):
    wet = "wet"  # 湿排
    dry = "dry"  # 干堆


class GeometrySource(StrEnum):
    """Where a geometry came from (三步采集法 of the city's 2025 bulletin (简报2025年第2期), plus uploads)."""

    satellite = "satellite"
    drone = "drone"
    field = "field"
    enterprise = "enterprise"
    digitised = "digitised"


class ReviewState(StrEnum):
    draft = "draft"
    submitted = "submitted"  # uploaded by an enterprise, waiting for the bureau
    verified = "verified"
    returned = "returned"  # sent back to the enterprise with a reason


class RevisionOp(StrEnum):
    create = "create"
    update = "update"
    delete = "delete"


class SensitiveKind(StrEnum):
    drinking_water_source = "drinking_water_source"
    village = "village"
    school = "school"
    hospital = "hospital"
    farmland = "farmland"
    river = "river"
    other = "other"


def check_in(column: str, enum: type[StrEnum]) -> str:
    """SQL CHECK text: `column` holds one of the enum's values."""
    return f"{column} IN ({', '.join(repr(v.value) for v in enum)})"


class OrgKind(StrEnum):
    system = "system"
    province = "province"  # 省生态环境厅
    city = "city"  # 市生态环境局
    county = "county"  # 县区分局
    enterprise = "enterprise"  # 企业


class Role(StrEnum):
    """What a person may do (a rule of this system; README: Who may do what); where is set by their organisation."""

    admin = "admin"
    province = "province"
    city = "city"
    county = "county"
    enterprise = "enterprise"
    viewer = "viewer"


class ChiefRole(StrEnum):
    """库长制 (Panzhihua 2018): the people who receive a pond's tasks."""

    city_chief = "city_chief"
    county_chief = "county_chief"
    enterprise_chief = "enterprise_chief"
    technical_deputy = "technical_deputy"


class RiskGrade(StrEnum):
    """Environmental risk grade (环境风险等级) of the emergency plan."""

    general = "general"  # 一般
    larger = "larger"  # 较大
    major = "major"  # 重大


class ProjectKind(StrEnum):
    construction = "construction"  # 新建
    expansion = "expansion"  # 扩建/加高
    closure = "closure"  # 闭库
    remediation = "remediation"  # 治理/修复
    other = "other"


class ProjectStatus(StrEnum):
    planned = "planned"
    under_way = "under_way"
    completed = "completed"
    suspended = "suspended"


class FacilityStatus(StrEnum):
    normal = "normal"  # 正常运行
    abnormal = "abnormal"  # 运行异常
    stopped = "stopped"  # 停运
