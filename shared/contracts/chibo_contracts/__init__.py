"""The published event contracts, one module per owning service.

ARCHITECTURE: "One pydantic model per event, frozen, extra="forbid", defined once in the
shared package". The owning service emits these models; consumers decode with the very same
ones. A published schema never changes in place: a change needs a new `vN` type, and the
committed schemas under docs/events/ are the check (tests/unit/test_documents_are_fresh.py).
"""
