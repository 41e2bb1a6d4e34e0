"""What every service's domain is built from: the aggregate base and the repository that
loads aggregates from their events and saves a command's changes in one append."""

from .aggregate import Aggregate
from .message import Message
from .repository import Repository, Saved

__all__ = ["Aggregate", "Message", "Repository", "Saved"]
