"""The rating service's events live in the shared contracts package, so consumers decode
with the same models the service emits; the domain refers to them through here."""

from chibo_contracts.rating import REGISTRY

__all__ = ["REGISTRY"]
