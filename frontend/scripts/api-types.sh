#!/bin/sh
# Generates the frontend's API types from the server's OpenAPI document, made by the app
# itself (no server runs). `api-types.sh` rewrites src/api/schema.gen.ts; `api-types.sh
# --check` fails when that file differs from what the server's models now generate.
set -eu
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
GENERATED=src/api/schema.gen.ts
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The document comes from the repository root, where `backend` imports (PYTHON is relative to it).
(cd .. && "$PYTHON" -c 'import json, sys; from backend.http.app import create_app; json.dump(create_app().openapi(), sys.stdout)') >"$work/openapi.json"
npx --no-install openapi-typescript "$work/openapi.json" --output "$work/schema.gen.ts" --alphabetize --default-non-nullable=false >/dev/null

if [ "${1:-}" = "--check" ]; then
  if ! diff -u "$GENERATED" "$work/schema.gen.ts" >"$work/diff"; then
    cat "$work/diff"
    echo "frontend/$GENERATED is out of date with the server's models: run 'make api-types' and commit it." >&2
    exit 1
  fi
else
  cp "$work/schema.gen.ts" "$GENERATED"
fi
