#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scripts/spdx.sh [--check]: put "SPDX-License-Identifier: MIT" on the first
# line of every tracked C, header, shell, Python and CMake file (after a
# shebang). --check only lists the files without it and exits 1 if any.
set -euo pipefail
cd "$(dirname "$0")/.."
tag='SPDX-License-Identifier: MIT'
missing=0
while IFS= read -r f; do
	[ -f "$f" ] || continue
	head -n 3 "$f" | grep -q "$tag" && continue
	if [ "${1:-}" = --check ]; then
		echo "no SPDX header: $f" >&2
		missing=1
		continue
	fi
	case "$f" in
	*.c | *.h) printf '/* %s */\n' "$tag" | cat - "$f" >"$f.spdx" ;;
	*)
		if head -n 1 "$f" | grep -q '^#!'; then
			{ head -n 1 "$f"; printf '# %s\n' "$tag"; tail -n +2 "$f"; } >"$f.spdx"
		else
			printf '# %s\n' "$tag" | cat - "$f" >"$f.spdx"
		fi
		;;
	esac
	chmod --reference="$f" "$f.spdx"
	mv "$f.spdx" "$f"
done < <(git ls-files '*.c' '*.h' '*.sh' '*.py' '*CMakeLists.txt' '*.cmake' '*.cmake.in')
exit "$missing"
