"""The composition root: settings → runtime (pool, NATS, own stream, relay) → the consumed
read models and their generations → rule sets → the boundary (the permissions table, the
places it locates, the handlers of the commands and queries) → app, behind sign-in (the
token verifier from the settings; docs/authorization.md)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI

from chibo_chassis.auth import Boundary, verifier_from
from chibo_chassis.http import ReadAudit, audit_handler, create_app
from chibo_chassis.runtime import ServiceRuntime
from chibo_chassis.subject_export import KeyedStore, ReadPersonalData, personal_data_handler
from chibo_kernel.domain import Repository
from chibo_kernel.metrics import KernelMetrics
from chibo_kernel.pool import LeanPool

from .adapters import audit_subjects
from .adapters.metrics import RatingMetrics
from .adapters.own_read_models import OWN_READ_MODELS
from .adapters.personal_data import PERSONAL_DATA
from .adapters.places import Places, ReadModelPlaces
from .adapters.projection import project
from .adapters.rule_files import load_rule_book
from .application import handlers, queries
from .application.deps import Deps, Generations
from .application.read_models import FactsReadModel, ReadModels
from .application.whereabouts import FactWhereabouts, PlacedDeps, Whereabouts
from .domain.events import REGISTRY
from .domain.rule_book import RuleBook
from .entrypoints.http import routers
from .permissions import PERMISSIONS
from .settings import RatingSettings

SERVICE = "rating"
# The read models: the pool they are in (once the service has started) and their generations.
ReadModelsIn = tuple[Callable[[], LeanPool], Generations]


def boundary(
    repository: Repository,
    rules: RuleBook,
    places: Places,
    where: Whereabouts,
    *,
    read_models: ReadModelsIn | None = None,
    store: Callable[[], KeyedStore] | None = None,
) -> Boundary[Places]:
    """The service's commands and queries behind its permissions table, on any store: the
    running service gives it PostgreSQL, the facts for `places` and `where`, its read models
    and (for the audit trail) its store; a test may give it the in-memory store and
    `MemoryFacts` for both: then only the commands that read nothing but where they act are
    wired (the others, and the queries, weigh what only the read models hold)."""
    deps = None
    if read_models is not None:
        pool, generations = read_models
        deps = Deps(repository, pool, generations, rules, rows_for=lambda kind: bus.rows_for(kind))
    wired = handlers.bind(PlacedDeps(repository, rules, where), deps)
    if deps is not None:
        wired |= queries.bind(deps)
        if store is not None:
            audit = PERMISSIONS[ReadAudit].permission
            wired[ReadAudit] = audit_handler(audit_subjects.resolver(deps.pool), store, audit)
            wired[ReadPersonalData] = personal_data_handler(PERSONAL_DATA, store, deps.facts)
    bus = Boundary(PERMISSIONS, lambda: places, wired)
    return bus


def build(settings: RatingSettings) -> tuple[FastAPI, ServiceRuntime, ReadModels]:
    """Raises ConfigurationError when there is no way to verify sign-in tokens."""
    verifier = verifier_from(settings)
    rules = load_rule_book(settings.rules_dir)  # a bad rule file stops start-up here
    metrics = KernelMetrics()
    facts = FactsReadModel(
        lambda: runtime.pool, rules, RatingMetrics(metrics.registry), settings.consumer_batch_size
    )
    runtime = ServiceRuntime(
        SERVICE, settings, metrics=metrics, consumed=[facts], own_read_models=OWN_READ_MODELS
    )
    read_models = ReadModels(runtime, facts)

    def pool() -> LeanPool:
        return runtime.pool

    def schema() -> str:
        return read_models.active_schema

    bus = boundary(
        Repository(lambda: runtime.store, REGISTRY, project=project),
        rules,
        ReadModelPlaces(pool, schema),
        FactWhereabouts(pool, schema),
        read_models=(pool, read_models),
        store=lambda: runtime.store,
    )

    app = create_app(
        title="chibo rating service",
        version="0.1.0",
        description="Year-end rating (đánh giá, xếp loại chất lượng): scorecards from the "
        "assignment and attendance events, rule sets by year, proposals, people's decisions, "
        "roll-ups.",
        metrics=runtime.metrics,
        checks=runtime.checks(),
        verifier=verifier,
        routers=routers(bus),
        lifespan=runtime.lifespan,
        idempotency=lambda: runtime.store,
        access_log=runtime.access_log,
    )
    return app, runtime, read_models
