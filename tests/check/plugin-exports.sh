#!/bin/sh
# plugin-exports.sh PLUGIN NAME...: the plugin's dynamic symbol table
# defines exactly gst_plugin_NAME_get_desc and gst_plugin_NAME_register
# for each NAME: the engines inside it are built with hidden visibility
# (docs/design.md, "Engine and glue").
set -eu
lib=$1
shift
want=$(for n in "$@"; do
  printf 'gst_plugin_%s_get_desc\ngst_plugin_%s_register\n' "$n" "$n"
done | sort)
got=$(nm -D --defined-only "$lib" | awk '{print $3}' | sort)
if [ "$got" != "$want" ]; then
  echo "FAIL: $lib exports:"
  echo "$got"
  echo "expected only:"
  echo "$want"
  exit 1
fi
echo "ok: $lib exports only $(echo $want)"
