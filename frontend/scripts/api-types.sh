#!/bin/sh
# Generates the frontend's API types from the server's OpenAPI document, made by the app
# itself (no server runs): the types (src/api/schema.gen.ts) and the enums' values as arrays
# (src/api/enums.gen.ts). `api-types.sh` rewrites both; `api-types.sh --check` fails when either
# differs from what the server's models now generate.
set -eu
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
GENERATED="src/api/schema.gen.ts src/api/enums.gen.ts"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The document comes from the repository root, where `backend` imports (PYTHON is relative to it).
(cd .. && "$PYTHON" -c 'import json, sys; from backend.http.app import create_app; json.dump(create_app().openapi(), sys.stdout)') >"$work/openapi.json"
npx --no-install openapi-typescript "$work/openapi.json" --output "$work/schema.gen.ts" --alphabetize --default-non-nullable=false >/dev/null
node scripts/enum-values.mjs "$work/openapi.json" >"$work/enums.gen.ts"

for file in $GENERATED; do
  made="$work/$(basename "$file")"
  if [ "${1:-}" = "--check" ]; then
    if ! diff -u "$file" "$made" >"$work/diff"; then
      cat "$work/diff"
      echo "frontend/$file is out of date with the server's models: run 'make api-types' and commit it." >&2
      exit 1
    fi
  else
    cp "$made" "$file"
  fi
done
