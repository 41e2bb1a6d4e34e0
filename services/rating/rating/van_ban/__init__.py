"""A generated Văn Bàn: the district of the seeds, entered year-long through the services.

The seeds report Văn Bàn's rating of 2021 as 58 grassroots organisations (đảng bộ cơ sở),
341 branches and 5,719 members: members "5,508/5,719 (96.3%)" good or better, 321 of the
341 branches and 53 of the 58 organisations. This module builds such a district and enters
a whole year of it through the public HTTP APIs of the assignment, attendance and rating
services, the way the people concerned would:

- the province (LC), the district (VB), 23 communes and the town (đảng bộ xã, thị trấn: the
  Văn Bàn names) and 35 agencies' organisations, each with its branches (ids VB-G01,
  VB-G01-B03, ...); communes have about ten village branches, agencies two to four;
- the 5,719 members as one file of the national member database (CSV), 16 or 17 to a branch,
  all admitted years before 2021; each branch's secretary given the role;
- each branch's households (five per member), its plan for the year and its assignments;
- every member's report every month, on time; every branch's regular monthly meeting with
  its whole attendance sheet;
- after the rating service has projected all of it, the decisions people record: each branch
  decides its members, each organisation its branches, the district its organisations, each
  exactly as proposed (the generator checks every proposal against what it planned first).

Why the figures come out as the seeds' (Quy định 124 with Hướng dẫn 25 rates 2021, by
criteria: `rating/rules/qd124_2024.toml`):

- Members. Good needs ≥ 90% of reports submitted and ≥ 85% of meetings attended; completed
  ≥ 70% of both; excellent also needs ≥ 80% of reports reviewed "good", and no report is
  reviewed, so no member is excellent and the members' quota never binds. Every member
  reports every month, so attendance decides: 211 members are absent (with a reason, so
  Charter art. 8 never applies) from 3 of their branch's 12 meetings, 9/12 = 75% → completed;
  everyone else attends all → good. 5,719 − 211 = 5,508.
- Branches. Good needs ≥ 11 regular meetings and ≥ 80% of members good. The 211 are spread
  at most 3 to a branch of 16-17 (≥ 13/16 = 81% good), so 20 branches that hold only 10
  meetings (two months without one) are the only ones below good → completed (≥ 9
  meetings). 341 − 20 = 321.
- Organisations. Good needs ≥ 80% of branches good and ≥ 80% of members good. The 20
  branches sit 4 each in 5 communes of 10-11 branches (6/10 = 60% < 80%, but ≥ 50% →
  completed); every other organisation has all its branches good. 58 − 5 = 53.
- The quota (excellent ≤ 20% of good in each cohort) binds branches and organisations, since
  people decide as proposed: a branch is proposed excellent when it meets all four "bốn tốt"
  criteria, which needs ≥ 80% of its meetings "of quality" (≥ 90 minutes among others), and
  an organisation when all its branches are good and ≥ 95% of its members. So one branch in
  an organisation of at least six good ones holds every meeting as the policy asks and has no
  completed member; every other branch has 3-5 meetings under 90 minutes (75% of quality at
  best). Of the 53 good organisations, the 8 largest have no completed member (excellent,
  within 20% of the other 45) and each of the other 45 gets just over 5% of its members among
  the 211 (a commune of ~170 members 9, an agency of ~50 members 3), the rest spread over
  them at random. None of this moves a good/not-good boundary above.

Everything random comes from one seeded generator (and generators derived from the seed and a
unit id where branches run concurrently), so a seed always gives the same district. The plan
is checked against those rules before anything is sent (`PlanError` if the parameters cannot
give the figures); while running, the generator waits where the next step depends on events
having flowed through NATS: the attendance rosters before the meetings, and the rating
service's read models, to the last report and mark, before the first proposal.

Run against running services (fresh ones: the district must not exist yet), signed in as
a whole-province administrator (--token, or $CHIBO_TOKEN, or the embedded stack's
$CHIBO_TOKEN_PROVINCE_ADMIN, or a token it signs with $CHIBO_AUTH_SHARED_SECRET):

    python -m rating.van_ban --assignment http://127.0.0.1:8101 \\
        --attendance http://127.0.0.1:8102 --rating http://127.0.0.1:8103
"""

from .enter import generate
from .plan import DEFAULTS, GeneratorError, PlanError, VanBanParameters, plan_district

__all__ = [
    "DEFAULTS",
    "GeneratorError",
    "PlanError",
    "VanBanParameters",
    "generate",
    "plan_district",
]
