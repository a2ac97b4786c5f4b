"""Run the benchmarks and print their figures as one JSON document.

python bench/run.py                 every benchmark
python bench/run.py startup demo    only those whose module name contains a word
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(words: list[str]) -> int:
    """Run the selected benchmarks; print a JSON list of their results."""
    sys.path.insert(0, str(HERE.parent))
    results = []
    for module_path in sorted(HERE.glob("bench_*.py")):
        name = module_path.stem
        if words and not any(word in name for word in words):
            continue
        module = importlib.import_module(f"bench.{name}")
        print(f"running {name} ...", file=sys.stderr)
        results.append(module.run())
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
