"""A generated Mèo Vạc: the district of seed 002, its 2023 entered through the services.

The seed ("Xây dựng 'Chi bộ bốn tốt' ở Mèo Vạc", 13/01/2024) gives Đảng bộ huyện Mèo Vạc 55
grassroots organisations (21 đảng bộ cơ sở with 308 branches under them, and 34 chi bộ cơ
sở), 4,705 members, Đảng bộ thị trấn Mèo Vạc with 283 members in 18 branches, and for 2023
"142 chi bộ đạt 'Chi bộ bốn tốt', đạt 41,52% (109 chi bộ trực thuộc đảng bộ cơ sở, 33 chi bộ
cơ sở)": 142 of the 342 branch-level cells (308 + 34). This module builds such a district
and enters its year through the public HTTP APIs of the assignment, attendance and rating
services, the way the people concerned would:

- the province (HG), the district (MV), the 21 đảng bộ cơ sở (MV-G01 thị trấn Mèo Vạc with
  its 18 branches, tổ dân phố and schools, among them the seed's Chi bộ trường Mầm non Hoa
  Lan; MV-G02..G18 the 17 communes, each with its village branches, Chi bộ thôn Pả Vi Hạ of
  the seed's photograph first in xã Pả Vi; MV-G19..G21 the police, the military and the
  district agencies) with their 308 branches (MV-G01-B01, ...), and the 34 chi bộ cơ sở
  (MV-C01..C34: agencies and schools, grassroots units with no branch, fewer members than
  the Charter's number);
- the 4,705 members as one file of the national member database (CSV), 283 in the town,
  9-24 in each chi bộ cơ sở, 5-35 (about 13) in each other branch, all admitted long before
  2023; each cell's secretary given the role;
- each cell's households (5-7 per member), its plan for 2023 and its assignments;
- every member's monthly reports, a whole cell's month in one request; every regular
  meeting with its whole attendance sheet in one request;
- once rating has projected all of it, each committee's appraisal of each of its members
  (one request each, one cell's members in turn: they share the cell's cohort book) and the
  reprimands decided in the year. Nobody decides levels: "bốn tốt" reads the decided level
  else the proposed one, and the proposal is what is checked. Under Quy định 124 with
  Hướng dẫn 25 a member is proposed at the level the committee's appraisal judges, "good"
  only with task results on record.

How the figure comes out. "Chi bộ bốn tốt" is judged per cell by `rating/domain/bon_tot.py`
with the measures of the year's rule set, which the generator reads from
`GET /v1/rule-sets/2023` (bon_tot, meeting_quality, member.forced, the Charter) and nowhere
else: every count below ("enough to fail", "within the bar") is computed from those values.
The 109 branches and 33 chi bộ cơ sở to hold the title are drawn at random (seeded); each
cell, titled or not, gets ordinary noise (a few members absent with a reason once or twice,
the odd late report, now and then one meeting that ran short, one member appraised only
"completed"), kept within every bar for a cell that is to hold the title. Each of the other
200 cells (199 branches and 1 chi bộ cơ sở) falls short on one count, a quarter of
them on two, drawn with these weights, each a thing that happens and that people enter:

- a month without the regular meeting (put off for Tết, the harvest or the rains and not
  held that month): fewer months than `regular_meetings` → meetings (44 cells);
- meetings that ran short (a reading of the resolution and little else), in enough months
  that the share of meetings of quality drops under `quality_meeting_share` → meetings
  (53); before HD 42 set a minimum length (`min_minutes`, 2025) such a meeting shows in
  its minutes book, which was not kept (`minutes_required`);
- meetings held without the committee meeting first to prepare them (`prepared_required`)
  → meetings (10);
- members absent without reason at enough meetings, each fewer times than the Charter's
  removal count → meetings (17);
- too many members away with a reason at the same meetings, attendance not above
  `attendance_above` → meetings (29);
- members gone to work far away for months who stopped reporting on their households
  (absent from those meetings with that reason, never under half their reports, so not
  forced down) and whom the committee appraises only "completed": reports submitted under
  `report_compliance` → political, and cadres (38);
- enough members appraised only "completed" (households followed in name only) to bring the
  share good or better under `members_good_share` → cadres (44);
- a member reprimanded in the year (forced "không hoàn thành") → unity and cadres (9);
- a member absent without reason in the Charter's number of months, the art. 8 flag
  → unity, and meetings (5);
- a member back from working far away left out of the year's plan: coverage under
  `coverage` → political, and cadres, since no task on record cannot be "good" (3).

(The counts are the default seed's, 2023; `plan_district(...).summary()` gives them, with
the criteria failed: meetings 171, cadres 95, political 41, unity 14; 148 cells fall short on
one count, 52 on two; the one chi bộ cơ sở short of the title is MV-C17, by short
meetings without minutes.)
The plan is judged before anything is sent by `plan.criteria`, the same measures as the
service's (a meeting of quality: attendance above the bar, no unexcused absence, nobody
absent more times in a row than allowed, long enough, minutes kept, prepared), and refused
(`PlanError`) unless exactly the wanted cells hold the title. After entering, every cell's card from
`GET /v1/units/MV/branches/2023` must show the planned kind, four criteria, title and
members' levels, or the generator stops and names the cells that differ.

Everything random comes from one seeded generator (and generators derived from the seed and
a unit id where cells run concurrently), so a seed always gives the same district. The roll-up
(`GET /v1/units/MV/rollup/2023`) then reads "142/342 (41.5%)": it phrases every figure to
one decimal; 142/342 is the seed's 41.52%.

Run against running services (fresh ones: the district must not exist yet), signed in as a
whole-province administrator (--token, or $CHIBO_TOKEN, or the embedded stack's
$CHIBO_TOKEN_PROVINCE_ADMIN, or a token it signs with $CHIBO_AUTH_SHARED_SECRET):

    python -m chibo_tools.districts.meo_vac --assignment http://127.0.0.1:8101 \\
        --attendance http://127.0.0.1:8102 --rating http://127.0.0.1:8103
"""

from .enter import generate
from .plan import DEFAULTS, MeoVacParameters, Thresholds, criteria, plan_district

__all__ = ["DEFAULTS", "MeoVacParameters", "Thresholds", "criteria", "generate", "plan_district"]
