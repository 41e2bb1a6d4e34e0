"""`python -m chibo_chassis.healthcheck`: exit 0 when this container's service is ready.

The image is one for all services and has no curl or wget; the HEALTHCHECK of the
Dockerfile and docker-compose.yml run this instead. The port is the one the service
listens on, CHIBO_HTTP_PORT, which the compose file sets for each service.
"""

from __future__ import annotations

import os
import sys
import urllib.request


def main() -> int:
    port = os.environ.get("CHIBO_HTTP_PORT", "8000")
    url = sys.argv[1] if len(sys.argv) > 1 else f"http://127.0.0.1:{port}/health/ready"
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return 0 if response.status == 200 else 1
    except OSError as exc:  # refused, timed out, or a 503 (HTTPError is an OSError)
        print(f"not ready: {url}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
