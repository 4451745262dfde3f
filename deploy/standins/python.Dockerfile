# Stand-in for python:3.11-slim: Debian bookworm's Python 3.11, with `python` and a `pip`
# that installs into the system like the official image's.
ARG BASE
FROM ${BASE}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        python3 python3-pip python-is-python3 ca-certificates \
    && rm -rf /var/lib/apt/lists/* /usr/lib/python3.11/EXTERNALLY-MANAGED
CMD ["python3"]
