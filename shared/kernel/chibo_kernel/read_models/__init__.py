"""Read models with one lifecycle: named, versioned, rebuilt while the old ones serve."""

from .consumed import Generation, request_rebuild
from .generations import ConsumedGenerations
from .model import Companion, ConsumedReadModel, GenerationParts, Pending, Source
from .own import AlreadyRebuilding, OwnReadModels, Progress, Rebuilt, rebuild_own
from .swapped import SwappedReadModel
from .versions import built_version, record_version

__all__ = [
    "AlreadyRebuilding",
    "Companion",
    "ConsumedGenerations",
    "ConsumedReadModel",
    "Generation",
    "GenerationParts",
    "OwnReadModels",
    "Pending",
    "Progress",
    "Rebuilt",
    "Source",
    "SwappedReadModel",
    "built_version",
    "rebuild_own",
    "record_version",
    "request_rebuild",
]
