"""A generated Văn Bàn: the district of the seeds, its year 2021 entered through the services.

The seeds report Văn Bàn's rating of 2021: of 5,719 members, "5,508/5,719 (96.3%)" good or
better; 321 of the 341 branches under grassroots organisations; 53 of the 58 grassroots
organisations. This module builds such a district and enters the whole year through the
public HTTP APIs of the assignment, attendance and rating services, as the people concerned
would record it, then has each level decide:

- the province (LC), the district (VB), 23 communes and the town (đảng bộ xã, thị trấn: the
  Văn Bàn names) and 35 agencies' organisations, each with its branches (ids VB-G01,
  VB-G01-B03, ...); communes have about ten village branches, agencies two to four;
- the 5,719 members as one file of the national member database (CSV), 16 or 17 to a branch,
  all admitted years before 2021; each branch's secretary given the role;
- each branch's households (five per member), its plan for the year and its assignments;
- each branch's year month by month: every member's report, on time, except in the months a
  member spends on sick leave, then the branch's regular meeting (75 to 135 minutes) with
  the whole attendance sheet: about one member in ten misses one meeting with a reason, and
  members on sick leave are marked absent for it ("nghỉ ốm dài ngày");
- what people judged, at the branch's year's end: each member's sick leave on record and the
  branch committee's appraisal of every member, then the branch appraised by its
  organisation's committee (Đảng ủy …); each organisation by the district's standing
  committee; with their targets of the year and no points (2021 has none);
- then the decisions: each branch decides its members, each organisation its branches, the
  district its organisations, each exactly as the service proposes (the generator checks
  every proposal against its plan first).

2021 is rated by Quy định 132 with Hướng dẫn 21 (`rating/rules/qd132_hd21_2019.toml`, id
"qd132-hd21"): a member's level is the level the committee's appraisal judges, "good" or
better only with task results on record (every member here has an assignment and reports);
sick leave as long as the set says (`member.not_rated.long_sick_leave_months`) caps the level
(`long_sick_leave_cap`); collectives are the level the level above appraises. The figures
come from the inputs, not from thresholds engineered around:

- Members. 211 members (never a secretary) are below good: 46 spent three to six whole
  calendar months on sick leave (at least the rule set's months, read from
  `GET /v1/rule-sets/2021`; their committee still judges their work good, the cap gives
  "completed"), the other 165 are appraised "completed" ("còn hạn chế ..."). 30 more members
  had a shorter sick leave (one or two months), which caps nothing. In each branch 0-2 of
  the good members are appraised "excellent" (332 in all with the default seed), never
  more than the quota read from the rule set allows against the branch's own good members,
  so the organisation's book (the quota's cohort) holds in whatever order its branches
  decide. 5,719 − 211 = 5,508.
- Branches. 20 branches, spread over 5 communes, are appraised "completed" by their
  commune's committee; the rest "good", and in about 40% of the organisations the branch
  with the most members good "excellent" where the quota allows it (5 with the default
  seed: only organisations of at least six branches have room). 341 − 20 = 321.
- Organisations. Those 5 communes are appraised "completed" by the district; of the other
  53, the 6 with the largest share of members good or better "excellent" (within the
  district's quota), the rest "good". 58 − 5 = 53.

Everything random comes from one seeded generator (and generators derived from the seed and a
unit id where branches run concurrently), so a seed always gives the same district. The plan
is checked against the figures and every quota before anything is sent (`PlanError`); while
running, the generator waits where the next step depends on events having flowed through
NATS: the attendance rosters before the meetings, the rating service's members before its
first appraisal, and its read models, to the last report and mark, before the first
decision. Branches are entered concurrently, each in its own order (month by month, then the
year's end), so the three services work side by side.

The pieces are shared with the other generated districts (`chibo_tools.districts.dinh_lap`):
`api` (calls, phases, polling), `rules` (what is read of the rule set), `district` (the
plan's shape and its building blocks), `enter` (the phases), `cli` (the command line).

Run against running services (fresh ones: the district must not exist yet), signed in as
a whole-province administrator (--token, or $CHIBO_TOKEN, or the embedded stack's
$CHIBO_TOKEN_PROVINCE_ADMIN, or a token it signs with $CHIBO_AUTH_SHARED_SECRET):

    python -m chibo_tools.districts.van_ban --assignment http://127.0.0.1:8101 \\
        --attendance http://127.0.0.1:8102 --rating http://127.0.0.1:8103
"""

from .api import GeneratorError, PlanError
from .generate import generate
from .plan import DEFAULTS, VanBanParameters, plan_district
from .rules import YearRules

__all__ = [
    "DEFAULTS",
    "GeneratorError",
    "PlanError",
    "VanBanParameters",
    "YearRules",
    "generate",
    "plan_district",
]
