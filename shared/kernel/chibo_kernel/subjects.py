"""The NATS subject hierarchy: service, aggregate category, event, version, organisation path.

    chibo.<service>.<category>.<event>.<vN>.<org>.<org>...._

The trailing `_` ends every subject so that `chibo.*.*.*.*.P.G.>` selects unit G *and*
everything under it, whatever depth the tree has below G.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

STREAM_ID = re.compile(r"^([a-z][a-z0-9_]*)-[A-Za-z0-9_\-]+$")
TOKEN = re.compile(r"^[A-Za-z0-9_\-]+$")
END = "_"
# Private events (`published = False`) live only in categories ending with this, e.g.
# `member_private-42` beside `member-42`: the relay skips them, so a published stream that
# held one would have a version gap that in-order consumers wait on for ever.
PRIVATE_SUFFIX = "_private"


def category_of(stream_id: str) -> str:
    match = STREAM_ID.match(stream_id)
    if match is None:
        raise ValueError(f"stream id {stream_id!r} must look like 'category-id'")
    return match.group(1)


def is_private_category(category: str) -> bool:
    """Whether a category holds private events, and only those."""
    return category.endswith(PRIVATE_SUFFIX)


def event_subject(event_type: str, stream_id: str, org_path: Sequence[str] = ()) -> str:
    """The subject of an event, checking every token; the append calls this."""
    category_of(stream_id)
    for token in org_path:
        if not TOKEN.match(token):
            raise ValueError(f"organisation id {token!r} is not a valid subject token")
    return checked_event_subject(event_type, stream_id, org_path)


def checked_event_subject(event_type: str, stream_id: str, org_path: Sequence[str]) -> str:
    """The same subject without the checks, for events the append already checked."""
    _, service, name, version = event_type.split(".")
    org = ".".join(org_path)
    middle = f"{org}." if org else ""
    return f"chibo.{service}.{stream_id.split('-', 1)[0]}.{name}.{version}.{middle}{END}"


def service_subjects(service: str) -> str:
    """What a service's own stream captures."""
    return f"chibo.{service}.>"


def category_subjects(service: str, category: str) -> str:
    """Every event of one aggregate category: what an in-order consumer subscribes to."""
    return f"chibo.{service}.{category}.>"


def subtree_subjects(service: str, org_path: Sequence[str]) -> str:
    """Every event of a service about one organisation unit and all units under it."""
    return f"chibo.{service}.*.*.*.{'.'.join(org_path)}.>"
