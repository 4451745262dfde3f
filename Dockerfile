# The base images: the official ones unless a build argument names another (a mirror, a
# pinned digest); empty counts as unset, as compose passes an unset variable on empty.
# deploy/standins/build.sh makes local stand-ins under the official names.
ARG NODE_IMAGE
ARG PYTHON_IMAGE

# Stage 1: build the frontend with Node.
FROM ${NODE_IMAGE:-node:20-slim} AS frontend
WORKDIR /build/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

# Stage 2: a slim Python image runs uvicorn as a non-root user.
FROM ${PYTHON_IMAGE:-python:3.11-slim} AS app
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    WENGERT_HOST=0.0.0.0 \
    WENGERT_PORT=8000 \
    WENGERT_DATA_DIR=/data \
    WENGERT_FRONTEND_DIST=/app/frontend/dist
WORKDIR /app
RUN useradd --create-home --uid 10001 wengert && mkdir /data && chown wengert:wengert /data
COPY pyproject.toml README.md ./
COPY engine/ engine/
COPY backend/ backend/
RUN pip install --no-cache-dir .
COPY --from=frontend /build/frontend/dist /app/frontend/dist
USER wengert
EXPOSE 8000
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=5 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"]
CMD ["python", "-m", "backend"]
