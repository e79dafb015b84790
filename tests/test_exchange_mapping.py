"""The 双公示 penalty field mapping is data: every column of the published field set, once, in order,
each mapped to a field ipcredit can hold, and free text kept out of public exports."""

from __future__ import annotations

import tomllib
from pathlib import Path

MAPPING = Path(__file__).resolve().parents[1] / "credit" / "exchange.toml"
COLUMNS = [
    "行政相对人名称",
    "行政相对人类别",
    "统一社会信用代码",
    "法定代表人",
    "行政处罚决定书文号",
    "违法行为类型",
    "违法事实",
    "处罚依据",
    "处罚类别",
    "处罚内容",
    "罚款金额（万元）",
    "没收违法所得/非法财物的金额（万元）",
    "暂扣或吊销证照名称及编号",
    "处罚决定日期",
    "处罚有效期",
    "公示截止期",
    "处罚机关",
    "处罚机关统一社会信用代码",
    "数据来源单位",
    "数据来源单位统一社会信用代码",
    "备注",
]


def test_mapping_covers_the_field_set_in_order() -> None:
    fields = tomllib.loads(MAPPING.read_text(encoding="utf-8"))["penalties"]["field"]
    assert [f["column"] for f in fields] == COLUMNS
    targets = [f["field"] for f in fields]
    assert len(set(targets)) == len(targets)
    assert all(t.split(".")[0] in ("subject", "record", "publication") for t in targets)
    assert {f["column"] for f in fields if not f["public"]} == {"违法事实"}
