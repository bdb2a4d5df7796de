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
    "body_unparseable": {"zh": "无法解析请求体", "en": "The request body could not be parsed"},
    "route_not_found": {"zh": "没有这个地址", "en": "No such address"},
    "method_not_allowed": {"zh": "此地址不支持该请求方法", "en": "This address does not support the method"},
    "request_refused": {"zh": "请求被拒绝", "en": "The request was refused"},
    "ogc_parameter_unknown": {
        "zh": "不支持的查询参数：{name}",
        "en": "Unknown query parameter: {name}",
    },
    "ogc_crs_unsupported": {
        "zh": "不支持的坐标参照系：{crs}（本服务以 CRS84 经纬度提供要素）",
        "en": "Unsupported crs: {crs} (this service serves features in CRS84 lon/lat)",
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

# --- imports ---
MESSAGES.update(
    {
        "import_batch": {"zh": "上传批次", "en": "upload"},
        "where_sheet": {"zh": "工作表“{sheet}”", "en": "sheet '{sheet}'"},
        "where_row": {"zh": "第 {row} 行", "en": "row {row}"},
        "where_column": {"zh": "列“{column}”", "en": "column '{column}'"},
        "import_kind_missing": {
            "zh": "无法判断要素类型：请放在对应要素的工作表/图层中，或填写“类型”列",
            "en": "Element kind unknown: put the row in the kind's sheet or layer, or fill the 'kind' column",
        },
        "import_kind_unknown": {
            "zh": "“{layer}”不是要素目录中的要素类型（可在上传时指定图层对应的要素类型）",
            "en": "'{layer}' is not an element kind of the catalogue (map the layer to a kind when uploading)",
        },
        "import_geometry_type": {
            "zh": "几何类型为 {found}，该要素（{kind}）只允许 {allowed}",
            "en": "Geometry is a {found}; this kind ({kind}) allows only {allowed}",
        },
        "import_geometry_missing": {"zh": "缺少坐标", "en": "No coordinates"},
        "import_name_too_long": {"zh": "名称超过 200 个字符", "en": "The name is longer than 200 characters"},
        "import_element_id_invalid": {
            "zh": "系统编号“{value}”无效，应为正整数（新增要素请留空）",
            "en": "System ID '{value}' is invalid: a positive whole number (leave empty for new elements)",
        },
        "import_date_invalid": {
            "zh": "日期“{value}”无法识别，应为 2026-05-10 这样的格式",
            "en": "Date '{value}' not understood; write it like 2026-05-10",
        },
        "import_accuracy_invalid": {
            "zh": "精度“{value}”应为不小于 0 的米数",
            "en": "Accuracy '{value}' must be a number of metres, 0 or more",
        },
        "import_field_ignored": {
            "zh": "字段“{field}”不是该要素的属性，已忽略",
            "en": "Field '{field}' is not an attribute of this kind and was ignored",
        },
        "import_duplicate_name": {
            "zh": "与第 {row} 行重复：同类要素“{name}”在文件中出现两次",
            "en": "Duplicate of row {row}: '{name}' appears twice for this kind",
        },
        "import_duplicate_id": {
            "zh": "与第 {row} 行重复：系统编号 {id} 在文件中出现两次",
            "en": "Duplicate of row {row}: system ID {id} appears twice",
        },
        "import_element_not_found": {
            "zh": "系统编号 {id} 不是本尾矿库的要素（新增要素请留空系统编号）",
            "en": "System ID {id} is not an element of this pond (leave it empty for new elements)",
        },
        "import_empty": {"zh": "文件中没有可导入的要素", "en": "The file holds no elements to import"},
        "import_far_from_pond": {
            "zh": "距尾矿库边界 {distance_m} 米，超过 {limit_m} 米：请核对坐标",
            "en": "{distance_m} m from the pond boundary, beyond {limit_m} m: check the coordinates",
        },
        "import_layer_map_invalid": {
            "zh": '图层对应关系应为 JSON 对象，如 {{"井": "monitoring_well"}}',
            "en": 'The layer map must be a JSON object such as {{"wells": "monitoring_well"}}',
        },
        "import_not_yours": {
            "zh": "只有上传者或监管部门可以提交或放弃此批次",
            "en": "Only the uploader or the bureau may commit or discard this upload",
        },
        "import_not_staged": {
            "zh": "该批次已{state}，不能再提交或放弃",
            "en": "This upload is already {state}; it cannot be committed or discarded",
        },
        "import_not_committed": {
            "zh": "该批次{state}，尚未入库，不能审核",
            "en": "This upload is {state}, not committed: nothing to review",
        },
        "import_state_staged": {"zh": "待确认", "en": "staged"},
        "import_state_committed": {"zh": "入库", "en": "committed"},
        "import_state_discarded": {"zh": "放弃", "en": "discarded"},
        "import_has_errors": {
            "zh": "文件中有 {errors} 处错误，请下载错误报告修改后重新上传；未做任何修改",
            "en": "The file has {errors} errors; download the error report, fix and upload again. Nothing was changed",
        },
        "import_stale": {
            "zh": "要素 {id} 在上传后已被他人修改（上传时版本 {given}，当前 {current}），请重新上传；未做任何修改",
            "en": "Element {id} was changed after the upload (version {given}, now {current}); upload again. Nothing was changed",
        },
        "review_reason_required": {"zh": "退回时必须填写原因", "en": "A reason is required to return an element"},
        "review_not_submitted": {
            "zh": "该要素的审核状态为“{state}”，只有待审核的要素可以核实或退回",
            "en": "The element is '{state}'; only submitted elements can be verified or returned",
        },
        "review_draft": {"zh": "草稿", "en": "draft"},
        "review_submitted": {"zh": "待审核", "en": "submitted"},
        "review_verified": {"zh": "已核实", "en": "verified"},
        "review_returned": {"zh": "已退回", "en": "returned"},
        "error_report_suffix": {"zh": "错误报告", "en": "errors"},
        "template_filename": {"zh": "尾矿库环境监管要素坐标模板", "en": "element-coordinates-template"},
        "export_all_filename": {"zh": "尾矿库环境监管要素", "en": "tailings-elements"},
        "template_title": {
            "zh": "尾矿库环境监管要素坐标填报模板",
            "en": "Tailings pond environmental supervision elements: coordinate template",
        },
        "template_instruction_1": {
            "zh": "每种要素一个工作表；请在对应工作表中填写，每个点一行。",
            "en": "One sheet per element kind; fill the kind's sheet, one row per point.",
        },
        "template_instruction_2": {
            "zh": "管线、沟渠、边界等线或面要素：每个拐点一行，同一要素的各行“名称/编号”相同，按“点序”从上游到下游填写（管线的流向即点的顺序）。",
            "en": "Lines and areas (pipes, ditches, boundaries): one row per vertex, the same name on each row, numbered from upstream to downstream (the order is the flow direction).",
        },
        "template_instruction_3": {
            "zh": "坐标系：在“设置”中选择；经纬度可写成小数度（101.7213）或度分秒（101°43′12.5″）；高斯-克吕格 3 度带坐标填写 X（北）与 Y（东），带号可有可无。",
            "en": "Coordinate system: choose it in the settings; longitude/latitude as decimal degrees (101.7213) or degrees-minutes-seconds (101°43′12.5″); Gauss-Kruger 3-degree coordinates as northing and easting, with or without the zone number.",
        },
        "template_instruction_4": {
            "zh": "“系统编号”由系统导出时填写：保留它即可更新原要素；新增要素请留空。",
            "en": "The system ID is filled by exports: keep it to update an element; leave it empty for new ones.",
        },
        "template_instruction_5": {
            "zh": "带下拉列表的列请从列表中选择；数值列只填数字，单位见表头。",
            "en": "Pick values of drop-down columns from the list; number columns take numbers only, units in the header.",
        },
        "template_instruction_6": {
            "zh": "上传后系统先预览（新增、移动多少米、修改、删除），确认后才入库；有错误时可下载带错误说明的文件修改后重新上传。",
            "en": "After the upload you see a preview (added, moved by how many metres, changed, removed) before anything is saved; with errors, download the file with an error column, fix and upload again.",
        },
        "template_instruction_7": {
            "zh": "企业上传的坐标在县（区）或市生态环境部门核实前显示为“待审核”。",
            "en": "Coordinates uploaded by an enterprise show as 'submitted' until the county or city bureau verifies them.",
        },
        "template_col_element_id": {"zh": "系统编号", "en": "System ID"},
        "template_col_name": {"zh": "名称/编号", "en": "Name"},
        "template_col_vertex": {"zh": "点序", "en": "Vertex"},
        "template_col_x": {"zh": "经度/X", "en": "Longitude/X"},
        "template_col_y": {"zh": "纬度/Y", "en": "Latitude/Y"},
        "template_col_captured_at": {"zh": "采集日期", "en": "Captured on"},
        "template_col_accuracy_m": {"zh": "精度", "en": "Accuracy"},
        "template_alias_element_id": {"zh": "ID|id|编号ID|要素编号", "en": ""},
        "template_alias_name": {"zh": "名称|编号|要素名称|NAME|Name", "en": ""},
        "template_alias_vertex": {"zh": "点号|顺序|序号|拐点号", "en": ""},
        "template_alias_x": {"zh": "经度|X|x|lon|lng|longitude|东坐标|E", "en": ""},
        "template_alias_y": {"zh": "纬度|Y|y|lat|latitude|北坐标|N", "en": ""},
        "template_alias_captured_at": {"zh": "日期|采集时间|测量日期|date", "en": ""},
        "template_alias_accuracy_m": {"zh": "精度(m)|精度（m）|accuracy", "en": ""},
        "template_help_element_id": {"zh": "导出时已填写；新增留空", "en": "Filled by exports; empty for new elements"},
        "template_help_name": {
            "zh": "必填；同一要素的各拐点名称相同",
            "en": "Required; the same on every vertex of a line or area",
        },
        "template_help_vertex": {"zh": "从 1 开始，沿流向递增", "en": "From 1, increasing along the flow"},
        "template_help_x": {
            "zh": "经度（小数度或度分秒）或高斯-克吕格东坐标",
            "en": "Longitude (decimal or DMS) or Gauss-Kruger easting",
        },
        "template_help_y": {
            "zh": "纬度（小数度或度分秒）或高斯-克吕格北坐标",
            "en": "Latitude (decimal or DMS) or Gauss-Kruger northing",
        },
        "template_help_captured_at": {"zh": "测量或采集坐标的日期", "en": "The day the coordinates were measured"},
        "template_help_accuracy_m": {"zh": "坐标精度，米", "en": "Accuracy of the coordinates, metres"},
        "template_range": {"zh": "范围 {low}–{high} {unit}", "en": "Range {low}–{high} {unit}"},
        "crs_cgcs2000": {"zh": "CGCS2000 经纬度", "en": "CGCS2000 longitude/latitude"},
        "crs_wgs84": {"zh": "WGS84 经纬度（GPS）", "en": "WGS84 longitude/latitude (GPS)"},
        "crs_gk3": {
            "zh": "CGCS2000 高斯-克吕格 3 度带（无带号）",
            "en": "CGCS2000 Gauss-Kruger 3-degree (no zone number)",
        },
        "crs_gk3_zoned": {
            "zh": "CGCS2000 高斯-克吕格 3 度带（含带号）",
            "en": "CGCS2000 Gauss-Kruger 3-degree (with zone number)",
        },
        "crs_gcj02": {"zh": "GCJ-02（高德、腾讯地图）", "en": "GCJ-02 (AMap, Tencent)"},
        "crs_bd09": {"zh": "BD-09（百度地图）", "en": "BD-09 (Baidu)"},
    }
)

# --- import pages ---
MESSAGES.update(
    {
        "import_page_title": {"zh": "上传设施坐标", "en": "Upload facility coordinates"},
        "import_step_template": {"zh": "1. 下载模板", "en": "1. Download a template"},
        "import_template_blank": {"zh": "空白 Excel 模板（全部要素）", "en": "Blank Excel template (every kind)"},
        "import_template_pond": {
            "zh": "本库现有要素（Excel，可修改后重新上传）",
            "en": "This pond's elements (Excel, edit and upload again)",
        },
        "import_formats": {
            "zh": "支持 Excel、CSV、GeoJSON、Shapefile（zip）、GeoPackage、KML/KMZ、DXF。",
            "en": "Accepted: Excel, CSV, GeoJSON, zipped Shapefile, GeoPackage, KML/KMZ, DXF.",
        },
        "import_step_upload": {"zh": "2. 上传文件并预览", "en": "2. Upload and preview"},
        "import_file": {"zh": "文件", "en": "File"},
        "import_crs": {"zh": "坐标系", "en": "Coordinate system"},
        "import_crs_auto": {"zh": "自动识别（文件自带或按数值判断）", "en": "Detect (from the file or its values)"},
        "crs_gk3_cm": {
            "zh": "CGCS2000 高斯-克吕格 3 度带，中央经线 {cm}°（无带号）",
            "en": "CGCS2000 Gauss-Kruger 3-degree, central meridian {cm}° (no zone number)",
        },
        "import_mode": {"zh": "方式", "en": "Mode"},
        "import_mode_merge": {
            "zh": "新增和更新（保留文件中没有的要素）",
            "en": "Add and update (keep elements not in the file)",
        },
        "import_mode_replace": {
            "zh": "替换（删除文件中同类要素里没有的要素）",
            "en": "Replace (remove elements of the file's kinds that it no longer holds)",
        },
        "import_source": {"zh": "坐标来源", "en": "Source of the coordinates"},
        "import_upload": {"zh": "上传并预览", "en": "Upload and preview"},
        "import_history": {"zh": "上传记录", "en": "Uploads"},
        "import_none": {"zh": "暂无", "en": "None yet"},
        "import_count_add": {"zh": "新增", "en": "Added"},
        "import_count_move": {"zh": "移动", "en": "Moved"},
        "import_count_change": {"zh": "修改属性", "en": "Changed"},
        "import_count_unchanged": {"zh": "无变化", "en": "Unchanged"},
        "import_count_remove": {"zh": "删除", "en": "Removed"},
        "import_count_error": {"zh": "错误", "en": "Errors"},
        "import_count_warnings": {"zh": "提示", "en": "Warnings"},
        "import_max_shift": {"zh": "最大位移 {shift} 米", "en": "Largest shift {shift} m"},
        "import_error_report": {
            "zh": "下载错误报告（带错误说明列，修改后重新上传）",
            "en": "Download the error report (an error column; fix and upload again)",
        },
        "import_commit": {"zh": "确认入库", "en": "Commit"},
        "import_discard": {"zh": "放弃", "en": "Discard"},
        "import_verify_all": {"zh": "全部核实", "en": "Verify all"},
        "import_return_all": {"zh": "全部退回", "en": "Return all"},
        "import_return_reason": {"zh": "退回原因", "en": "Reason for returning"},
        "import_col_row": {"zh": "行", "en": "Row"},
        "import_col_action": {"zh": "操作", "en": "Action"},
        "import_col_kind": {"zh": "要素", "en": "Kind"},
        "import_col_name": {"zh": "名称", "en": "Name"},
        "import_col_shift": {"zh": "位移(m)", "en": "Shift (m)"},
        "import_action_add": {"zh": "新增", "en": "add"},
        "import_action_move": {"zh": "移动", "en": "move"},
        "import_action_change": {"zh": "修改", "en": "change"},
        "import_action_unchanged": {"zh": "无变化", "en": "unchanged"},
        "import_action_remove": {"zh": "删除", "en": "remove"},
        "import_action_error": {"zh": "错误", "en": "error"},
        "import_shift": {"zh": "位移 {shift} 米", "en": "moved {shift} m"},
        "import_link": {"zh": "上传坐标", "en": "Upload coordinates"},
        "template_example_name": {"zh": "示例-{kind}", "en": "示例-example {kind}"},
    }
)

# --- file formats ---
MESSAGES.update(
    {
        "file_empty": {"zh": "文件 {file} 是空的", "en": "File {file} is empty"},
        "file_too_large": {
            "zh": "文件 {file} 超过大小上限 {limit_mb} MB",
            "en": "File {file} is larger than the limit of {limit_mb} MB",
        },
        "file_type_unsupported": {
            "zh": "不支持的文件类型“{ext}”：请上传 XLSX、CSV、GeoJSON、Shapefile（zip）、GeoPackage、KML/KMZ 或 DXF",
            "en": "Unsupported file type '{ext}': upload XLSX, CSV, GeoJSON, zipped Shapefile, GeoPackage, KML/KMZ or DXF",
        },
        "file_xls_legacy": {
            "zh": "文件 {file} 是旧版 Excel（.xls）格式，请在 Excel 中另存为 .xlsx 后再上传",
            "en": "File {file} is an old Excel (.xls) workbook; save it as .xlsx in Excel and upload again",
        },
        "file_type_mismatch": {
            "zh": "文件 {file} 的内容（{found}）与扩展名“{ext}”不符，可能是改了扩展名或文件已损坏",
            "en": "The content of {file} ({found}) does not match its extension '{ext}': renamed or damaged?",
        },
        "file_corrupt": {
            "zh": "文件 {file} 已损坏或不完整，无法读取：{reason}",
            "en": "File {file} is damaged or truncated and cannot be read: {reason}",
        },
        "zip_too_many_members": {
            "zh": "压缩包 {file} 内文件过多（{count} 个，上限 {limit} 个）",
            "en": "Archive {file} holds too many files ({count}; the limit is {limit})",
        },
        "zip_too_large": {
            "zh": "压缩包 {file} 解压后超过 {limit_mb} MB 上限",
            "en": "Archive {file} unpacks to more than the limit of {limit_mb} MB",
        },
        "zip_bomb": {
            "zh": "压缩包 {file} 中的“{member}”压缩比异常（{ratio} 倍），疑似压缩炸弹，已拒绝",
            "en": "'{member}' in archive {file} has an abnormal compression ratio ({ratio}x), like a zip bomb; refused",
        },
        "zip_unsafe_path": {
            "zh": "压缩包 {file} 中的“{member}”路径不安全（绝对路径或含“..”），已拒绝",
            "en": "'{member}' in archive {file} has an unsafe path (absolute or with '..'); refused",
        },
        "zip_symlink": {
            "zh": "压缩包 {file} 中的“{member}”是符号链接，已拒绝",
            "en": "'{member}' in archive {file} is a symbolic link; refused",
        },
        "zip_nested": {
            "zh": "压缩包 {file} 中又含压缩包“{member}”，请解压后只打包数据文件",
            "en": "Archive {file} contains another archive '{member}'; pack the data files themselves",
        },
        "zip_encrypted": {
            "zh": "压缩包 {file} 有密码保护，请去掉密码后再上传",
            "en": "Archive {file} is password-protected; remove the password and upload again",
        },
        "zip_no_data": {
            "zh": "压缩包 {file} 中没有 {expected} 文件",
            "en": "Archive {file} contains no {expected} file",
        },
        "xml_forbidden": {
            "zh": "文件 {file} 含有 XML 实体或文档类型声明（DTD），出于安全原因已拒绝",
            "en": "File {file} contains XML entities or a document type declaration (DTD); refused for safety",
        },
        "too_many_rows": {
            "zh": "文件 {file} 的“{sheet}”行数超过上限 {limit} 行，请拆分后分批上传",
            "en": "'{sheet}' in {file} has more than {limit} rows; split it and upload in parts",
        },
        "text_encoding_unknown": {
            "zh": "无法识别文件 {file} 的文字编码，请另存为 UTF-8 或 GBK 编码的 CSV",
            "en": "The text encoding of {file} is not recognised; save it as CSV in UTF-8 or GBK",
        },
        "file_no_features": {"zh": "文件中没有可导入的数据", "en": "The file holds nothing to import"},
        "crs_unknown": {"zh": "无法识别的坐标系“{value}”", "en": "Unknown coordinate system '{value}'"},
        "crs_meridian_missing": {
            "zh": "高斯-克吕格坐标（不带带号）需要指定中央子午线，如 102°",
            "en": "Gauss-Kruger coordinates without zone number need the central meridian, e.g. 102°",
        },
        "gk_zone_unknown": {
            "zh": "高斯-克吕格 3 度带“{zone}”不在我国范围内",
            "en": "Gauss-Kruger 3-degree zone '{zone}' is not one of China's",
        },
        "crs_undetectable": {
            "zh": "无法从坐标数值判断坐标系，请在模板“填写说明”中选择坐标系，或上传时指定",
            "en": "The coordinate system cannot be told from the values; choose it in the template or when uploading",
        },
        "crs_detected": {
            "zh": "未指定坐标系，按坐标数值判断为“{system}”，请核对预览位置是否正确",
            "en": "No coordinate system given; the values look like '{system}' ({reason}); check the preview",
        },
        "axes_swapped": {
            "zh": "坐标的 X、Y（经度、纬度）顺序与所选坐标系“{system}”相反，已按交换后读取，请核对",
            "en": "X and Y (longitude and latitude) are the other way round for '{system}'; read swapped, please check",
        },
        "z_dropped": {
            "zh": "文件中的高程（Z 值）未导入，只导入平面位置",
            "en": "Elevations (Z values) in the file were not imported, only the horizontal position",
        },
        "coordinate_missing": {"zh": "缺少坐标", "en": "Coordinate missing"},
        "coordinate_unreadable": {
            "zh": "无法识别的坐标“{value}”：应为数字或度分秒（如 101°43′12.5″）",
            "en": "Unreadable coordinate '{value}': write a number or degrees-minutes-seconds (e.g. 101°43′12.5″)",
        },
        "coordinate_unconvertible": {
            "zh": "坐标无法转换到 CGCS2000：{reason}",
            "en": "The coordinates cannot be converted to CGCS2000: {reason}",
        },
        "header_not_found": {
            "zh": "工作表“{sheet}”中未找到表头（需要坐标列，如 经度/纬度 或 X/Y）",
            "en": "No header row found in sheet '{sheet}' (coordinate columns such as longitude/latitude or X/Y are needed)",
        },
        "sheet_unrecognised": {
            "zh": "工作表“{sheet}”不是模板中的表，未导入",
            "en": "Sheet '{sheet}' is not one of the template's and was not imported",
        },
        "column_missing": {
            "zh": "工作表“{sheet}”缺少必填列“{column}”",
            "en": "Sheet '{sheet}' lacks the required column '{column}'",
        },
        "vertex_without_name": {
            "zh": "该顶点行没有名称，无法确定属于哪条线或哪个面",
            "en": "This vertex row has no name, so it belongs to no line or polygon",
        },
        "vertex_unreadable": {
            "zh": "顶点序号“{value}”应为数字",
            "en": "Vertex number '{value}' must be a number",
        },
        "vertex_duplicate": {
            "zh": "顶点序号 {vertex} 重复（第 {first_row} 行已有）",
            "en": "Vertex number {vertex} is repeated (already on row {first_row})",
        },
        "geometry_too_few_points": {
            "zh": "只有 {count} 个不同的顶点，至少需要 {needed} 个",
            "en": "Only {count} distinct vertices; at least {needed} are needed",
        },
        "geometry_unreadable": {"zh": "无法读取几何：{reason}", "en": "The geometry cannot be read: {reason}"},
        "feature_geometry_missing": {"zh": "该要素没有几何（位置）", "en": "This feature has no geometry"},
        "geometry_empty_feature": {"zh": "几何为空", "en": "The geometry is empty"},
        "geometry_type_unsupported": {
            "zh": "不支持的几何类型“{type}”",
            "en": "Unsupported geometry type '{type}'",
        },
        "geometry_degenerate": {
            "zh": "几何（{type}）退化，无法使用：{reason}",
            "en": "Degenerate geometry ({type}), not usable: {reason}",
        },
        "geometry_repaired": {
            "zh": "几何（{type}）无效（{reason}），已自动修复为 {result}，请在预览中核对",
            "en": "Invalid geometry ({type}: {reason}) repaired into a {result}; check it in the preview",
        },
        "shapefile_part_missing": {
            "zh": "Shapefile 图层“{layer}”缺少 {part} 文件",
            "en": "Shapefile layer '{layer}' lacks its {part} file",
        },
        "shapefile_encoding_guessed": {
            "zh": "Shapefile 图层“{layer}”没有 .cpg 编码文件，属性按 {encoding} 编码读取，请核对中文是否正常",
            "en": "Shapefile layer '{layer}' has no .cpg file; attributes read as {encoding}: check the text",
        },
        "layer_unreadable": {
            "zh": "图层“{layer}”无法读取：{reason}",
            "en": "Layer '{layer}' cannot be read: {reason}",
        },
        "layer_no_geometry": {
            "zh": "图层“{layer}”没有几何，未导入",
            "en": "Layer '{layer}' has no geometry and was not imported",
        },
        "dxf_entities_skipped": {
            "zh": "DXF 中 {count} 个图元（{types}）不是点、线或多段线，未导入",
            "en": "{count} DXF entities ({types}) are not points, lines or polylines and were not imported",
        },
    }
)

# --- inspections and hazards ---
MESSAGES.update(
    {
        "inspection": {"zh": "检查记录", "en": "inspection"},
        "hazard": {"zh": "隐患", "en": "hazard"},
        "photo": {"zh": "照片", "en": "photo"},
        "hz_found": {"zh": "已发现", "en": "found"},
        "hz_assigned": {"zh": "已交办整改", "en": "assigned"},
        "hz_rectified": {"zh": "企业已整改", "en": "rectified"},
        "hz_county_verified": {"zh": "县区已核查", "en": "county verified"},
        "hz_city_verified": {"zh": "市级已核查", "en": "city verified"},
        "hz_province_verified": {"zh": "省级已核查", "en": "province verified"},
        "hz_closed": {"zh": "已销号", "en": "closed"},
        "hz_act_report": {"zh": "发现上报", "en": "report"},
        "hz_act_assign": {"zh": "交办整改", "en": "assign"},
        "hz_act_rectify": {"zh": "提交整改", "en": "submit rectification"},
        "hz_act_county_verify": {"zh": "县区核查通过", "en": "county verification"},
        "hz_act_city_verify": {"zh": "市级核查通过", "en": "city verification"},
        "hz_act_province_verify": {"zh": "省级核查通过", "en": "province verification"},
        "hz_act_reject": {"zh": "退回重新整改", "en": "reject"},
        "hz_act_close": {"zh": "销号", "en": "close"},
        "hz_act_unknown": {"zh": "未知操作", "en": "unknown action"},
        "hazard_transition_illegal": {
            "zh": "隐患当前状态为“{state}”，不能执行“{action}”（当前可执行：{allowed}）",
            "en": "The hazard is {state}: '{action}' is not possible now (possible: {allowed})",
        },
        "hazard_wrong_role": {
            "zh": "“{action}”须由{roles}执行，当前角色（{role}）无权执行",
            "en": "'{action}' is for {roles}; your role ({role}) may not do it",
        },
        "hazard_province_not_required": {
            "zh": "该隐患无需省级核查，应由市级销号",
            "en": "This hazard needs no provincial verification; the city closes it",
        },
        "hazard_field_required": {"zh": "此步骤必须填写该项", "en": "Required for this step"},
        "sev_general": {"zh": "一般隐患", "en": "general"},
        "sev_major": {"zh": "重大隐患", "en": "major"},
        "src_inspection": {"zh": "现场检查", "en": "inspection"},
        "src_self_inspection": {"zh": "企业汛前自查", "en": "pre-flood-season self-inspection"},
        "src_report": {"zh": "直接上报", "en": "direct report"},
        "inspection_forbidden_role": {
            "zh": "当前角色（{role}）不能开展现场检查或上报隐患",
            "en": "Your role ({role}) may not inspect or report hazards",
        },
        "inspection_not_yours": {
            "zh": "该检查记录属于其他检查人员，不能修改",
            "en": "This inspection belongs to another inspector and cannot be changed",
        },
        "inspection_other_pond": {
            "zh": "编号 {id} 已用于另一座尾矿库的记录",
            "en": "The id {id} is already used for a record of another pond",
        },
        "checklist_item_unknown": {
            "zh": "检查表（版本 {version}）中没有检查项“{item}”",
            "en": "Checklist version {version} has no item '{item}'",
        },
        "checklist_element_mismatch": {
            "zh": "检查项“{item}”须针对“{section}”类要素，要素 {element} 不是",
            "en": "Item '{item}' is for elements of type '{section}'; element {element} is not one",
        },
        "checklist_pond_level": {
            "zh": "检查项“{item}”针对整座尾矿库，不应指定要素",
            "en": "Item '{item}' is about the whole pond; no element may be given",
        },
        "checklist_version_not_bumped": {
            "zh": "检查表已修改但版本号（{version}）未变更，请在 layers/checklists 中提高版本号",
            "en": "The checklist changed but its version ({version}) did not; raise it in layers/checklists",
        },
        "photo_unknown": {
            "zh": "照片 {id} 未上传或不属于该尾矿库",
            "en": "Photo {id} not uploaded or not of this pond",
        },
        "photo_not_image": {
            "zh": "文件 {file} 不是可识别的图片（支持 JPEG、PNG、WebP）",
            "en": "File {file} is not a readable image (JPEG, PNG or WebP)",
        },
        "photo_too_large": {
            "zh": "照片 {file} 超过大小上限 {limit_mb} MB",
            "en": "Photo {file} is larger than the limit of {limit_mb} MB",
        },
        "flag_far": {
            "zh": "照片拍摄位置距隐患 {distance_m} 米（允许 {limit_m} 米）",
            "en": "Photo taken {distance_m} m from the hazard (allowed {limit_m} m)",
        },
        "flag_before_found": {
            "zh": "照片拍摄时间 {taken_at} 早于隐患发现时间 {found_at}",
            "en": "Photo taken at {taken_at}, before the hazard was found ({found_at})",
        },
        "flag_no_position": {"zh": "照片无 GPS 位置信息", "en": "The photo has no GPS position"},
        "flag_no_time": {"zh": "照片无拍摄时间信息", "en": "The photo has no time taken"},
        "flag_no_hazard_position": {"zh": "隐患无位置，无法比对", "en": "The hazard has no position to compare"},
    }
)

MESSAGES.update(
    {
        "ans_ok": {"zh": "符合", "en": "OK"},
        "ans_problem": {"zh": "存在问题", "en": "Problem"},
        "ans_not_applicable": {"zh": "不适用", "en": "N/A"},
        "kind_government": {"zh": "监管部门现场检查", "en": "Government inspection"},
        "kind_self_inspection": {"zh": "企业汛前自查", "en": "Enterprise pre-flood-season self-inspection"},
    }
)

MESSAGES.update(
    {
        "note": {"zh": "说明", "en": "Note"},
        "take_photo": {"zh": "拍照", "en": "Photo"},
        "photos_n": {"zh": "{n} 张照片", "en": "{n} photo(s)"},
        "my_position": {"zh": "我的位置", "en": "My position"},
        "position_unknown": {"zh": "正在获取位置……", "en": "Getting your position…"},
        "position_fix": {"zh": "位置 {lon}, {lat}（精度 {acc} 米）", "en": "Position {lon}, {lat} (±{acc} m)"},
        "nearest_elements": {"zh": "附近的监管要素", "en": "Nearest elements"},
        "distance_m": {"zh": "{d} 米", "en": "{d} m"},
        "pond_level_items": {"zh": "整库检查项", "en": "Whole-pond items"},
        "no_element_of_type": {"zh": "（图上无此类要素）", "en": "(none on the map)"},
        "sync_local": {"zh": "已保存在本机", "en": "Saved on this device"},
        "sync_pending": {
            "zh": "待发送：网络恢复后自动提交",
            "en": "Waiting to send: submitted when the network returns",
        },
        "sync_sent": {"zh": "已提交", "en": "Submitted"},
        "sync_offline": {"zh": "当前离线，记录已保存在本机", "en": "Offline: kept on this device"},
        "sync_error": {"zh": "提交被拒绝：{message}", "en": "Refused: {message}"},
        "save_draft": {"zh": "保存草稿", "en": "Save draft"},
        "submit_inspection": {"zh": "提交检查", "en": "Submit inspection"},
        "submitted_hazards": {"zh": "发现问题 {n} 项，已生成隐患", "en": "{n} problem(s) recorded as hazards"},
        "open_record": {"zh": "打印检查记录（PDF）", "en": "Printable record (PDF)"},
        "confirm_submit_none": {"zh": "尚未填写任何检查项", "en": "No item answered yet"},
        "new_inspection": {"zh": "开始新的检查", "en": "Start a new inspection"},
        "start_inspection": {"zh": "开始现场检查", "en": "Start an on-site inspection"},
        "inspection_title": {"zh": "现场检查", "en": "On-site inspection"},
        "cannot_inspect": {"zh": "当前角色不能开展现场检查", "en": "Your role may not inspect"},
        "plan": {"zh": "整改方案", "en": "Rectification plan"},
        "deadline": {"zh": "整改期限", "en": "Deadline"},
        "responsible": {"zh": "责任人", "en": "Responsible person"},
        "reason": {"zh": "退回原因", "en": "Reason"},
        "evidence_photos": {"zh": "整改佐证照片", "en": "Evidence photos"},
        "do_action": {"zh": "确定", "en": "Confirm"},
        "hazards_title": {"zh": "隐患整改与核查", "en": "Hazards and verification"},
        "inbox": {"zh": "待我处理", "en": "Waiting for me"},
        "inbox_empty": {"zh": "暂无待办", "en": "Nothing waits for you"},
        "other_hazards": {"zh": "范围内其他隐患", "en": "Other hazards in my scope"},
        "overdue": {"zh": "已逾期", "en": "overdue"},
        "found_at": {"zh": "发现时间", "en": "Found"},
        "trail": {"zh": "处理记录", "en": "Trail"},
        "evidence_flags": {"zh": "佐证核验提示", "en": "Evidence warnings"},
        "export_xlsx": {"zh": "导出 Excel", "en": "Export to Excel"},
        "hazard_n": {"zh": "隐患 #{id}", "en": "Hazard #{id}"},
        "province_required_yes": {"zh": "需省级核查", "en": "Provincial verification required"},
        "back_to_pond": {"zh": "返回尾矿库地图", "en": "Back to the pond map"},
        "view_hazards": {"zh": "隐患与待办", "en": "Hazards and tasks"},
    }
)

# --- imagery and jobs ---
MESSAGES.update(
    {
        "image": {"zh": "影像", "en": "image"},
        "job": {"zh": "后台任务", "en": "background job"},
        "job_kind_unknown": {"zh": "未知的任务类型：{kind}", "en": "Unknown job kind: {kind}"},
        "raster_unreadable": {
            "zh": "文件 {file} 无法读取（损坏、截断或不是栅格影像）：{reason}",
            "en": "File {file} cannot be read (corrupt, truncated or not a raster): {reason}",
        },
        "raster_not_georeferenced": {
            "zh": "文件 {file} 没有地理参考（缺少坐标系或仿射变换），请提供带坐标的 GeoTIFF",
            "en": "File {file} is not georeferenced (no CRS or geotransform); upload a GeoTIFF with coordinates",
        },
        "raster_crs_unknown": {
            "zh": "文件 {file} 的坐标系无法识别为 EPSG 代码：{crs}",
            "en": "The coordinate system of {file} has no known EPSG code: {crs}",
        },
        "raster_rotated": {
            "zh": "文件 {file} 是旋转的栅格，请先校正为正北朝上",
            "en": "File {file} is a rotated raster; warp it north-up first",
        },
        "raster_resolution": {
            "zh": "文件 {file} 的分辨率 {resolution_m} 米不合理（应在 0.01 至 1000 米之间）",
            "en": "The resolution of {file}, {resolution_m} m, is not plausible (0.01 to 1000 m)",
        },
        "raster_extent": {
            "zh": "文件 {file} 的范围（{extent_km} 千米）不合理或超出经纬度范围",
            "en": "The extent of {file} ({extent_km} km) is not plausible or outside longitude/latitude",
        },
        "raster_band_count": {
            "zh": "文件 {file} 有 {count} 个波段，应为 {expected} 个",
            "en": "File {file} has {count} bands; {expected} expected",
        },
        "raster_band_roles": {
            "zh": "波段说明 {bands} 无效：应为每个波段一个名称（blue、green、red、nir 等），共 {count} 个且不重复",
            "en": "Band roles {bands} are invalid: give one distinct name per band (blue, green, red, nir...), {count} in all",
        },
        "water_method_unknown": {
            "zh": "未知的水体提取方法 {method}（可用：{methods}）",
            "en": "Unknown water method {method} (available: {methods})",
        },
        "water_bands_missing": {
            "zh": "方法 {method} 需要波段：{bands}",
            "en": "Method {method} needs the bands: {bands}",
        },
        "imagery_covers_no_pond": {
            "zh": "影像 {file} 未覆盖您管辖范围内的任何尾矿库",
            "en": "Image {file} covers no tailings pond in your scope",
        },
        "imagery_no_water_method": {
            "zh": "影像 {id} 的类型（{kind}）无法提取水面：需要多光谱（绿、近红外）或无人机 RGB 影像",
            "en": "No water can be derived from image {id} of kind {kind}: a multispectral (green, NIR) or drone RGB image is needed",
        },
        "imagery_title": {"zh": "影像", "en": "Imagery"},
        "imagery_none": {"zh": "暂无覆盖本库的影像", "en": "No image covers this pond yet"},
        "imagery_date": {"zh": "影像日期", "en": "Image date"},
        "imagery_compare": {"zh": "对比日期", "en": "Compare with"},
        "imagery_derive": {"zh": "提取水面", "en": "Derive water"},
        "imagery_area_chart": {"zh": "水面与库区面积变化（公顷）", "en": "Water and outline area over time (ha)"},
        "imagery_water": {"zh": "水面", "en": "Water surface"},
        "imagery_outline": {"zh": "影像库区轮廓", "en": "Outline from imagery"},
        "imagery_flagged": {"zh": "超出批复边界，待核查", "en": "Beyond the approved boundary: to review"},
        "job_queued": {"zh": "排队中", "en": "Queued"},
        "job_running": {"zh": "处理中", "en": "Running"},
        "job_done": {"zh": "已完成", "en": "Done"},
        "job_failed": {"zh": "失败", "en": "Failed"},
    }
)

# --- dashboard: hazards and inspections ---
MESSAGES.update(
    {
        "dash_work": {"zh": "隐患与检查", "en": "Hazards and inspections"},
        "dash_hazards_open": {"zh": "未销号隐患", "en": "Open hazards"},
        "dash_hazards_overdue": {"zh": "逾期未整改隐患", "en": "Overdue hazards"},
        "dash_inspections_overdue": {"zh": "逾期未检查的尾矿库", "en": "Ponds with overdue inspections"},
        "dash_inspections_due": {"zh": "本年度待检查的尾矿库", "en": "Ponds with inspections due this year"},
        "dash_self_inspections_overdue": {
            "zh": "汛前自查逾期的尾矿库",
            "en": "Ponds whose pre-flood-season self-inspection is overdue",
        },
    }
)

# --- generic: numbers out of range ---
MESSAGES.update(
    {
        "number_out_of_range": {
            "zh": "数值超出允许范围（例如编号过大）",
            "en": "A number is out of the allowed range (an id too large, for example)",
        },
    }
)

# --- bureau imports: the pond registry and reference layers ---
MESSAGES.update(
    {
        "registry_title": {"zh": "尾矿库名录", "en": "Pond registry"},
        "registry_instruction_1": {
            "zh": "每个尾矿库一行，按“尾矿库编码”匹配：系统中已有的编码更新该库，新编码新增尾矿库。",
            "en": "One row per pond, matched by its code: a known code updates that pond, a new code adds one.",
        },
        "registry_instruction_2": {
            "zh": "空白单元格不修改原值；新增尾矿库须填写名称、所在县区、监管级别、运行状态和位置。",
            "en": "A blank cell leaves the value as it is; a new pond needs name, county, level, status and location.",
        },
        "registry_instruction_3": {
            "zh": "企业按统一社会信用代码匹配，其次按企业名称；都未找到时新建企业。所在县区填名称或6位行政区划代码。",
            "en": "Enterprises are matched by credit code, then by name, else created. County: name or 6-digit adcode.",
        },
        "registry_instruction_4": {
            "zh": "位置填经纬度或高斯-克吕格坐标，并在本页选择坐标系；导出的名录可直接修改后重新上传。",
            "en": "Location as longitude/latitude or Gauss-Kruger metres, with the coordinate system chosen above; "
            "an exported registry can be edited and uploaded again.",
        },
        "registry_help_code": {"zh": "如 PZH-TP-001；已有编码更新该库", "en": "e.g. PZH-TP-001; a known code updates"},
        "registry_help_county": {"zh": "县区名称（如 米易县）或行政区划代码（如 510421）", "en": "Name or adcode"},
        "registry_help_credit_code": {"zh": "18位统一社会信用代码", "en": "18-character unified social credit code"},
        "registry_help_stopped_since": {"zh": "停用、闭库的尾矿库填写", "en": "For stopped or closed ponds"},
        "registry_help_x": {"zh": "经度（十进制度或度分秒）或东坐标（米）", "en": "Longitude or easting (m)"},
        "registry_help_y": {"zh": "纬度（十进制度或度分秒）或北坐标（米）", "en": "Latitude or northing (m)"},
        "registry_required": {"zh": "必填列“{column}”为空", "en": "Required column '{column}' is empty"},
        "registry_code_too_long": {
            "zh": "编码“{value}”过长（最多40个字符）",
            "en": "Code '{value}' is too long (40 max)",
        },
        "registry_county_unknown": {
            "zh": "未知的县区“{value}”：请填系统中的县区名称或6位行政区划代码",
            "en": "Unknown county '{value}': give a county name or 6-digit adcode known to the system",
        },
        "registry_choice_invalid": {
            "zh": "取值“{value}”无效，应为：{allowed}",
            "en": "Value '{value}' is not allowed; use one of: {allowed}",
        },
        "registry_boolean_invalid": {"zh": "“{value}”应为“是”或“否”", "en": "'{value}' must be yes or no"},
        "registry_number_invalid": {
            "zh": "“{value}”不是有效的非负数",
            "en": "'{value}' is not a valid non-negative number",
        },
        "registry_credit_code_invalid": {
            "zh": "统一社会信用代码“{value}”应为18位字母或数字",
            "en": "Credit code '{value}' must be 18 letters or digits",
        },
        "registry_location_point": {
            "zh": "位置应为一个点，而不是 {found}",
            "en": "The location must be a point, not {found}",
        },
        "registry_duplicate_code": {
            "zh": "尾矿库编码“{code}”在文件中重复（首次出现在第 {row} 行）",
            "en": "Pond code '{code}' appears twice in the file (first in row {row})",
        },
        "registry_pond_outside_scope": {
            "zh": "尾矿库“{code}”不在您的管辖范围内",
            "en": "Pond '{code}' is outside your area",
        },
        "registry_county_outside_scope": {
            "zh": "县区“{county}”不在您的管辖范围内",
            "en": "County '{county}' is outside your area",
        },
        "registry_new_needs": {"zh": "新增尾矿库须填写“{field}”", "en": "A new pond needs '{field}'"},
        "registry_f_name": {"zh": "尾矿库名称", "en": "pond name"},
        "registry_f_county_adcode": {"zh": "所在县区", "en": "county"},
        "registry_f_supervision_level": {"zh": "监管级别", "en": "supervision level"},
        "registry_f_status": {"zh": "运行状态", "en": "status"},
        "registry_f_location": {"zh": "位置（经度/纬度）", "en": "location (longitude/latitude)"},
        "registry_enterprise_unknown": {
            "zh": "未找到统一社会信用代码为“{credit_code}”的企业，新建企业须填写企业名称",
            "en": "No enterprise has credit code '{credit_code}'; a new enterprise needs its name",
        },
        "registry_enterprise_credit_differs": {
            "zh": "企业“{name}”在系统中的统一社会信用代码为“{credit_code}”，与文件不符",
            "en": "Enterprise '{name}' has credit code '{credit_code}' in the system, not the file's",
        },
        "registry_changed_since_preview": {
            "zh": "预览之后数据已被修改，请重新上传预览后再提交",
            "en": "The data changed since the preview; upload and preview again before committing",
        },
        "reference_layer": {"zh": "参考图层", "en": "reference layer"},
        "ref_layer_districts": {"zh": "行政区", "en": "Districts"},
        "ref_layer_rivers": {"zh": "河流", "en": "Rivers"},
        "ref_layer_sensitive_targets": {"zh": "环境敏感目标", "en": "Sensitive targets"},
        "sensitive_drinking_water_source": {"zh": "饮用水水源地", "en": "drinking water source"},
        "sensitive_village": {"zh": "村庄", "en": "village"},
        "sensitive_school": {"zh": "学校", "en": "school"},
        "sensitive_hospital": {"zh": "医院", "en": "hospital"},
        "sensitive_farmland": {"zh": "农田", "en": "farmland"},
        "sensitive_river": {"zh": "河流", "en": "river"},
        "sensitive_other": {"zh": "其他", "en": "other"},
        "reference_adcode_invalid": {
            "zh": "行政区划代码“{value}”应为6位数字",
            "en": "Adcode '{value}' must be 6 digits",
        },
        "reference_geometry_repaired": {
            "zh": "几何无效，已自动修复，请核对",
            "en": "The geometry was invalid and has been repaired; please check it",
        },
        "reference_geometry_type": {
            "zh": "几何类型 {found} 不适用于该图层，应为：{allowed}",
            "en": "Geometry type {found} does not suit this layer; allowed: {allowed}",
        },
        "reference_duplicate_key": {
            "zh": "编码“{key}”在文件中重复（首次出现在第 {row} 行）",
            "en": "Code '{key}' appears twice in the file (first in row {row})",
        },
        "reference_district_in_use": {
            "zh": "文件中没有行政区 {name}（{adcode}），但仍有尾矿库或企业位于该区县，不能删除",
            "en": "The file lacks district {name} ({adcode}), which ponds or enterprises still lie in; it cannot go",
        },
        "reference_river_rule_missing": {
            "zh": "文件中没有河流编码“{river}”，重点区域规则的该河流缓冲区将无法计算",
            "en": "The file has no river coded '{river}': the priority-zone buffer of that river cannot be computed",
        },
        "bureau_page_title": {"zh": "名录与参考图层导入", "en": "Registry and reference layer imports"},
        "bureau_link": {"zh": "名录与图层导入", "en": "Registry & layers import"},
        "bureau_registry": {"zh": "尾矿库名录", "en": "Pond registry"},
        "bureau_template": {"zh": "下载空白名录模板", "en": "Download the blank registry template"},
        "bureau_export": {
            "zh": "导出当前名录（修改后可重新上传）",
            "en": "Export the current registry (edit, upload again)",
        },
        "bureau_delist": {
            "zh": "将文件中没有的示例尾矿库标记为“已销库”",
            "en": "Delist the illustrative sample ponds the file does not hold",
        },
        "bureau_preview": {"zh": "上传并预览", "en": "Upload and preview"},
        "bureau_commit": {"zh": "确认提交", "en": "Commit"},
        "bureau_committed": {"zh": "已提交", "en": "Committed"},
        "bureau_reference": {"zh": "参考图层", "en": "Reference layers"},
        "bureau_layer": {"zh": "图层", "en": "Layer"},
        "bureau_source": {"zh": "数据来源", "en": "Source"},
        "bureau_reference_hint": {
            "zh": "上传的文件将整体替换该图层（包括示例数据）；支持 GeoJSON、Shapefile（zip）、GeoPackage、KML，敏感目标点也可用 XLSX/CSV。",
            "en": "The file replaces the whole layer (sample rows included): GeoJSON, zipped Shapefile, GeoPackage, "
            "KML; sensitive target points also from XLSX/CSV.",
        },
        "bureau_action_add": {"zh": "新增", "en": "add"},
        "bureau_action_update": {"zh": "更新", "en": "update"},
        "bureau_action_unchanged": {"zh": "不变", "en": "unchanged"},
        "bureau_action_error": {"zh": "错误", "en": "error"},
        "bureau_action_remove": {"zh": "删除", "en": "remove"},
        "bureau_action_delist": {"zh": "销库", "en": "delist"},
        "bureau_new_enterprises": {"zh": "新建企业", "en": "New enterprises"},
        "bureau_col_row": {"zh": "行", "en": "Row"},
        "bureau_col_code": {"zh": "编码", "en": "Code"},
        "bureau_col_name": {"zh": "名称", "en": "Name"},
        "bureau_col_action": {"zh": "操作", "en": "Action"},
        "bureau_col_changes": {"zh": "变化/问题", "en": "Changes / problems"},
    }
)

# --- dossiers ---
MESSAGES.update(
    {
        "dossier_no_elements": {"zh": "尚无监管要素", "en": "No elements yet"},
        "dossier_download": {"zh": "下载一库一档", "en": "Download the dossier"},
        "dossier_export_all": {"zh": "导出全部尾矿库档案", "en": "Export every pond's dossier"},
        "dossier_preparing": {"zh": "正在生成…", "en": "Preparing…"},
        "dossier_ready": {"zh": "已生成，点击下载", "en": "Ready: download"},
        "dossier_failed": {"zh": "生成失败", "en": "Export failed"},
        "dossier_not_ready": {"zh": "档案尚未生成完成（任务 {id}）", "en": "The export (job {id}) is not finished"},
        "dossier_no_ponds": {"zh": "您的范围内没有尾矿库", "en": "No pond in your scope"},
    }
)
