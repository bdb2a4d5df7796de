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
