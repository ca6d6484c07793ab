"""UTF-16 without a byte-order mark: recognised from the byte pattern of CJK text, never guessed."""

from __future__ import annotations

import random

import pytest

from analysis import decode

# Written for the test in the genre's style (not corpus text).
REPORT = ("某某区2023年政府工作报告\n一、2022年工作回顾\n全区地区生产总值完成512.3亿元，增长6.1%。\n"
          "二、2023年主要目标\n地区生产总值增长6%左右，一般公共预算收入增长5%。\n") * 8
PURE_CJK = "一是坚持稳中求进工作总基调，二是统筹发展和安全，三是持续改善民生。" * 12


@pytest.mark.parametrize("text", [REPORT, PURE_CJK], ids=["with-digits", "cjk-only"])
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read(text, codec):
    decoded, used = decode.decode_bytes(text.encode(codec))
    assert used == codec and decoded == text


def test_arbitrary_bytes_with_alternating_zeros_are_not_utf16():
    rng = random.Random(7)
    for _ in range(20):
        data = bytes(0 if i % 2 and rng.random() < 0.5 else rng.randrange(256) for i in range(4000))
        try:
            _, used = decode.decode_bytes(data)
        except decode.DecodeError:
            continue
        assert not used.startswith("utf-16")


def test_gbk_text_is_not_taken_for_utf16():
    _, used = decode.decode_bytes(REPORT.encode("gbk"))
    assert used == "gb18030"
