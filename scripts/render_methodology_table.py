"""Print the conversion table of a methodology version as Markdown, for docs/methodology.md.

python scripts/render_methodology_table.py 2004
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ratings import methodology, rules  # noqa: E402

if __name__ == "__main__":
    print(
        methodology.markdown_table(sys.argv[1] if len(sys.argv) > 1 else rules.DEFAULT_METHODOLOGY)
    )
