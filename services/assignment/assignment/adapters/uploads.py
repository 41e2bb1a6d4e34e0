"""An uploaded file on disk for as long as it is read: the sheet readers stream from a
path, and the folder goes away afterwards whatever happens."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path


@asynccontextmanager
async def uploaded(content: bytes, name: str, *, prefix: str) -> AsyncIterator[Path]:
    """The content as `name` (what the readers' messages call it) in a folder of its own."""
    folder = Path(await asyncio.to_thread(tempfile.mkdtemp, prefix=prefix))
    try:
        path = folder / name
        await asyncio.to_thread(path.write_bytes, content)
        yield path
    finally:
        await asyncio.to_thread(shutil.rmtree, folder, True)
