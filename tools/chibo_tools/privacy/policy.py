"""What the inventory says of each category and each place a copy lives: the legal basis,
who may read it and how long it is kept. The retention periods are this assessment's
proposals unless a setting is named: the code enforces only those (docs/privacy.md)."""

from __future__ import annotations

from dataclasses import dataclass

from chibo_chassis.auth.policy import GRANTS, Permission


def roles_with(permission: Permission) -> str:
    return ", ".join(f"`{role}`" for role, granted in GRANTS.items() if permission in granted)


@dataclass(frozen=True)
class CategoryPolicy:
    category: str
    meaning: str
    legal_basis: str
    retention: str


CATEGORIES = (
    CategoryPolicy(
        "identifier",
        "points at a person (a member's id, a guest's, the signed-in `sub`), says nothing else",
        "consent per purpose (Law 91/2025 art. 9 cl. 1–4), given when the record is entered",
        "with the record it keys; stays after erasure, pointing at no readable data "
        "(still personal while the member registry maps it to a person)",
    ),
    CategoryPolicy(
        "personal",
        "basic personal data (Decree 356/2025 art. 3): a name, a birth date, a card number",
        "consent per purpose (Law 91/2025 art. 9; Decree 356/2025 art. 6 cl. 1–2)",
        "proposed: until 5 years after the member's record closes, unless the Party's "
        "archive schedule keeps the document longer; then erased by destroying the member's "
        "data key",
    ),
    CategoryPolicy(
        "sensitive",
        "party life, discipline, health, private life (Decree 356/2025 art. 4 cl. 1 b, c, d)",
        "consent per purpose, told the data is sensitive (Law 91/2025 art. 9; Decree "
        "356/2025 art. 6 cl. 4); access limited by role (Decree 356/2025 art. 4 cl. 2)",
        "as personal; free text about households: proposed 2 years after the problem is "
        "resolved (not enforced yet)",
    ),
    CategoryPolicy(
        "pseudonymous",
        "a fact about a member known there only by their id (the date they joined the "
        "Party): personal while the id can be linked to them, kept readable because rosters "
        "and counts are built on it",
        "as personal (Law 91/2025 art. 9); kept after erasure as a fact of the Party's "
        "records, beside an id that then leads to no readable name",
        "with the record it keys; stays after erasure, so counts and past rosters stay true",
    ),
    CategoryPolicy(
        "not personal",
        "names no person (a unit, a plan, a meeting) or a closed value beside an identifier",
        "—",
        "with the record",
    ),
)


@dataclass(frozen=True)
class Place:
    name: str
    holds: str
    readers: str
    retention: str


def places() -> tuple[Place, ...]:
    read = roles_with(Permission.READ)
    audit = roles_with(Permission.AUDIT)
    return (
        Place(
            "event store (`events`, each service's PostgreSQL)",
            "every event, published and private; personal and sensitive fields of private "
            "events encrypted under the member's data key (where the store does so)",
            f"the service itself; operators with database access; the audit route "
            f"(`audit`: {audit}) shows published events' data and only the names of the "
            "fields a private event changed",
            "the record of party work: see the categories; backups 30 days "
            "(`deploy/postgres/cluster.yaml`, `retentionPolicy`)",
        ),
        Place(
            "public stream (NATS JetStream `CHIBO_<SERVICE>`)",
            "published events only: their fields and headers",
            "every service consuming it; every system holding the NATS `subscriber` "
            "credentials (`deploy/nats/accounts.conf`: read-only, every subject)",
            "for ever (limits retention, `StreamSpec.max_age_seconds` = 0 in code); a "
            "subscriber's copy is beyond recall",
        ),
        Place(
            "read models (each service's own tables, rating's `rm_<n>` schemas)",
            "the columns listed below, rebuilt from events",
            f"queries over a subtree (`read`: {read}; the member role reads its own "
            "records only); the service's database role; operators",
            "follow the events they are built from; a rebuild drops the old copy",
        ),
        Place(
            "access log of personal data reads (`personal_data_reads`)",
            "who read whose personal data (member ids, the path asked), when, in which "
            "role, for which purpose",
            f"auditors through `GET /v1/personal-data-reads` (`audit`: {audit}), inside "
            "their subtree; append-only in the database",
            "at least 2 years (a floor the database enforces); older rows deleted only by "
            "`personal_data_reads_expire(keep)`",
        ),
        Place(
            "idempotency keys (`idempotency_keys`)",
            "a command's answer, which may repeat what it recorded",
            "the principal who sent the key, by sending it again",
            "`CHIBO_IDEMPOTENCY_WINDOW_SECONDS` (24 h by default), deleted every 5 minutes",
        ),
        Place(
            "parked messages (`parked_messages`), quarantine (`relay_quarantine`)",
            "a message's body and headers a consumer could not apply",
            "operators (`chibo-<service>` command line)",
            "until an operator replays and deletes them; proposed: 90 days at most",
        ),
        Place(
            "exports (CSV, XLSX downloads)",
            "the columns listed under Exports, and under the web app's Downloads",
            "the roles of each route, below",
            "outside the system once downloaded: the recipient's duty; proposed: deleted "
            "once the meeting or decision it served is over",
        ),
        Place(
            "uploads (member imports, plan sheets)",
            "a sheet of names, card numbers, birth dates, assignments",
            "the import job running as its uploader",
            "a temporary folder, deleted when the import ends (`adapters/uploads.py`)",
        ),
        Place(
            "member import jobs (`import_jobs`, assignment's database)",
            "each job's progress and report: every refused row's line, reason (which may "
            "quote a card number or a date) and the name it gives; never the row itself",
            f"`read` over the subtree of whoever started the job (`GET /v1/imports/{{job}}`: "
            f"{read}), on any instance",
            "`import_jobs.keep_days` (30) after the job was last written, by the daily "
            "retention run (`deploy/retention.toml`)",
        ),
        Place(
            "logs (JSON lines on stdout)",
            "the fields listed under Logs",
            "operators and the province's log platform",
            "set by the log platform (deployment); proposed: 90 days",
        ),
    )
