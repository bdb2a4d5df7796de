"""Messages in Chinese (the default) and English, chosen from the Accept-Language header.

Every message a user can see has a code here. Parameters are filled with str.format; a missing
parameter leaves its placeholder, so a message never fails to render.
"""

from __future__ import annotations

from string import Formatter
from typing import Any, Literal

Lang = Literal["zh", "en"]

MESSAGES: dict[str, dict[Lang, str]] = {
    # generic
    "not_found": {"zh": "未找到{what}：{id}", "en": "{what} not found: {id}"},
    "validation_failed": {"zh": "提交的数据未通过校验", "en": "The submitted data failed validation"},
    "internal_error": {
        "zh": "服务器内部错误，请联系管理员",
        "en": "Internal server error; please contact the administrator",
    },
    # request structure (pydantic)
    "missing": {"zh": "缺少必填项", "en": "Field required"},
    "extra_forbidden": {"zh": "不允许的字段", "en": "Unknown field not allowed"},
    "wrong_type": {"zh": "类型错误，应为{expected}", "en": "Wrong type, expected {expected}"},
    "json_invalid": {"zh": "请求体不是有效的 JSON", "en": "The request body is not valid JSON"},
    "invalid_value": {"zh": "取值无效：{detail}", "en": "Invalid value: {detail}"},
    "literal_error": {"zh": "取值应为以下之一：{expected}", "en": "Value must be one of: {expected}"},
    "too_small": {"zh": "不能小于 {limit}", "en": "Must be at least {limit}"},
    "too_large": {"zh": "不能大于 {limit}", "en": "Must be at most {limit}"},
    "bbox_invalid": {
        "zh": "bbox 应为四个数：最小经度,最小纬度,最大经度,最大纬度",
        "en": "bbox must be four numbers: min lon, min lat, max lon, max lat",
    },
    # things
    "pond": {"zh": "尾矿库", "en": "tailings pond"},
    "element": {"zh": "监管要素", "en": "element"},
    "element_type": {"zh": "要素类型", "en": "element type"},
    # versions
    "version_conflict": {
        "zh": "该要素已被他人修改（当前版本 {current}，您提交的版本 {given}），请刷新后重试",
        "en": "The element was changed by someone else (current version {current}, yours {given}); reload and retry",
    },
    "version_required": {
        "zh": "修改或删除需提供版本号（If-Match 请求头或 properties.version）",
        "en": "Changes need the version you edited (If-Match header or properties.version)",
    },
    "if_match_invalid": {
        "zh": 'If-Match 请求头应为要素的版本号，如 "3"',
        "en": 'The If-Match header must be the element\'s version, e.g. "3"',
    },
    # catalogue and attributes
    "unknown_kind": {"zh": "未知的要素种类“{kind}”", "en": "Unknown element kind '{kind}'"},
    "unknown_type": {"zh": "未知的要素类型“{type}”", "en": "Unknown element type '{type}'"},
    "kind_type_mismatch": {
        "zh": "要素种类“{kind}”属于类型“{expected}”，而不是“{type}”",
        "en": "Kind '{kind}' belongs to type '{expected}', not '{type}'",
    },
    "attribute_unknown": {"zh": "“{kind}”没有属性“{name}”", "en": "'{kind}' has no attribute '{name}'"},
    "attribute_required": {"zh": "缺少必填属性“{label}”", "en": "Required attribute '{label}' is missing"},
    "attribute_type": {"zh": "属性“{label}”应为{expected}", "en": "Attribute '{label}' must be {expected}"},
    "attribute_min": {
        "zh": "属性“{label}”不能小于 {min}{unit}",
        "en": "Attribute '{label}' must be at least {min} {unit}",
    },
    "attribute_max": {
        "zh": "属性“{label}”不能大于 {max}{unit}",
        "en": "Attribute '{label}' must be at most {max} {unit}",
    },
    "attribute_enum": {
        "zh": "属性“{label}”的取值应为以下之一：{allowed}",
        "en": "Attribute '{label}' must be one of: {allowed}",
    },
    "type_number": {"zh": "数值", "en": "a number"},
    "type_integer": {"zh": "整数", "en": "an integer"},
    "type_string": {"zh": "文本", "en": "text"},
    "type_boolean": {"zh": "是/否（true/false）", "en": "true or false"},
    "type_date": {"zh": "日期（YYYY-MM-DD）", "en": "a date (YYYY-MM-DD)"},
    "type_object": {"zh": "对象", "en": "an object"},
    # geometry
    "geometry_malformed": {"zh": "几何格式错误：{reason}", "en": "Malformed geometry: {reason}"},
    "geometry_type_unknown": {"zh": "未知的几何类型“{type}”", "en": "Unknown geometry type '{type}'"},
    "geometry_type_not_allowed": {
        "zh": "该要素种类不允许几何类型“{type}”，允许：{allowed}",
        "en": "Geometry type '{type}' is not allowed for this kind; allowed: {allowed}",
    },
    "coordinates_out_of_range": {
        "zh": "坐标超出范围（经度 {lon}，纬度 {lat}）：经度应在 -180～180，纬度在 -90～90 之间，请确认是否为经纬度",
        "en": "Coordinates out of range (lon {lon}, lat {lat}): longitude must be -180..180 and latitude -90..90; "
        "are these geographic coordinates?",
    },
    "coordinates_swapped": {
        "zh": "坐标似乎经纬度颠倒（交换后位于{region}内），请检查经度、纬度的顺序",
        "en": "Latitude and longitude look swapped (swapped, the point lies in {region}); check their order",
    },
    "outside_region": {
        "zh": "几何位于监管区域“{region}”（含 {margin_m} 米缓冲）之外，可能是坐标错误",
        "en": "The geometry lies outside the supervised region '{region}' (with a {margin_m} m margin); "
        "probably a coordinate error",
    },
    "geometry_empty": {"zh": "几何为空", "en": "The geometry is empty"},
    "geometry_invalid": {"zh": "几何无效：{reason}", "en": "Invalid geometry: {reason}"},
    "feature_expected": {"zh": "请求体应为 GeoJSON Feature", "en": "The request body must be a GeoJSON Feature"},
    # pond fields
    "pond_code_exists": {"zh": "尾矿库编码“{code}”已存在", "en": "Pond code '{code}' already exists"},
    # notices
    "illustrative_notice": {
        "zh": "示例数据：几何为合成，仅供演示",
        "en": "Illustrative sample data: synthetic geometry, for demonstration only",
    },
}


class _Lenient(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def negotiate(accept_language: str | None, default: Lang = "zh") -> Lang:
    """Pick zh or en from an Accept-Language header, honouring q-values; Chinese wins ties."""
    if not accept_language:
        return default
    best: tuple[float, Lang] | None = None
    for part in accept_language.split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in ("zh", "en") and q > 0 and (best is None or q > best[0]):
            best = (q, primary)  # type: ignore[assignment]
    return best[1] if best else default


def t(code: str, lang: Lang, **params: Any) -> str:
    """The message `code` in `lang`, with parameters filled in; unknown codes come back as the code."""
    entry = MESSAGES.get(code)
    if entry is None:
        return code
    template = entry.get(lang) or entry["en"]
    return Formatter().vformat(template, (), _Lenient(params))


def label(labels: dict[str, str] | None, lang: Lang) -> str:
    """Pick the label of a catalogue entry ({zh, en}) in `lang`."""
    if not labels:
        return ""
    return labels.get(lang) or labels.get("zh") or next(iter(labels.values()))


MESSAGES.update(
    {
        # pond statuses and the like
        "status_in_use": {"zh": "在用", "en": "in use"},
        "status_stopped": {"zh": "停用", "en": "stopped"},
        "status_closing": {"zh": "闭库中", "en": "closing"},
        "status_closed": {"zh": "已闭库", "en": "closed"},
        "status_delisted": {"zh": "已销库", "en": "delisted"},
        "list_sep": {"zh": "；", "en": "; "},
        # rule outcomes
        "rule_not_for_status": {
            "zh": "不适用于“{status}”状态的尾矿库",
            "en": "Not applicable to a pond that is {status}",
        },
        "rule_no_boundary": {"zh": "尾矿库尚无边界，无法判断", "en": "The pond has no boundary yet"},
        "gw_ok": {"zh": "监测井布设满足要求（{counts}）", "en": "Well layout meets the standard ({counts})"},
        "gw_missing": {"zh": "监测井不足：{missing}", "en": "Too few wells: {missing}"},
        "gw_count": {"zh": "{role}需 {need} 口，现有 {have} 口", "en": "{role}: {have} of {need} required"},
        "gw_have": {"zh": "{role} {have} 口", "en": "{role} {have}"},
        "pipe_none": {"zh": "无渗滤液收集管", "en": "No leachate pipe drawn"},
        "pipe_no_pool": {"zh": "有 {pipes} 条收集管但没有收集池", "en": "{pipes} pipe(s) but no collection pool"},
        "pipe_ok": {
            "zh": "{pipes} 条收集管均接入收集池（容差 {tolerance} 米）",
            "en": "All {pipes} pipe(s) end at a pool (tolerance {tolerance} m)",
        },
        "pipe_far": {"zh": "收集管末端未接入收集池：{items}", "en": "Pipes not ending at a pool: {items}"},
        "pipe_far_item": {
            "zh": "{name} 距最近收集池 {distance} 米",
            "en": "{name} ends {distance} m from the nearest pool",
        },
        "epool_none": {"zh": "未设置事故应急池", "en": "No emergency pool"},
        "pool_ok": {"zh": "{n} 个池体均已防渗", "en": "All {n} pool(s) lined"},
        "pool_unlined": {"zh": "未防渗或防渗情况不明：{items}", "en": "Not lined or unknown: {items}"},
        "pool_none": {"zh": "无渗滤液收集池", "en": "No leachate collection pool drawn"},
        "near_none": {"zh": "尚无监管要素", "en": "No elements drawn"},
        "near_ok": {"zh": "{n} 个要素均在允许范围内", "en": "All {n} elements within the allowed distance"},
        "near_far": {
            "zh": "以下要素距库区过远，可能坐标有误：{items}",
            "en": "These elements lie too far from the pond, probably a coordinate error: {items}",
        },
        "near_far_item": {
            "zh": "{name} 距库区边界 {distance} 米（允许 {limit} 米）",
            "en": "{name} {distance} m from the boundary (allowed {limit} m)",
        },
        "zone_in": {"zh": "位于重点区域：{items}", "en": "In the priority zone: {items}"},
        "zone_out": {"zh": "不在重点区域（{items}）", "en": "Outside the priority zone ({items})"},
        "zone_item": {
            "zh": "距{river} {distance} 米（缓冲 {buffer} 米）",
            "en": "{distance} m from {river} (buffer {buffer} m)",
        },
        "zone_no_rivers": {
            "zh": "河流图层中没有所配置的河流：{rivers}",
            "en": "The river layer lacks the configured rivers: {rivers}",
        },
        "zone_missing_rivers": {"zh": "；河流图层缺少：{rivers}", "en": "; missing from the river layer: {rivers}"},
        "closure_unknown": {"zh": "停用日期未知，无法判断闭库期限", "en": "Date service ended is unknown"},
        "closure_ok": {
            "zh": "应于 {deadline} 前开始闭库（尚余 {days} 天）",
            "en": "Closure must start by {deadline} ({days} days left)",
        },
        "closure_overdue": {
            "zh": "停用于 {since}，应于 {deadline} 前开始闭库，已逾期 {days} 天",
            "en": "Stopped on {since}; closure was due by {deadline}, {days} days overdue",
        },
        "onemap_ok": {"zh": "九类要素齐全，已现场核实 {field} 类", "en": "All nine types drawn; {field} field-checked"},
        "onemap_missing": {"zh": "缺少 {n} 类要素：{types}", "en": "{n} type(s) missing: {types}"},
        "flood_none": {"zh": "无排洪设施", "en": "No flood discharge facility drawn"},
        "flood_ok": {
            "zh": "排洪设施设计重现期均不低于 {min} 年",
            "en": "Design return periods all at least {min} years",
        },
        "flood_low": {
            "zh": "设计重现期不足 {min} 年或未填写：{items}",
            "en": "Design return period below {min} years or missing: {items}",
        },
        "liner_none": {"zh": "无Ⅱ类场防渗区域", "en": "No class II liner area drawn"},
        "liner_ok": {"zh": "Ⅱ类场防渗层满足要求", "en": "Class II liners meet the standard"},
        "liner_bad": {"zh": "防渗层不满足要求：{items}", "en": "Liners below the standard: {items}"},
        "liner_item": {"zh": "{name}（{problems}）", "en": "{name} ({problems})"},
        "liner_hdpe": {"zh": "HDPE 膜厚 {value} 毫米 < {min}", "en": "HDPE {value} mm < {min}"},
        "liner_clay": {"zh": "黏土层 {value} 米 < {min}", "en": "clay {value} m < {min}"},
        "liner_perm": {"zh": "渗透系数 {value} > {max}", "en": "permeability {value} > {max}"},
        "value_missing": {"zh": "{what}未填写", "en": "{what} missing"},
        "unnamed": {"zh": "未命名要素 #{id}", "en": "unnamed element #{id}"},
    }
)

MESSAGES.update(
    {
        # accounts
        "organisation": {"zh": "机构", "en": "organisation"},
        "user": {"zh": "用户", "en": "user"},
        "chief": {"zh": "库长记录", "en": "pond chief record"},
        "login_failed": {
            "zh": "用户名或密码错误，或账号已停用",
            "en": "Wrong username or password, or the account is disabled",
        },
        "login_locked": {
            "zh": "登录失败次数过多，请 {minutes} 分钟后再试",
            "en": "Too many failed sign-ins; try again in {minutes} minutes",
        },
        "login_required": {"zh": "请先登录", "en": "Please sign in"},
        "token_invalid": {
            "zh": "登录凭证无效或已过期，请重新登录",
            "en": "The token is invalid or expired; sign in again",
        },
        "csrf_failed": {
            "zh": "请求校验失败（CSRF），请刷新页面后重试",
            "en": "Request check failed (CSRF); reload the page and retry",
        },
        "forbidden_role": {"zh": "当前角色（{role}）无权执行此操作", "en": "Your role ({role}) may not do this"},
        "role_admin": {"zh": "系统管理员", "en": "administrator"},
        "role_province": {"zh": "省级生态环境部门", "en": "provincial department"},
        "role_city": {"zh": "市级生态环境部门", "en": "city bureau"},
        "role_county": {"zh": "县区生态环境分局", "en": "county bureau"},
        "role_enterprise": {"zh": "企业", "en": "enterprise"},
        "role_viewer": {"zh": "只读用户", "en": "read-only viewer"},
        "role_unknown": {"zh": "未知角色“{role}”", "en": "Unknown role '{role}'"},
        "role_org_mismatch": {
            "zh": "角色“{role}”不能属于“{kind}”类机构",
            "en": "Role '{role}' cannot belong to a {kind} organisation",
        },
        "username_taken": {"zh": "用户名“{username}”已被使用", "en": "Username '{username}' is taken"},
        "user_unknown": {"zh": "没有用户“{username}”", "en": "No user '{username}'"},
        "password_too_short": {"zh": "密码至少 {min} 个字符", "en": "The password needs at least {min} characters"},
        "password_contains_username": {"zh": "密码不能包含用户名", "en": "The password must not contain the username"},
        "password_wrong": {"zh": "当前密码不正确", "en": "The current password is wrong"},
        "term_end_before_start": {"zh": "任期结束日期早于开始日期", "en": "The term ends before it starts"},
    }
)

MESSAGES.update(
    {
        # pages
        "app_title": {"zh": "尾矿库环境监管“一张图”", "en": "Tailings One Map"},
        "sign_in": {"zh": "登录", "en": "Sign in"},
        "sign_out": {"zh": "退出", "en": "Sign out"},
        "username": {"zh": "用户名", "en": "Username"},
        "password": {"zh": "密码", "en": "Password"},
        "ponds_in_scope": {"zh": "我的尾矿库（{n} 座）", "en": "Ponds in my scope ({n})"},
        "code": {"zh": "编码", "en": "Code"},
        "name": {"zh": "名称", "en": "Name"},
        "county": {"zh": "县区", "en": "County"},
        "level": {"zh": "监管级别", "en": "Level"},
        "status": {"zh": "状态", "en": "Status"},
        "api_docs": {"zh": "接口文档（API）", "en": "API documentation"},
    }
)

MESSAGES.update(
    {
        # maps
        "map_labels": {"zh": "注记", "en": "labels"},
        "map_fullscreen": {"zh": "全屏", "en": "Full screen"},
        "map_exit": {"zh": "退出全屏", "en": "Exit full screen"},
        "map_locate": {"zh": "显示我的位置", "en": "Show my location"},
        "overview_title": {"zh": "尾矿库分布总览", "en": "Tailings ponds overview"},
        "filters": {"zh": "筛选", "en": "Filter"},
        "search_name": {"zh": "按名称或编码搜索", "en": "Search by name or code"},
        "all": {"zh": "全部", "en": "All"},
        "one_map_complete": {"zh": "“一张图”已完成", "en": "One map complete"},
        "one_map_incomplete": {"zh": "“一张图”未完成", "en": "One map incomplete"},
        "priority_zone": {"zh": "重点区域（沿江河缓冲区）", "en": "Priority zone (river buffers)"},
        "shown_of": {"zh": "显示 {shown} / {total} 座", "en": "{shown} of {total} shown"},
        "level_n": {"zh": "{n} 级", "en": "Level {n}"},
        "open_pond": {"zh": "打开尾矿库地图", "en": "Open the pond map"},
        "legend": {"zh": "图例", "en": "Legend"},
        "layer_ponds": {"zh": "尾矿库", "en": "Ponds"},
        "layer_districts": {"zh": "行政区", "en": "Districts"},
        "layer_rivers": {"zh": "河流", "en": "Rivers"},
        "layer_buffers": {"zh": "重点区域缓冲区", "en": "Priority buffers"},
        "layer_boundary": {"zh": "库区边界", "en": "Pond boundary"},
        "layer_dam_crest": {"zh": "坝顶线", "en": "Dam crest"},
        "layer_targets": {"zh": "环境敏感目标", "en": "Sensitive targets"},
        "pending_review": {"zh": "企业提交，待核实", "en": "Submitted by the enterprise, not yet verified"},
        "source": {"zh": "来源", "en": "Source"},
        "captured_at": {"zh": "采集日期", "en": "Captured"},
        "accuracy": {"zh": "精度", "en": "Accuracy"},
        "review_state": {"zh": "审核状态", "en": "Review"},
        "rules": {"zh": "规则检查", "en": "Rule checks"},
        "attributes": {"zh": "属性", "en": "Attributes"},
        "back_to_overview": {"zh": "返回总览", "en": "Back to overview"},
        "element_count": {"zh": "{n} 个监管要素", "en": "{n} elements"},
        "loading": {"zh": "正在加载……", "en": "Loading…"},
        "load_failed": {"zh": "数据加载失败，请刷新重试", "en": "Loading failed; reload to retry"},
        "no_data": {"zh": "无", "en": "none"},
        "pass": {"zh": "通过", "en": "pass"},
        "fail": {"zh": "不通过", "en": "fail"},
        "not_applicable": {"zh": "不适用", "en": "n/a"},
        "src_satellite": {"zh": "卫星", "en": "satellite"},
        "src_drone": {"zh": "无人机", "en": "drone"},
        "src_field": {"zh": "现场测量", "en": "field survey"},
        "src_enterprise": {"zh": "企业上传", "en": "enterprise upload"},
        "src_digitised": {"zh": "数字化", "en": "digitised"},
        "rs_draft": {"zh": "草稿", "en": "draft"},
        "rs_submitted": {"zh": "待核实", "en": "submitted"},
        "rs_verified": {"zh": "已核实", "en": "verified"},
        "rs_returned": {"zh": "已退回", "en": "returned"},
        "not_found_page": {"zh": "未找到该页面或无权查看", "en": "Not found, or not yours to see"},
    }
)

MESSAGES.update(
    {
        "enterprise": {"zh": "企业", "en": "Enterprise"},
        "area": {"zh": "面积", "en": "Area"},
    }
)

MESSAGES.update(
    {
        "map_measure": {"zh": "测量距离", "en": "Measure distances"},
        "map_measure_off": {"zh": "结束测量", "en": "Stop measuring"},
        "map_measure_clear": {"zh": "清除测量", "en": "Clear measurements"},
    }
)

MESSAGES.update(
    {
        "tile_collection": {"zh": "瓦片图层", "en": "tile collection"},
        "tile": {"zh": "瓦片", "en": "tile"},
    }
)

MESSAGES.update(
    {
        "search_more": {
            "zh": "尾矿库较多，列表只显示前 50 座，请用搜索和筛选缩小范围",
            "en": "Many ponds: the list shows the first 50; search and filter to narrow it",
        },
    }
)

# --- file store ---
MESSAGES.update(
    {
        "file": {"zh": "文件", "en": "file"},
        "upload_too_large": {
            "zh": "文件 {file} 超过上传大小上限 {limit_mb} MB",
            "en": "File {file} is larger than the upload limit of {limit_mb} MB",
        },
    }
)

# --- records, monitoring, dashboard (issue 6) ---
MESSAGES.update(
    {
        "record_permits": {"zh": "许可记录", "en": "permit record"},
        "record_ledger": {"zh": "台账记录", "en": "ledger record"},
        "record_project": {"zh": "建设项目", "en": "project"},
        "record_facility": {"zh": "污染防治设施", "en": "facility"},
        "document": {"zh": "文件", "en": "document"},
        "well": {"zh": "监测井", "en": "well"},
        "parameter": {"zh": "监测项目", "en": "parameter"},
        "record_version_conflict": {
            "zh": "该记录已被他人修改（当前版本 {current}，您提交的版本 {given}），请刷新后重试",
            "en": "The record was changed by someone else (current version {current}, yours {given}); reload and retry",
        },
        "record_version_required": {
            "zh": '修改需提供所编辑的版本号（If-Match 请求头，首次保存为 "0"）',
            "en": 'Changes need the version you edited (If-Match header; "0" for the first save)',
        },
        "ledger_year_exists": {"zh": "{year} 年的台账已存在", "en": "The ledger already has the year {year}"},
        "upload_empty": {"zh": "文件 {file} 为空", "en": "File {file} is empty"},
        "upload_type_refused": {
            "zh": "文件 {file} 的内容不是该类文件允许的格式（允许：{accepts}）",
            "en": "File {file} is not of a format this document type accepts ({accepts})",
        },
        "accepts_image": {"zh": "图片 JPEG/PNG/WebP", "en": "images: JPEG/PNG/WebP"},
        "accepts_pdf": {"zh": "PDF", "en": "PDF"},
        "accepts_office": {"zh": "Office 文档", "en": "Office documents"},
        "accepts_image_pdf": {"zh": "PDF、图片 JPEG/PNG/WebP", "en": "PDF, images: JPEG/PNG/WebP"},
        "accepts_image_office": {"zh": "Office 文档、图片", "en": "Office documents, images"},
        "accepts_office_pdf": {"zh": "PDF、Office 文档", "en": "PDF, Office documents"},
        "accepts_image_office_pdf": {
            "zh": "PDF、Office 文档、图片 JPEG/PNG/WebP",
            "en": "PDF, Office documents, images: JPEG/PNG/WebP",
        },
        # monitoring import
        "import_unreadable": {
            "zh": "无法读取文件 {file}（{reason}）：请上传 CSV（UTF-8 或 GBK）或 XLSX",
            "en": "Cannot read file {file} ({reason}): upload CSV (UTF-8 or GBK) or XLSX",
        },
        "import_failed": {
            "zh": "文件 {file} 有 {n} 处问题，未导入任何数据",
            "en": "File {file} has {n} problem(s); nothing was imported",
        },
        "mon_col_well": {"zh": "监测井", "en": "well"},
        "mon_col_date": {"zh": "采样日期", "en": "date"},
        "mon_col_parameter": {"zh": "监测项目", "en": "parameter"},
        "mon_col_value": {"zh": "结果", "en": "value"},
        "mon_col_unit": {"zh": "单位", "en": "unit"},
        "mon_missing_column": {
            "zh": "{file} 第 1 行（表头）缺少“{column}”列",
            "en": "{file} row 1 (heading): the column '{column}' is missing",
        },
        "mon_unknown_well": {
            "zh": "{file} 第 {row} 行“{column}”列：本库没有监测井“{value}”",
            "en": "{file} row {row}, column '{column}': the pond has no well '{value}'",
        },
        "mon_bad_date": {
            "zh": "{file} 第 {row} 行“{column}”列：“{value}”不是日期（应为 YYYY-MM-DD）",
            "en": "{file} row {row}, column '{column}': '{value}' is not a date (YYYY-MM-DD)",
        },
        "mon_future_date": {
            "zh": "{file} 第 {row} 行“{column}”列：采样日期 {value} 在未来",
            "en": "{file} row {row}, column '{column}': the sampling date {value} is in the future",
        },
        "mon_unknown_parameter": {
            "zh": "{file} 第 {row} 行“{column}”列：未知的监测项目“{value}”",
            "en": "{file} row {row}, column '{column}': unknown parameter '{value}'",
        },
        "mon_bad_value": {
            "zh": "{file} 第 {row} 行“{column}”列：“{value}”不是数值（未检出写作 ND 或 <检出限）",
            "en": "{file} row {row}, column '{column}': '{value}' is not a number (write ND or <limit when not detected)",
        },
        "mon_negative": {
            "zh": "{file} 第 {row} 行“{column}”列：结果 {value} 为负数",
            "en": "{file} row {row}, column '{column}': the value {value} is negative",
        },
        "mon_bad_unit": {
            "zh": "{file} 第 {row} 行“{column}”列：无法换算单位“{value}”（应为 {expected} 或可换算的单位）",
            "en": "{file} row {row}, column '{column}': cannot convert the unit '{value}' (expected {expected} or a convertible unit)",
        },
        "mon_duplicate_in_file": {
            "zh": "{file} 第 {row} 行“{column}”列：同一监测井、日期的“{value}”在文件中重复",
            "en": "{file} row {row}, column '{column}': '{value}' repeats for the same well and date",
        },
        "mon_already_imported": {
            "zh": "{file} 第 {row} 行“{column}”列：该井 {value} 的此项目结果已导入过",
            "en": "{file} row {row}, column '{column}': this result of {value} was imported before",
        },
        "chart_empty": {"zh": "暂无数据", "en": "No data"},
        "chart_limit": {"zh": "限值", "en": "limit"},
        "chart_well": {"zh": "本井", "en": "this well"},
        "chart_background": {"zh": "本底井", "en": "background well"},
        "chart_below": {"zh": "低于检出限", "en": "below detection"},
        # pages
        "dash_title": {"zh": "全市监管驾驶舱", "en": "City dashboard"},
        "dash_total": {"zh": "监管尾矿库总数", "en": "Ponds under supervision"},
        "dash_one_map": {"zh": "“一张图”已完成", "en": "One maps complete"},
        "dash_priority_zone": {"zh": "位于重点区域（沿江河缓冲区）", "en": "In the priority zone (river buffers)"},
        "dash_monitoring_exceedances": {"zh": "地下水监测有超标", "en": "With groundwater exceedances"},
        "dash_ledger_missing": {"zh": "年度台账报告缺报", "en": "Annual ledger report missing"},
        "dash_permits_expiring": {"zh": "排污许可证即将到期", "en": "Discharge permit expiring"},
        "dash_permits_expired": {"zh": "排污许可证已过期", "en": "Discharge permit expired"},
        "dash_bulletin_in_use": {"zh": "在用", "en": "In use"},
        "dash_bulletin_stopped": {"zh": "停用（含闭库中）", "en": "Stopped (incl. closing)"},
        "dash_bulletin_closed": {"zh": "已闭库", "en": "Closed"},
        "dash_by_level": {"zh": "按监管级别", "en": "By supervision level"},
        "dash_by_status": {"zh": "按状态", "en": "By status"},
        "dash_by_county": {"zh": "按县区", "en": "By county"},
        "dash_show_list": {"zh": "查看名单", "en": "Show the list"},
        "dash_pending_hazards": {
            "zh": "隐患与检查统计将随“检查与隐患”模块上线后显示。",
            "en": "Hazard and inspection figures appear once the inspections module is in place.",
        },
        "rec_title": {"zh": "一库一档", "en": "Pond file"},
        "rec_classification": {"zh": "基本信息与分类", "en": "Identity and classification"},
        "rec_safety_grade": {"zh": "等别", "en": "Safety grade"},
        "rec_computed": {"zh": "按库容与坝高计算：", "en": "from capacity and dam height:"},
        "rec_grade_mismatch": {"zh": "与登记等别不一致", "en": "differs from the recorded grade"},
        "rec_dam_type": {"zh": "筑坝方式", "en": "Dam type"},
        "rec_ore_type": {"zh": "矿种", "en": "Ore type"},
        "rec_capacity": {"zh": "设计/现状库容", "en": "Design / current capacity"},
        "rec_dam_height": {"zh": "坝高", "en": "dam height"},
        "rec_permits": {"zh": "环保手续", "en": "Permits"},
        "rec_discharge_permit": {"zh": "排污许可证", "en": "Discharge permit"},
        "permit_missing": {"zh": "未登记", "en": "not recorded"},
        "permit_expired": {"zh": "已过期", "en": "expired"},
        "permit_expiring": {"zh": "{days} 天后到期", "en": "expires in {days} days"},
        "permit_valid": {"zh": "有效", "en": "valid"},
        "rec_ledger": {"zh": "尾矿年度台账（吨）", "en": "Annual tailings ledger (tonnes)"},
        "rec_ledger_missing": {
            "zh": "缺报年度：{years}（每年报告应于次年 {month} 月 {day} 日前报送）",
            "en": "Reports missing for: {years} (due by {month}/{day} of the following year)",
        },
        "rec_projects": {"zh": "建设项目", "en": "Construction projects"},
        "rec_facilities": {"zh": "污染防治设施及运行", "en": "Pollution-prevention facilities"},
        "rec_documents": {"zh": "文件与照片", "en": "Documents and photos"},
        "rec_save": {"zh": "保存", "en": "Save"},
        "rec_add": {"zh": "添加", "en": "Add"},
        "rec_edit": {"zh": "修改", "en": "Edit"},
        "rec_workbook": {
            "zh": "下载本库台账、要素与监测数据（XLSX）",
            "en": "Download ledger, elements and monitoring (XLSX)",
        },
        "rec_upload": {"zh": "上传", "en": "Upload"},
        "rec_version": {"zh": "版本 {v}", "en": "version {v}"},
        "f_eia_approval_no": {"zh": "环评批复文号", "en": "EIA approval no."},
        "f_eia_approval_date": {"zh": "环评批复日期", "en": "EIA approval date"},
        "f_acceptance_no": {"zh": "环保验收文号", "en": "Acceptance no."},
        "f_acceptance_date": {"zh": "环保验收日期", "en": "Acceptance date"},
        "f_discharge_permit_no": {"zh": "排污许可证编号", "en": "Discharge permit no."},
        "f_discharge_permit_expiry": {"zh": "排污许可证有效期至", "en": "Discharge permit valid until"},
        "f_emergency_plan_filing_no": {"zh": "应急预案备案编号", "en": "Emergency plan filing no."},
        "f_emergency_plan_filed_on": {"zh": "应急预案备案日期", "en": "Emergency plan filed on"},
        "f_risk_grade": {"zh": "环境风险等级", "en": "Environmental risk grade"},
        "f_note": {"zh": "备注", "en": "Note"},
        "f_year": {"zh": "年度", "en": "Year"},
        "f_produced_t": {"zh": "产生量", "en": "Produced"},
        "f_stored_t": {"zh": "贮存量", "en": "Stored"},
        "f_reused_t": {"zh": "综合利用量", "en": "Reused"},
        "f_other_disposal_t": {"zh": "其他处置量", "en": "Other disposal"},
        "f_reported_on": {"zh": "报送日期", "en": "Reported on"},
        "f_kind": {"zh": "类别", "en": "Kind"},
        "f_approval_no": {"zh": "批复文号", "en": "Approval no."},
        "f_started_on": {"zh": "开工日期", "en": "Started"},
        "f_operating_status": {"zh": "运行状况", "en": "Operation"},
        "f_last_checked_on": {"zh": "最近检查", "en": "Last checked"},
        "f_doc_type": {"zh": "文件类别", "en": "Document type"},
        "f_title": {"zh": "标题", "en": "Title"},
        "f_file": {"zh": "文件", "en": "File"},
        "dam_upstream": {"zh": "上游式", "en": "upstream"},
        "dam_centerline": {"zh": "中线式", "en": "centerline"},
        "dam_downstream": {"zh": "下游式", "en": "downstream"},
        "dam_one_time": {"zh": "一次建坝", "en": "one-time"},
        "storage_wet": {"zh": "湿排", "en": "wet"},
        "storage_dry": {"zh": "干堆", "en": "dry stack"},
        "mon_title": {"zh": "地下水监测", "en": "Groundwater monitoring"},
        "mon_summary": {
            "zh": "共 {results} 个结果，超过Ⅲ类限值 {exceed} 个，高于本底 {above} 个；采样频次不达标的井 {late} 口",
            "en": "{results} results: {exceed} above the Class III limit, {above} above background; "
            "{late} well(s) not sampled often enough",
        },
        "mon_well": {"zh": "监测井", "en": "Well"},
        "mon_role": {"zh": "作用", "en": "Role"},
        "mon_results": {"zh": "结果数", "en": "Results"},
        "mon_last": {"zh": "最近采样", "en": "Last sampled"},
        "mon_exceed": {"zh": "超标", "en": "Exceedances"},
        "mon_frequency": {"zh": "采样频次", "en": "Sampling frequency"},
        "mon_parameter": {"zh": "监测项目", "en": "Parameter"},
        "mon_import": {"zh": "导入化验结果（CSV/XLSX）", "en": "Import laboratory results (CSV/XLSX)"},
        "mon_import_hint": {
            "zh": "列：监测井、采样日期、监测项目、结果、单位（可选：检出标志）；未检出写 ND 或 <检出限",
            "en": "Columns: well, date, parameter, value, unit (optional: flag); not detected: ND or <limit",
        },
        "freq_compliant": {"zh": "达标", "en": "compliant"},
        "freq_non_compliant": {"zh": "不达标", "en": "not compliant"},
        "freq_no_data": {"zh": "近两年无采样", "en": "no samples in two years"},
        "freq_not_applicable": {"zh": "不适用", "en": "n/a"},
        "pond_file": {"zh": "一库一档", "en": "Pond file"},
        "sheet_elements": {"zh": "监管要素", "en": "Elements"},
    }
)
