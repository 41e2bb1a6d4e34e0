"""The export of everything a service holds about a member (the data subject's right of
access, Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15, Điều 4 khoản 1 điểm c, d), one shape in
every service. A service lists what it holds (`SubjectData`: the member's own streams, its
read-model tables with their columns) and wires three things:

    PERMISSIONS[ReadPersonalData] = Rule(READ, at=<the member's branch>, own="member_id")
    wired[ReadPersonalData] = personal_data_handler(PERSONAL_DATA, store, reader)
    routers.append(personal_data_router(bus, PERSONAL_DATA))

The rest is here: finding the member's events (`events.py`), reading the tables and the
erasure (`collect.py`), the workbook (`workbook.py`), the labels (`labels.py`).
"""

from .collect import LEGAL_BASIS_EN, LEGAL_BASIS_VI, is_erased, personal_data_handler
from .route import PATH, personal_data_router
from .spec import (
    Column,
    ExportColumn,
    ExportSection,
    KeyedStore,
    PersonalData,
    Reader,
    ReadPersonalData,
    SubjectData,
    Table,
)

__all__ = [
    "LEGAL_BASIS_EN",
    "LEGAL_BASIS_VI",
    "PATH",
    "Column",
    "ExportColumn",
    "ExportSection",
    "KeyedStore",
    "PersonalData",
    "ReadPersonalData",
    "Reader",
    "SubjectData",
    "Table",
    "is_erased",
    "personal_data_handler",
    "personal_data_router",
]
