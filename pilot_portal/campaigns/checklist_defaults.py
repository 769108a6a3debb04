"""The default readiness checklist (from the provinces' pilot plans in the seed articles). Data, not code paths:
the admin edits the template items afterwards; a data migration and the demo load these once."""

# (block, title, owner, milestone kind, days after the milestone, critical, derived source)
DEFAULT_CHECKLIST = [
    ("party", "Xây dựng phương án nhân sự lãnh đạo", "Đảng ủy", "pilot_start", -3, True, ""),
    (
        "party",
        "Dự thảo quyết định thành lập mới, kiện toàn, sắp xếp các tổ chức Đảng trực thuộc",
        "Đảng ủy",
        "pilot_start",
        -1,
        True,
        "",
    ),
    ("party", "Chỉ định nhân sự cấp ủy trực thuộc nhiệm kỳ 2025 - 2030", "Đảng ủy", "review_meeting", 0, False, ""),
    (
        "council",
        "Dự thảo thông báo về số lượng và danh sách đại biểu HĐND",
        "Thường trực HĐND",
        "pilot_start",
        -2,
        True,
        "",
    ),
    ("council", "Nghị quyết thành lập các ban của HĐND", "Thường trực HĐND", "pilot_start", 0, False, ""),
    ("council", "Kỳ họp thứ nhất HĐND đã bế mạc", "Thường trực HĐND", "pilot_start", 0, True, "first_hdnd_closed"),
    ("committee", "Dự thảo quyết định thành lập các phòng chuyên môn", "Chủ tịch UBND", "pilot_start", -1, True, ""),
    ("committee", "Quy chế làm việc của UBND", "Văn phòng HĐND và UBND", "pilot_start", 0, False, ""),
    ("committee", "Phiên họp thứ nhất UBND đã kết thúc", "Chủ tịch UBND", "pilot_start", 0, True, "first_ubnd_closed"),
    (
        "committee",
        "Tiếp nhận các dự án, hồ sơ đang thực hiện, tồn đọng của cấp huyện",
        "Văn phòng HĐND và UBND",
        "review_meeting",
        0,
        False,
        "",
    ),
    ("front", "Kiện toàn Ủy ban MTTQ và các đoàn thể", "Ủy ban MTTQ", "pilot_start", 0, False, ""),
    ("front", "Phân công nhân sự MTTQ và các đoàn thể", "Ủy ban MTTQ", "review_meeting", 0, False, ""),
    (
        "service_centre",
        "Phân công công chức, viên chức tiếp nhận và xử lý thủ tục hành chính",
        "Giám đốc Trung tâm PVHCC",
        "pilot_start",
        -2,
        True,
        "",
    ),
    (
        "service_centre",
        "Tập huấn nghiệp vụ và kỹ năng giao tiếp",
        "Giám đốc Trung tâm PVHCC",
        "pilot_start",
        -1,
        False,
        "",
    ),
    (
        "service_centre",
        "Thử tiếp nhận và trả kết quả hồ sơ từ đầu đến cuối",
        "Giám đốc Trung tâm PVHCC",
        "pilot_start",
        0,
        True,
        "test_dossiers_returned",
    ),
    ("it", "Đường truyền mạng", "Công chức CNTT", "pilot_start", -2, True, ""),
    ("it", "Kết nối trực tuyến với tỉnh", "Công chức CNTT", "pilot_start", -1, True, ""),
    ("it", "Trang thiết bị (máy tính, máy in, máy quét)", "Công chức CNTT", "pilot_start", -2, False, ""),
]


def default_template_rows():
    """The defaults as keyword dicts for ``ChecklistTemplateItem``."""
    for position, (block, title, owner, milestone, offset, critical, derived) in enumerate(DEFAULT_CHECKLIST):
        yield {
            "block": block,
            "position": position,
            "title": title,
            "owner": owner,
            "milestone": milestone,
            "offset_days": offset,
            "is_critical": critical,
            "derived_source": derived,
        }
