from pilot_portal.core.text import fold


def test_fold_removes_vietnamese_diacritics_and_d_stroke():
    assert fold("Phường Lê Đại Hành") == "phuong le dai hanh"
    assert fold("  ĐẶC KHU  Côn   Đảo ") == "dac khu con dao"


def test_fold_of_empty_text_is_empty():
    assert fold("") == ""
    assert fold(None) == ""
