"""An erased member in the reports of member import jobs: a refused row keeps the name the
file gave it, and a refusal's reason may quote the name or the card number it collided with.
Both are replaced by "đã xóa" in the erasure's transaction; the job's counts and the other
rows stay, so the person who ran the import still sees what to fix. Jobs go for good after
`import_jobs.keep_days` (retention)."""

from __future__ import annotations

import json
import re
from typing import Any

import asyncpg

from chibo_kernel.keyring import ERASED_VI

_MENTIONING = """
SELECT job_id, report FROM import_jobs
 WHERE report IS NOT NULL AND (strpos(report::text, $1) > 0 OR strpos(report::text, $2) > 0)
 FOR UPDATE
"""
_SAVE = "UPDATE import_jobs SET report = $2::jsonb WHERE job_id = $1"


async def scrub_import_jobs(conn: asyncpg.Connection, name: str | None, card: str | None) -> int:
    """Read before the read models lose the name and card; returns the jobs changed."""
    words = [w for w in (name, card) if w]
    if not words:
        return 0
    rows = await conn.fetch(_MENTIONING, words[0], words[-1])
    for row in rows:
        await conn.execute(
            _SAVE,
            row["job_id"],
            json.dumps(scrubbed(json.loads(row["report"]), words), ensure_ascii=False),
        )
    return len(rows)


def scrubbed(report: dict[str, Any], words: list[str]) -> dict[str, Any]:
    # A row's name is matched whole: erasing "Lò Văn A" leaves "Lò Văn A Anh" on another
    # row. A reason is free text, so there a whole-word match errs on the side of erasing.
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w in words))

    def clean(text: str) -> str:
        return pattern.sub(ERASED_VI, text)

    return {
        **report,
        "errors": [[line, field, clean(en), clean(vi)] for line, field, en, vi in report["errors"]],
        "names": {
            line: ERASED_VI if value in words else value for line, value in report["names"].items()
        },
    }
