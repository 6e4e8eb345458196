"""Run every benchmark: ``python -m bench`` (or ``make bench``)."""

from __future__ import annotations

import runpy
from pathlib import Path

from bench import engine_bench, storage_bench, store_bench, webhook_bench

engine_bench.main()
webhook_bench.main([])
store_bench.main()
storage_bench.main()
nlu = Path(__file__).resolve().parent / "nlu_bench.py"
if nlu.exists():
    runpy.run_path(str(nlu), run_name="__main__")
