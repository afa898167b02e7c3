#!/bin/sh
# Removes from a production node_modules (after `npm ci --omit=dev`) what the service never loads:
#
#   - the build leftovers of the native modules compiled from source: object files, dependency
#     files, static libraries, a test-only extension, and the C/C++ sources (better-sqlite3 ships
#     all of SQLite's). Each module keeps its loadable build/Release/*.node (or its prebuilds/);
#   - TypeScript and ts-node, which npm installs because typeorm names ts-node as an optional peer
#     (only typeorm's TypeScript CLI entry points use them; the service runs the compiled dist/).
#
# Used by the image's deps stage and by scripts/production-check.sh, which checks that the modules
# still load afterwards. Usage: scripts/slim-node-modules.sh [node_modules directory]
set -eu

cd "${1:-node_modules}"

for module in better-sqlite3 bcrypt; do
  [ -d "$module" ] || continue
  rm -rf "$module"/build/Release/obj* "$module"/build/Release/.deps "$module"/build/Release/*.a \
    "$module"/build/Release/test_extension.node "$module"/build/deps "$module"/deps "$module"/src
done

rm -rf typescript ts-node .bin/tsc .bin/tsserver .bin/ts-node* .bin/ts-script .bin/typeorm-ts-node-*
