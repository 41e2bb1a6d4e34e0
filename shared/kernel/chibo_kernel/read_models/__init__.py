"""Read models with one lifecycle: named, versioned, rebuilt while the old ones serve."""

from .consumed import ConsumedReadModel, request_rebuild
from .generations import ConsumedGenerations
from .own import AlreadyRebuilding, OwnReadModels, Progress, Rebuilt, rebuild_own
from .versions import built_version, record_version

__all__ = [
    "AlreadyRebuilding",
    "ConsumedGenerations",
    "ConsumedReadModel",
    "OwnReadModels",
    "Progress",
    "Rebuilt",
    "built_version",
    "rebuild_own",
    "record_version",
    "request_rebuild",
]
