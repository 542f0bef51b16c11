"""Run the benchmarks: `$SALEOR_VENV/bin/python -m benchmarks [options]` from the
repository root. See benchmarks/README.md."""

import argparse
import importlib.util
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# `--only` items and the results.json keys each one writes.
ITEMS = {
    "copy": "copy",
    "promotion": "copy_promotion",
    "storefront": "storefront",
    "screen": "screen",
    "load": "load",
    "hostile": "hostile",
    "lists": "lists",
    "paths": "storefront_paths",
}


def log(message: str) -> None:
    print(message, flush=True)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--reps", type=int, default=5, help="timed repetitions")
    parser.add_argument(
        "--storefront-reps",
        type=int,
        default=30,
        help="timed repetitions for the storefront's active/inactive ratio, "
        "which looks for a few per cent and needs more samples than the rest",
    )
    parser.add_argument(
        "--hostile-reps",
        type=int,
        default=30,
        help="timed repetitions for item 5, whose requests take milliseconds and "
        "whose ratios a single busy moment would skew",
    )
    parser.add_argument(
        "--sizes", default="1,10,50,200", help="cart sizes for the copy comparison"
    )
    parser.add_argument(
        "--screen-sizes", default="1,200", help="cart sizes for the CSR's screen"
    )
    parser.add_argument(
        "--only",
        default=",".join(ITEMS),
        help=f"comma-separated subset of: {', '.join(ITEMS)}; the items left out "
        "keep their previous results (from results.json)",
    )
    parser.add_argument("--csrs", type=int, default=20)
    parser.add_argument("--shoppers", type=int, default=50)
    parser.add_argument("--csr-iterations", type=int, default=3)
    parser.add_argument("--shopper-iterations", type=int, default=2)
    parser.add_argument(
        "--deadline", type=float, default=600.0, help="load test wall-clock bound (s)"
    )
    parser.add_argument("--workers", type=int, default=3, help="uvicorn workers")
    parser.add_argument(
        "--no-redis",
        action="store_true",
        help="load test: Saleor's default cache instead of a redis-server of its own",
    )
    parser.add_argument(
        "--in-flight",
        type=int,
        default=4,
        help="requests each uvicorn worker runs at once (bounds DB connections)",
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="only rewrite RESULTS.md and results.png from results.json",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=HERE,
        help="where RESULTS.md, results.png and results.json go",
    )
    return parser.parse_args(argv)


def chart_available() -> bool:
    """Whether results.png can be drawn; said before minutes of work, not after."""
    if importlib.util.find_spec("matplotlib") is not None:
        return True
    log(
        "matplotlib is not installed: RESULTS.md and results.json will be "
        "written, results.png will not. To draw the chart, install the bench "
        "extra first: $SALEOR_VENV/bin/pip install -e '.[bench]' (scripts/setup "
        "does), or just matplotlib."
    )
    return False


def commit() -> str:
    """The commit measured, and whether the tree differed from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],  # noqa: S607
            cwd=HERE.parent,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],  # noqa: S607
            cwd=HERE.parent,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"{head} (with uncommitted changes)" if dirty else head


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = ""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages / 2**30:.0f} GiB RAM"
    except (ValueError, OSError, AttributeError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} CPUs{memory}, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    args.chart = chart_available()
    if args.report_only:
        return write_report(
            json.loads((args.output / "results.json").read_text()), args
        )
    only = {part.strip() for part in args.only.split(",") if part.strip()}
    # The code measured is the code at the start: later commits are not it.
    measured_commit = commit()
    # The run database must exist before Django binds its connections.
    from . import database

    database_url = database.prepare_run_database(log)
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("DATABASE_URL_REPLICA", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    import django

    django.setup()

    from django.db import connection
    from saleor import __version__ as saleor_version

    from . import builders, inprocess, load

    log(f"database {database_url}")
    largest = max(200, *_sizes(args.sizes), *_sizes(args.screen_sizes))
    # Two catalogues of equal size: plain listing prices, and the same under a
    # catalogue promotion (which sends the copy through Saleor's repricing).
    shop = builders.build_shop(variant_count=2 * largest)
    plain, promoted = shop.variants[:largest], shop.variants[largest:]
    if "promotion" in only:
        builders.add_catalogue_promotion(shop, promoted)
    csr = builders.make_csr("bench-csr@example.com")
    bench = inprocess.Bench(shop, csr, log)
    results: dict[str, Any] = {}
    started = time.time()
    if "copy" in only:
        log("1. Add Items to Order vs orderLinesCreate")
        results["copy"] = bench.copy_vs_order_lines_create(
            _sizes(args.sizes), args.reps, plain
        )
    if "promotion" in only:
        log("1b. The same under a 10 % catalogue promotion")
        results["copy_promotion"] = bench.copy_vs_order_lines_create(
            _sizes(args.sizes), args.reps, promoted, " (promotion)"
        )
    if "storefront" in only:
        log("2. What the storefront pays")
        results["storefront"] = bench.storefront(args.storefront_reps)
    if "screen" in only:
        log("3. The CSR's screen")
        results["screen"] = bench.csr_screen(_sizes(args.screen_sizes), args.reps)
    if "load" in only:
        log("4. Under load")
        options = load.Options(
            csrs=args.csrs,
            shoppers=args.shoppers,
            csr_iterations=args.csr_iterations,
            shopper_iterations=args.shopper_iterations,
            deadline_seconds=args.deadline,
            workers=args.workers,
            redis=not args.no_redis,
            in_flight=args.in_flight,
        )
        results["load"] = load.run(shop, database_url, options, log)
    if "hostile" in only:
        log("5. Hostile documents")
        results["hostile"] = bench.hostile_documents(args.hostile_reps)
    if "paths" in only:
        log("7. The storefront's calls to the plugin")
        from . import storefront_paths

        results["storefront_paths"] = storefront_paths.run(
            bench, args.storefront_reps, log
        )
    if "lists" in only:
        log("6. Lists at 10^4 and 10^6 sessions")
        from . import lists

        results["lists"] = lists.run(bench, args.reps, log)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    load_average = os.getloadavg() if hasattr(os, "getloadavg") else None
    results["meta"] = {
        "finished": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "duration_s": time.time() - started,
        "commit": measured_commit,
        "machine": machine(),
        "saleor": saleor_version,
        "postgres": postgres,
        "reps": args.reps,
        "storefront_reps": args.storefront_reps,
        "hostile_reps": args.hostile_reps,
        "note": "load average at the end "
        + (", ".join(f"{v:.2f}" for v in load_average) if load_average else "n/a")
        + ". Query counts are deterministic; times depend on the machine and on "
        "what else runs on it.",
    }
    args.output.mkdir(parents=True, exist_ok=True)
    _carry_over(results, args.output / "results.json")
    (args.output / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    return write_report(results, args)


def write_report(results: dict[str, Any], args: argparse.Namespace) -> int:
    from . import report

    drawn = False
    if args.chart:
        try:
            report.chart(results, args.output / "results.png")
            drawn = True
        except Exception as error:
            # The measurements are done; a chart that cannot be drawn must not
            # cost them.
            log(f"results.png not drawn ({type(error).__name__}: {error})")
    (args.output / "RESULTS.md").write_text(report.markdown(results, chart=drawn))
    log(
        f"wrote {args.output / 'RESULTS.md'}"
        + (f" and {args.output / 'results.png'}" if drawn else "")
    )
    missed = [target for target, _, ok in report.targets(results) if not ok]
    for target in missed:
        log(f"target missed: {target}")
    return 0


def _carry_over(results: dict[str, Any], path: Path) -> None:
    """Keep the previous results of the items this run left out (`--only`), each
    with the details of the run that measured it, so that measuring one item
    does not cost a full run (the load test alone takes minutes)."""
    if not path.exists():
        return
    previous = json.loads(path.read_text())
    earlier = previous.get("meta", {})
    carried = {}
    for key in ITEMS.values():
        if key in results or key not in previous:
            continue
        results[key] = previous[key]
        carried[key] = earlier.get("carried_over", {}).get(key) or {
            k: v for k, v in earlier.items() if k != "carried_over"
        }
    if carried:
        results["meta"]["carried_over"] = carried


def _sizes(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
