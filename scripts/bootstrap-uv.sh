#!/usr/bin/env bash
# Print the path of a working `uv`, installing it first if this machine has none.
# Order: uv on PATH, ~/.local/bin/uv, `pip install --user uv`, else a private venv
# in .tools/ (works on Debian where pip --user is refused by PEP 668).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
for candidate in "$(command -v uv 2>/dev/null || true)" "$HOME/.local/bin/uv" "$here/.tools/bin/uv"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then echo "$candidate"; exit 0; fi
done
if python3 -m pip install --user --quiet uv >&2 2>/dev/null && [ -x "$HOME/.local/bin/uv" ]; then
  echo "$HOME/.local/bin/uv"; exit 0
fi
python3 -m venv "$here/.tools" >&2
"$here/.tools/bin/pip" install --quiet uv >&2
echo "$here/.tools/bin/uv"
