"""A generated Đình Lập: the district of the seeds, its year 2020 entered through the
services, with the upper-level committee members who attended its branches' meetings.

The seeds report Đình Lập's 2020: district committee members (huyện ủy viên) attended branch
meetings nearly 80 times, at least 2 each in the year; commune committee members 4 or more
each; Bắc Xa's secretary attended 6; 47 of the 48 grassroots organisations (97.9%) and 179 of
the 183 branches rated good or better; over 94% of the members.

The district is built and entered as Văn Bàn's is (`chibo_tools.districts.van_ban`, whose
pieces this reuses: the plan's shape and building blocks, the phases, the command line),
with Đình Lập's
parameters (`DinhLapParameters`):

- the province (LS), the district (DL), 12 communes and towns (the Đình Lập names) and 36
  agencies' organisations: 183 branches, seven to nine in a commune, two or three in an
  agency; 2,928 members, 16 to a branch (the seeds give no count; this keeps the run short);
- reports, meetings, sick leave and appraisals as in Văn Bàn: 150 members below good (24 on
  long sick leave, capped by the rule set's `long_sick_leave_months`/`long_sick_leave_cap`
  read from `GET /v1/rule-sets/2020`; 126 appraised "completed"): 2,778/2,928 (94.9%);
  4 branches of one commune appraised "completed" by its committee, and that commune by the
  district: 179/183, 47/48; 2020 is rated by Quy định 132 with Hướng dẫn 21 ("qd132-hd21");
- the following, entered before the meetings so that the attendance service marks each
  visit as within the follower's assignment: the province's visit quotas (district committee
  members 2 a year, commune committee members 4, valid from 1/1/2020: data, as the seeds
  report Đình Lập's); 35 district committee members, from the agencies' branches, each
  following one commune (about three to a commune), with 2 visits each and a third for 7 of
  them: 77 in all, "nearly 80"; in each commune its party secretary and two other committee
  members, each following the commune, with 4 to 6 visits (Bắc Xa's secretary 6). Each visit
  is a guest at a regular meeting of a branch of the followed commune other than the
  follower's own, in distinct months, entered with the meeting's attendance sheet;
- then every level decided as proposed, and the district's following read back from
  `GET /v1/units/DL/following/2020`.

Run it as Văn Bàn's:
`python -m chibo_tools.districts.dinh_lap --assignment URL --attendance URL --rating URL`.
"""

from .generate import generate
from .plan import DEFAULTS, DinhLapParameters, DinhLapPlan, FollowerPlan, plan_dinh_lap

__all__ = [
    "DEFAULTS",
    "DinhLapParameters",
    "DinhLapPlan",
    "FollowerPlan",
    "generate",
    "plan_dinh_lap",
]
