# syntax=docker/dockerfile:1
# One image for the three services and the web app: the command picks which
# (chibo-assignment|chibo-attendance|chibo-rating serve|migrate, chibo-web serve). They share
# the kernel and one lock file, so one image means one build, one scan and one set of layers.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG NODE_IMAGE=node:22-bookworm-slim

# --- assets: the web app's htmx, from npm by its lock file (not axe-core, a test tool) ----
FROM ${NODE_IMAGE} AS assets
WORKDIR /assets
COPY services/web/assets/package.json services/web/assets/package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# --- build: the locked, non-editable virtualenv, without dev tools ---------------------
FROM ${PYTHON_IMAGE} AS build
ENV UV_LINK_MODE=copy \
    UV_COMPILE_BYTECODE=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
# The same uv the ./chibo script pins.
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /src
# Dependencies first, from the lock only: this layer survives code changes.
COPY pyproject.toml uv.lock ./
COPY shared/kernel/pyproject.toml shared/kernel/
COPY shared/chassis/pyproject.toml shared/chassis/
COPY shared/contracts/pyproject.toml shared/contracts/
COPY services/assignment/pyproject.toml services/assignment/
COPY services/attendance/pyproject.toml services/attendance/
COPY services/rating/pyproject.toml services/rating/
COPY services/web/pyproject.toml services/web/
# The developer tools are a workspace member the lock names; only their manifest is needed.
COPY tools/pyproject.toml tools/
RUN uv sync --locked --no-dev --no-install-workspace
COPY shared shared
COPY services services
RUN uv sync --locked --no-dev --no-editable
# Into the virtualenv, where the installed app looks for them (web.bootstrap.VENDOR): the
# runtime stage takes nothing else.
COPY --from=assets /assets/node_modules /tmp/node_modules
RUN /app/.venv/bin/python -c "import shutil, web.bootstrap as app; shutil.copytree('/tmp/node_modules', app.VENDOR)"

# --- runtime: the virtualenv on a bare Python, as a non-root user -----------------------
FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 chibo \
 && useradd --system --uid 10001 --gid chibo --no-create-home --shell /usr/sbin/nologin chibo
COPY --from=build /app/.venv /app/.venv
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    CHIBO_HTTP_HOST=0.0.0.0
USER 10001:10001
WORKDIR /app
EXPOSE 8100 8101 8102 8103
# Ready means database and NATS answer; compose and Docker restart on failure.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-m", "chibo_chassis.healthcheck"]
# SIGTERM stops taking requests, lets consumers finish their batch, drains NATS and
# closes the pool (grace 20 s; give the container at least 30 s to stop).
STOPSIGNAL SIGTERM
CMD ["chibo-assignment", "serve"]
