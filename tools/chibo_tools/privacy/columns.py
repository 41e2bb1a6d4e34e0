"""What each column of each table holds about a person: the one table the inventory keeps by
hand, since a column carries no mark. `COLUMN_CATEGORIES` maps `table.column` to its
category (as in `chibo_kernel.privacy`); the inventory's test fails while the migrations
define a column this table does not classify, or classify one they no longer define.

A table name means the same wherever it appears: the kernel's tables are in every service's
database, and a table rating copies from another service's stream keeps its classes. What
a row says about a person's party life is sensitive (Decree 356/2025 art. 4 cl. 1 b, c, d):
a discipline, a rating, a leave, an absence's reason, a problem raised about a household.
Closed values beside an identifier (a branch, a date, a status) are "not personal" alone;
they are protected with the row."""

from __future__ import annotations

CATEGORY_OF_LETTER = {
    "I": "identifier",
    "P": "personal",
    "S": "sensitive",
    "F": "pseudonymous",  # a fact kept readable for counts
    "N": "not personal",
}

# table, then its columns by category letter; an indented line continues the table above.
_CLASSES = """
events                   I: metadata stream_id | S: data | N: position version event_id event_type
                         recorded_at tx_id
relay_checkpoints        N: name tx_id position event_id published updated_at
consumer_stream_versions I: stream_id | N: consumer version
consumer_positions       N: consumer stream_seq applied updated_at
parked_messages          I: headers stream_id | S: body error | N: id consumer stream_seq subject
                         event_id event_type version reason deliveries parked_at replayed_at
read_model_versions      N: name version events built_at
consumed_read_models     N: name generation state started_at switched_at consumer
idempotency_keys         I: principal | S: body | N: idempotency_key fingerprint status
                         content_type event_ids recorded_at expires_at
event_store_identity     N: one id created_at
relay_quarantine         I: headers | N: id stream stream_seq subject msg_id store found_at
                         purged_at
consumer_waiting         N: consumer stream_seq
consumer_streams         N: consumer stream_created
data_keys                I: subject_id | N: wrapped_key master_key_id created_at destroyed_at
personal_data_reads      I: principal subjects target | N: id read_at role org_scope route purpose
                         correlation_id result_count
retention_runs           N: id service started_at finished_at removed
org_units                N: unit_id kind name parent_id path dissolved_on merged_into active
units                    N: unit_id kind name parent_id path active
members                  I: member_id | P: full_name | F: admission_date | N: branch_id status roles
                         exempt_from exempt_to suspended_from suspended_to temporary_branch_id
                         temporary_from temporary_to left_on
member_cards             I: member_id | P: card_number birth_date
roster_members           I: member_id | P: full_name
roster_periods           I: member_id | N: branch_id membership from_date to_date
roster_standing          I: member_id | N: standing from_date to_date
roster_roles             I: member_id | N: branch_id role since
member_periods           I: member_id | N: branch_id from_date to_date
member_standing          I: member_id | N: standing from_date to_date
temporary_periods        I: member_id | N: home_branch_id host_branch_id from_date to_date
roles                    I: member_id | N: branch_id role since
households               I: household_id | P: label | N: branch_id
plans                    N: plan_id branch_id year min_households max_households resolution_number
                         adopted_on
plan_assignments         I: member_id household_id | N: plan_id out_of_range
released_households      I: member_id household_id | N: plan_id reason
plan_mentors             I: member_id mentor_id | N: plan_id
duties                   I: household_ids | P: name | N: branch_id kind target_id
plan_duties              I: member_id | N: plan_id kind target_id
released_duties          I: member_id | N: plan_id duty reason
assignments              I: member_id | N: plan_id what
followings               I: follower_id | N: year level unit_id
visit_quotas             N: province_id level valid_from meetings_per_year
import_jobs              P: filename report failure_en failure_vi | N: job_id org_path status
                         processed to_write started_at updated_at finished_at
quotas                   N: province_id level valid_from meetings_per_year
reports                  I: member_id | S: evaluation comment | N: branch_id month assignment
                         submitted_on late entered_by
problems                 I: member_id | S: description | N: problem_id branch_id month status
                         raised_on escalated_to closed_on
meetings                 I: chair_id | S: postponements cancel_reason | N: meeting_id branch_id
                         year kind month status scheduled_for place topic extra_reason started_at
                         ended_at minutes_recorded prepared_by_committee recorded
attendance_marks         I: member_id | P: status | S: reason corrections | N: meeting_id
marks                    I: member_id | P: status | N: meeting_id
guest_visits             I: guest_id | N: meeting_id branch_id held_on level within_assignment
disciplines              I: member_id | S: measure rank reason violation_year in_duties
                         self_reported | N: year branch_id decided_on
self_assessments         I: member_id | S: general_points task_points tasks_total tasks_on_time
                         tasks_exceeded shortcomings_fixed level | N: year branch_id
appraisals               I: member_id | S: level note | N: year branch_id
decisions                I: subject_id | S: level proposed_level reasons | N: decided_by
                         subject year cohort_id rule_set decided_on
conclusions              I: member_id | S: kind reason | N: concluded_by year branch_id
                         concluded_on
leaves                   I: member_id | S: kind from_date to_date months | N: year branch_id
unit_appraisals          N: appraised_by unit_id year points level targets_total targets_done
                         targets_exceeded disciplined note
comments                 I: member_id | S: comment | N: year branch_id source from_unit
                         commented_on
cohorts                  N: decided_by unit_id year cohort_id decided_on
removals                 I: member_id | S: months removed reason | N: proposed_by decided_by
                         year branch_id proposed_on decided_on
allowances               N: granted_by cohort_id year granted_on reason
member_ratings           I: member_id | S: rated level score flagged unexcused_months | N: year
                         cell_id
unit_ratings             N: unit_id year kind level score reasons bon_tot disciplined
stale                    N: unit_id year version
catch_up_years           N: year
derived_with             N: rule_book
"""

PURPOSES = {
    "events": "the event store: the source of truth and the outbox (private events too)",
    "relay_checkpoints": "how far the relay has published",
    "consumer_stream_versions": "the last version applied per aggregate",
    "consumer_positions": "a consumer's checkpoint",
    "parked_messages": "messages a consumer could not apply, kept for an operator to replay",
    "read_model_versions": "which projection built the read models",
    "consumed_read_models": "generations of read models fed by other streams",
    "idempotency_keys": "a keyed command's answer, replayed to its repeat within the window",
    "event_store_identity": "the store's own id, named in every message",
    "relay_quarantine": "foreign messages found on the service's stream",
    "consumer_waiting": "deliveries a recreated consumer asked again",
    "consumer_streams": "the stream a checkpoint counts in",
    "data_keys": "each person's data key, wrapped by the master key; a destroyed one is erased",
    "personal_data_reads": "the access log: who read whose personal data, when, why",
    "retention_runs": "each completed run of the retention policy, with its counts",
    "org_units": "the organisation tree",
    "units": "the organisation tree (rating's copy)",
    "members": "each member's name, branch and standing",
    "member_cards": "finding an imported member again by card number (never published)",
    "roster_members": "who attends: names on the attendance sheet",
    "roster_periods": "a member's branch over time",
    "roster_standing": "exempt or suspended periods",
    "roster_roles": "secretaries and committee members",
    "member_periods": "a member's branch over time",
    "member_standing": "exempt or suspended periods",
    "temporary_periods": "temporary attendance elsewhere",
    "roles": "secretaries and committee members",
    "households": "the households a branch follows",
    "plans": "each branch's yearly assignment plan",
    "plan_assignments": "which member follows which household",
    "released_households": "households left without a member, to reassign",
    "plan_mentors": "committee members guiding members",
    "duties": "household groups, routes and tasks",
    "plan_duties": "which member holds which duty",
    "released_duties": "duties left without a member, to reassign",
    "assignments": "what each member was assigned (rating's facts)",
    "followings": "which upper-level member follows which units",
    "visit_quotas": "guest visits each level owes per year",
    "import_jobs": "a member import's progress and report (refused rows, named), on every instance",
    "quotas": "guest visits each level owes per year (rating's copy)",
    "reports": "monthly reports: when, how late, the review",
    "problems": "problems raised in reports, until resolved",
    "meetings": "branch meetings: when, where, how they went",
    "attendance_marks": "who came to each meeting; why someone was absent",
    "marks": "who came to each meeting (rating's facts)",
    "guest_visits": "upper-level members attending branch meetings",
    "disciplines": "discipline that bears on a member's rating",
    "self_assessments": "each member's self-assessment",
    "appraisals": "the branch's appraisal of a member",
    "decisions": "decided levels of members and units",
    "conclusions": "conclusions of degradation or breaches",
    "leaves": "sick and maternity leave",
    "unit_appraisals": "a unit's appraisal",
    "comments": "comments from a host or residence branch",
    "cohorts": "which unit's members are rated together",
    "removals": "proposals and decisions to remove a member (Charter art. 8)",
    "allowances": "a cohort's larger quota of excellent members",
    "member_ratings": "each member's derived rating",
    "unit_ratings": "each unit's derived rating",
    "stale": "units waiting to be derived again",
    "catch_up_years": "years to derive once consumers catch up",
    "derived_with": "the rule book the derivation used",
}


def _parse(table_text: str) -> dict[str, str]:
    rows: list[str] = []
    for line in table_text.strip().splitlines():
        if line.startswith(" "):
            rows[-1] += " " + line.strip()
        else:
            rows.append(line)
    found: dict[str, str] = {}
    for row in rows:
        table, groups = row.split(maxsplit=1)
        for group in groups.split("|"):
            letter, columns = group.strip().split(":", 1)
            for column in columns.split():
                if not column.isidentifier():  # a stray "N:" on a continued line
                    raise ValueError(f"{table}: {column!r} is not a column name")
                found[f"{table}.{column}"] = CATEGORY_OF_LETTER[letter]
    return found


COLUMN_CATEGORIES: dict[str, str] = _parse(_CLASSES)
UNCLASSIFIED = "UNCLASSIFIED"


def category_of_column(table: str, column: str) -> str:
    return COLUMN_CATEGORIES.get(f"{table}.{column}", UNCLASSIFIED)


def purpose_of(table: str) -> str:
    return PURPOSES.get(table, UNCLASSIFIED)
