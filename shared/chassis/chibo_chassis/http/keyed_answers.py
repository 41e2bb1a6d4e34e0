"""A keyed command's answer as the app sent it, held back until its key is recorded, and a
first answer sent again for a repeat."""

from __future__ import annotations

from starlette.types import Message, Receive, Scope, Send

from chibo_kernel.store import Answer

REPLAYED = (b"idempotency-replayed", b"true")


async def read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break  # the client went away: the app sees an empty body and answers nobody
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def replaying(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


class Captured:
    """The app's answer, held back until its key is recorded with its events."""

    def __init__(self) -> None:
        self.status = 500
        self.start: Message = {}
        self.chunks: list[bytes] = []

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status, self.start = message["status"], message
        elif message["type"] == "http.response.body":
            self.chunks.append(message.get("body", b""))

    @property
    def body(self) -> bytes:
        return b"".join(self.chunks)

    def kept(self, fingerprint: str) -> Answer:
        content_type = "application/json"
        for name, value in self.start.get("headers", []):
            if name == b"content-type":
                content_type = value.decode("latin-1")
        return Answer(self.status, self.body, content_type, fingerprint)

    async def forward(self, send: Send) -> None:
        await send(self.start)
        await send({"type": "http.response.body", "body": self.body, "more_body": False})


class Replay:
    def __init__(self, first: Answer) -> None:
        self.first = first

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = [
            (b"content-type", self.first.content_type.encode("latin-1")),
            (b"content-length", str(len(self.first.body)).encode()),
            REPLAYED,
        ]
        await send({"type": "http.response.start", "status": self.first.status, "headers": headers})
        await send({"type": "http.response.body", "body": self.first.body, "more_body": False})
