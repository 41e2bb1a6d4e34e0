"""What forces a collective's "không hoàn thành nhiệm vụ" whatever else holds: the collective
disciplined, too many units under it disciplined, too few of its targets met. Checked before
any level, as for members (`member_forced.py`)."""

from __future__ import annotations

from .cited import Reason, percent
from .collective_year import CollectiveYear
from .rule_set import CollectiveForced


def forced_reasons(unit: CollectiveYear, rules: CollectiveForced) -> list[Reason]:
    found = []
    if rules.disciplined is not None and rules.disciplined.value and unit.disciplined:
        found.append(
            Reason(
                "collective_disciplined",
                "the collective was disciplined this year",
                "tập thể bị xử lý kỷ luật trong năm",
                rules.disciplined.source,
            )
        )
    bound = rules.sub_units_disciplined_share_above
    count = len(unit.sub_unit_levels)
    if bound is not None and count and unit.sub_units_disciplined / count > bound.value:
        found.append(
            Reason(
                "sub_units_disciplined",
                f"{unit.sub_units_disciplined}/{count} units under it disciplined, more than "
                f"{percent(bound.value)}",
                f"{unit.sub_units_disciplined}/{count} tổ chức trực thuộc bị kỷ luật, trên "
                f"{percent(bound.value)}",
                bound.source,
            )
        )
    done = rules.tasks_done_below
    tasks = unit.tasks
    if done is not None and tasks is not None and tasks.expected:
        ratio = tasks.done / tasks.expected
        if ratio < done.value:
            found.append(
                Reason(
                    "tasks_not_done",
                    f"only {tasks.done}/{tasks.expected} targets met ({percent(ratio)})",
                    f"chỉ hoàn thành {tasks.done}/{tasks.expected} chỉ tiêu ({percent(ratio)})",
                    done.source,
                )
            )
    return found
