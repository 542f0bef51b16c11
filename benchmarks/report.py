"""Turn the measured numbers into benchmarks/RESULTS.md and benchmarks/results.png."""

import math
from pathlib import Path
from typing import Any

# The targets of issue 6, checked against the numbers of this run.
from .budgets import (
    CART_VIEW_MAX_QUERIES,
    COMPLETE_MAX_EXTRA_QUERIES,
    COPY_HTTP_MAX_QUERIES,
    COPY_MAX_QUERIES,
    COPY_MIN_SPEEDUP_AT_50,
    LIST_MAX_TIME_RATIO,
    REFUSAL_MAX_QUERIES,
    REFUSAL_MAX_TIME_RATIO,
    START_MAX_QUERIES,
    STOREFRONT_MAX_TIME_RATIO,
)

# Item 5's documents, as the report names them.
HOSTILE_LABELS = {
    "fragment_fan_out": "2^20 fragment fan-out",
    "hidden_code_lookups": "250 cartByCode lookups in fragments",
    "deep_nesting": "50 levels of nesting",
    "parser_exhausting_nesting": "700 levels of nesting (parser's recursion)",
}

HERE = Path(__file__).resolve().parent


def _shoppers_alone_section(load: dict) -> list[str]:
    """The same shoppers' traffic alone, the plugin active and inactive."""
    alone = load.get("shoppers_alone")
    if not alone:
        return []
    on, off, ratio = alone["active"], alone["inactive"], load["plugin_ratio"]
    out = [
        "",
        "The same shoppers' traffic alone (no CSRs), on the same server, with "
        "the plugin active and then inactive (the switch on the Plugins page):",
        "",
        "| | Requests/s | Orders | Errors | Lost or duplicated lines |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, run in (("plugin active", on), ("plugin inactive", off)):
        out.append(
            f"| {label} | {run['throughput_rps']:.1f} | {run['orders']}/"
            f"{run['orders_planned']} | {run['errors']} | "
            f"{len(run['check']['problems'])} |"
        )
    out += [
        f"| active / inactive | {ratio['throughput']:.2f}x | | | |",
        "",
        "| Operation | p50 ms active | p50 ms inactive | p50 ratio "
        "| p95 ms active | p95 ms inactive | p95 ratio |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for op, r in sorted(ratio["operations"].items()):
        a, b = on["operations"][op], off["operations"][op]
        out.append(
            f"| {op} | {_ms(a['p50_ms'])} | {_ms(b['p50_ms'])} | {r['p50']:.2f}x "
            f"| {_ms(a['p95_ms'])} | {_ms(b['p95_ms'])} | {r['p95']:.2f}x |"
        )
    return out


def _ms(value: float) -> str:
    return "–" if value is None or math.isnan(value) else f"{value:.1f}"


def _mark(ok: bool) -> str:
    return "met" if ok else "**missed**"


def targets(results: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(target, measured, met) for every target the run covers."""
    rows: list[tuple[str, str, bool]] = []
    copy = results.get("copy")
    if copy:
        counts = [row["copy_http"]["queries"] for row in copy]
        domain = [row["copy_domain"]["queries"] for row in copy]
        rows.append(
            (
                "Copy queries constant in lines (HTTP mutation)",
                " / ".join(str(c) for c in counts),
                len(set(counts)) == 1,
            )
        )
        rows.append(
            (
                "Copy queries constant in lines (domain function)",
                " / ".join(str(c) for c in domain),
                len(set(domain)) == 1,
            )
        )
        largest = copy[-1]
        rows.append(
            (
                # The copy itself; the HTTP request adds authentication, the
                # channel check, Saleor's plugin dispatch and the answer.
                f"Copy ≤ {COPY_MAX_QUERIES} queries at {largest['lines']} lines "
                "(domain function; HTTP mutation for reference)",
                f"{largest['copy_domain']['queries']} "
                f"(HTTP: {largest['copy_http']['queries']})",
                largest["copy_domain"]["queries"] <= COPY_MAX_QUERIES,
            )
        )
        at_50 = next((row for row in copy if row["lines"] == 50), None)
        if at_50:
            speedup = (
                at_50["order_lines_create"]["median_ms"]
                / at_50["copy_http"]["median_ms"]
            )
            rows.append(
                (
                    f"Copy ≥ {COPY_MIN_SPEEDUP_AT_50:.0f}× faster than orderLinesCreate "
                    "at 50 lines",
                    f"{speedup:.2f}×",
                    speedup >= COPY_MIN_SPEEDUP_AT_50,
                )
            )
    promotion = results.get("copy_promotion")
    if promotion:
        for label, key in (
            ("HTTP mutation", "copy_http"),
            ("domain function", "copy_domain"),
        ):
            counts = [row[key]["queries"] for row in promotion]
            rows.append(
                (
                    f"Copy queries constant in lines under a promotion ({label})",
                    " / ".join(str(c) for c in counts),
                    len(set(counts)) == 1,
                )
            )
    storefront = results.get("storefront")
    if storefront:
        for op in ("checkoutLinesAdd", "checkoutLinesUpdate"):
            delta = storefront[op]["query_delta"]
            rows.append((f"No extra query on {op}", f"{delta:+d}", delta <= 0))
        delta = storefront["checkoutComplete"]["query_delta"]
        rows.append(
            (
                f"≤ {COMPLETE_MAX_EXTRA_QUERIES} extra queries on checkoutComplete",
                f"{delta:+d}",
                delta <= COMPLETE_MAX_EXTRA_QUERIES,
            )
        )
        for op, data in storefront.items():
            rows.append(
                (
                    f"{op} time ratio ≤ {STOREFRONT_MAX_TIME_RATIO}",
                    f"{data['time_ratio']:.3f}",
                    data["time_ratio"] <= STOREFRONT_MAX_TIME_RATIO,
                )
            )
    screen = results.get("screen")
    if screen:
        for op in ("takeoverStart", "cartView"):
            counts = [row[op]["queries"] for row in screen]
            rows.append(
                (
                    f"{op} queries constant in lines",
                    " / ".join(str(c) for c in counts),
                    len(set(counts)) == 1,
                )
            )
        worst = max(row["cartView"]["queries"] for row in screen)
        rows.append(
            (
                f"Cart view ≤ {CART_VIEW_MAX_QUERIES} queries",
                str(worst),
                worst <= CART_VIEW_MAX_QUERIES,
            )
        )
        worst = max(row["takeoverStart"]["queries"] for row in screen)
        rows.append(
            (
                f"takeoverStart ≤ {START_MAX_QUERIES} queries",
                str(worst),
                worst <= START_MAX_QUERIES,
            )
        )
    if copy:
        worst = max(row["copy_http"]["queries"] for row in copy)
        rows.append(
            (
                f"takeoverCopyToDraft (HTTP) ≤ {COPY_HTTP_MAX_QUERIES} queries "
                "(issue 21's goal: 18)",
                str(worst),
                worst <= COPY_HTTP_MAX_QUERIES,
            )
        )
    lists = results.get("lists")
    if lists and len(lists["sizes"]) > 1:
        first, last = lists["sizes"][0], lists["sizes"][-1]
        ratios = {
            name: last["calls"][name]["median_ms"] / call["median_ms"]
            for name, call in first["calls"].items()
        }
        name, worst_ratio = max(ratios.items(), key=lambda item: item[1])
        rows.append(
            (
                f"Lists: {last['sessions']:,} sessions within "
                f"{LIST_MAX_TIME_RATIO}× the time of {first['sessions']:,}",
                f"worst {worst_ratio:.2f}× ({name})",
                worst_ratio <= LIST_MAX_TIME_RATIO,
            )
        )
        scans = [
            name
            for name, call in last["calls"].items()
            for plan in call["plan"]
            if "Seq Scan on saleor_cart_takeover_takeoversession" in plan
        ]
        rows.append(
            (
                "Lists: no sequential scan of the sessions table",
                ", ".join(scans) or "none",
                not scans,
            )
        )
    load = results.get("load")
    if load:
        rows.append(
            ("Under load: zero errors", str(load["errors"]), load["errors"] == 0)
        )
        problems = len(load["check"]["problems"])
        rows.append(
            (
                "Under load: zero lost or duplicated lines",
                f"{problems} problems in {load['check']['drafts_checked']} drafts "
                f"and {load['check']['orders_checked']} orders",
                problems == 0
                and load["check"]["drafts_checked"] == load["copies_planned"]
                and load["check"]["orders_checked"] == load["orders_planned"],
            )
        )
    hostile = results.get("hostile")
    if hostile:
        for key, data in hostile["documents"].items():
            label = HOSTILE_LABELS.get(key, key)
            rows.append(
                (
                    f"{label}: refused, 400 QueryTooComplex, on every call",
                    f"{data['refused_calls']}/{data['calls']}",
                    data["calls"] > 0 and data["refused_calls"] == data["calls"],
                )
            )
            rows.append(
                (
                    f"{label}: refusal ≤ {REFUSAL_MAX_QUERIES} SQL query "
                    "(Saleor routing to the plugin; no authentication)",
                    str(data["queries"]),
                    data["queries"] is not None
                    and data["queries"] <= REFUSAL_MAX_QUERIES,
                )
            )
            rows.append(
                (
                    f"{label}: refusal ≤ {REFUSAL_MAX_TIME_RATIO}× "
                    "`{ viewer { email } }`'s time",
                    f"{data['time_ratio']:.2f}×",
                    data["time_ratio"] <= REFUSAL_MAX_TIME_RATIO,
                )
            )
    return rows


def _copy_table(rows: list[dict[str, Any]]) -> list[str]:
    out = [
        "| Lines | Copy queries (HTTP) | Copy queries (domain) | "
        "orderLinesCreate queries | Copy ms (HTTP) | Copy ms (domain) | "
        "orderLinesCreate ms | Speed-up | Query ratio |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        http, domain, saleor = (
            row["copy_http"],
            row["copy_domain"],
            row["order_lines_create"],
        )
        out.append(
            f"| {row['lines']} | {http['queries']} | {domain['queries']} | "
            f"{saleor['queries']} | {_ms(http['median_ms'])} | "
            f"{_ms(domain['median_ms'])} | {_ms(saleor['median_ms'])} | "
            f"{saleor['median_ms'] / http['median_ms']:.2f}× | "
            f"{saleor['queries'] / http['queries']:.1f}× |"
        )
    return out


def markdown(results: dict[str, Any], chart: bool = True) -> str:
    meta = results["meta"]
    out = [
        "# Benchmark results",
        "",
        f"Measured {meta['finished']} at commit `{meta.get('commit', '?')}` on "
        f"{meta['machine']}, Saleor {meta['saleor']}, "
        f"PostgreSQL {meta['postgres']}; median of {meta['reps']} timed repetitions "
        "after one warm-up (which also counts the queries). Regenerate with "
        "`$SALEOR_VENV/bin/python -m benchmarks` (see `benchmarks/README.md`).",
        "",
        *_carried_over(meta),
        "![Benchmark chart](results.png)"
        if chart
        else "No chart: matplotlib was not installed (the `bench` extra).",
        "",
        "## Targets",
        "",
        "| Target | Measured | |",
        "|---|---|---|",
    ]
    out += [f"| {t} | {m} | {_mark(ok)} |" for t, m, ok in targets(results)]
    if results.get("copy"):
        out += [
            "",
            "## 1. Add Items to Order vs Saleor's `orderLinesCreate`",
            "",
            "Same lines (quantity 2 each) into an equal, empty draft. *HTTP* is the "
            "whole `takeoverCopyToDraft` request through Django; *domain* is "
            "`draft_copy.copy_cart_to_draft` alone. Speed-up and query ratio are "
            "orderLinesCreate ÷ copy (HTTP).",
            "",
            *_copy_table(results["copy"]),
        ]
    if results.get("copy_promotion"):
        out += [
            "",
            "### 1b. The same under a catalogue promotion",
            "",
            "A 10 % catalogue promotion on every variant in the cart: the copy then "
            "prices its lines through Saleor's own repricing "
            "(`refresh_order_base_prices_and_discounts`), as it does for any "
            "promotion, voucher or manual discount.",
            "",
            *_copy_table(results["copy_promotion"]),
        ]
    storefront = results.get("storefront")
    if storefront:
        out += [
            "",
            "## 2. What the storefront pays",
            "",
            "Saleor's own mutations on a 3-line cart, with the plugin active and "
            "inactive (Plugins page switch), alternating; median of "
            f"{_meta_of(results, 'storefront').get('storefront_reps', meta['reps'])} "
            "repetitions. The time "
            "ratio is the median of the per-round ratios active/inactive (each "
            "round runs both back to back, so machine noise cancels out). The CPU "
            "time ratio compares the Django process's own CPU time per request "
            "(PostgreSQL's share excluded), which a busy machine disturbs far less "
            "than wall time.",
            "",
            "| Mutation | Queries active | Queries inactive | Delta | ms active | "
            "ms inactive | Time ratio | Ratio of medians | Ratio of minimums | "
            "CPU time ratio |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for op, data in storefront.items():
            on, off = data["active"], data["inactive"]
            out.append(
                f"| {op} | {on['queries']} | {off['queries']} "
                f"| {data['query_delta']:+d} | {_ms(on['median_ms'])} | "
                f"{_ms(off['median_ms'])} | {data['time_ratio']:.3f} | "
                f"{on['median_ms'] / off['median_ms']:.3f} | "
                f"{min(on['ms']) / min(off['ms']):.3f} | "
                f"{data.get('cpu_time_ratio', float('nan')):.3f} |"
            )
    screen = results.get("screen")
    if screen:
        out += [
            "",
            "## 3. The CSR's screen",
            "",
            "`takeoverStart` (answering with the session and its cart), the cart "
            "view (`takeoverSession { cart { lines … } }`) and `customerCarts`.",
            "",
            "| Lines | takeoverStart queries | ms | Cart view queries | ms | "
            "customerCarts queries | ms |",
            "|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in screen:
            out.append(
                f"| {row['lines']} | {row['takeoverStart']['queries']} | "
                f"{_ms(row['takeoverStart']['median_ms'])} | "
                f"{row['cartView']['queries']} | {_ms(row['cartView']['median_ms'])} | "
                f"{row['customerCarts']['queries']} | "
                f"{_ms(row['customerCarts']['median_ms'])} |"
            )
    load = results.get("load")
    if load:
        opts = load["options"]
        out += [
            "",
            "## 4. Under load",
            "",
            f"{opts['csrs']} CSRs ({opts['csr_iterations']} takeovers each) and "
            f"{opts['shoppers']} shoppers ({opts['shopper_iterations']} orders each) "
            f"at once against uvicorn ({opts['workers']} workers, "
            f"{'Redis' if load.get('cache') == 'redis' else 'the default'} as "
            "Saleor's cache, at most "
            f"{opts.get('in_flight', '?')} requests in flight each; peak "
            f"{load.get('peak_db_connections', '?')} database connections) on "
            "127.0.0.1: "
            f"{load['requests']} requests in {load['elapsed_s']:.1f} s = "
            f"**{load['throughput_rps']:.1f} requests/s**; "
            f"{load['copies']}/{load['copies_planned']} copies and "
            f"{load['orders']}/{load['orders_planned']} orders done; "
            f"**{load['errors']} errors**; line check: "
            f"**{len(load['check']['problems'])} lost or duplicated lines** in "
            f"{load['check']['drafts_checked']} drafts and "
            f"{load['check']['orders_checked']} orders.",
            "",
            "Every client sends its next request as soon as the previous one "
            "returns (a closed loop without think time), so with 70 clients and "
            f"{opts['workers'] * opts.get('in_flight', 1)} requests served at a time "
            "the latencies below are mostly waiting for a free slot: they show how "
            "the load is shared, the throughput shows the server's capacity.",
            "",
            "| Operation | Requests | Errors | p50 ms | p95 ms | max ms |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for op, data in sorted(load["operations"].items()):
            out.append(
                f"| {op} | {data['count']} | {data['errors']} | {_ms(data['p50_ms'])} "
                f"| {_ms(data['p95_ms'])} | {_ms(data['max_ms'])} |"
            )
        if load["error_samples"]:
            out += ["", "First errors:", ""]
            out += [f"- `{e}`" for e in load["error_samples"]]
        if load["check"]["problems"]:
            out += ["", "Line problems:", ""]
            out += [f"- {p}" for p in load["check"]["problems"][:10]]
        out += _shoppers_alone_section(load)
    hostile = results.get("hostile")
    if hostile:
        base = hostile["baseline"]
        out += [
            "",
            "## 5. Hostile documents",
            "",
            "Documents built to exhaust the plugin's endpoint, each sent with a "
            "rep's token, against the smallest real request with the same token, "
            "`{ viewer { email } }`, alternating; median of "
            f"{_meta_of(results, 'hostile').get('hostile_reps', '?')} repetitions. "
            "Each must be refused with 400 `QueryTooComplex` on every call "
            "(*Refused* counts the calls, warm-up and query-counting round "
            "included); the ratios are the medians of the per-round ratios to the "
            "baseline, wall time and the Django process's CPU time.",
            "",
            "| Document | Bytes | Refused | Answer | Queries | ms | × baseline | "
            "× baseline (CPU) |",
            "|---|---:|---:|---|---:|---:|---:|---:|",
            f"| Baseline: `{{ viewer {{ email }} }}` | 20 | – | 200 | "
            f"{base['queries']} | {base['median_ms']:.2f} | 1 | 1 |",
        ]
        for key, data in hostile["documents"].items():
            answers = "; ".join(
                f"{o['status']} {', '.join(o['codes'])}: {o['message']}"
                for o in data["outcomes"]
            )
            out.append(
                f"| {HOSTILE_LABELS.get(key, key)} | {data['bytes']} | "
                f"{data['refused_calls']}/{data['calls']} | {answers} | "
                f"{data['queries']} | {data['median_ms']:.2f} | "
                f"{data['time_ratio']:.2f}× | {data['cpu_time_ratio']:.2f}× |"
            )
    out += _paths_section(results.get("storefront_paths"))
    out += _lists_section(results.get("lists"))
    out += ["", f"Noise note: {meta['note']}", ""]
    return "\n".join(out)


def _paths_section(paths: dict[str, Any] | None) -> list[str]:
    if not paths:
        return []
    base = paths["baselines"]
    out = [
        "",
        "## 7. The storefront's calls to the plugin",
        "",
        "`pickupContactsUpdate` (no token, as a storefront sends it) on a "
        "shopper's 3-line cart and `takeoverConsentAnswer` (the signed-in shopper "
        "accepting a rep's request for another of their carts), each round next "
        "to Saleor's `checkoutLinesAdd` (a 4th line) and the cart's "
        "`checkoutComplete`; the ratios are medians of the per-round ratios.",
        "",
        "| Call | Queries | ms | × checkoutLinesAdd | × checkoutComplete |",
        "|---|---:|---:|---:|---:|",
    ]
    for name in ("checkoutLinesAdd", "checkoutComplete"):
        data = base[name]
        out.append(
            f"| Saleor: `{name}` | {data['queries']} | {_ms(data['median_ms'])} "
            "| – | – |"
        )
    for name, data in paths["operations"].items():
        out.append(
            f"| Plugin: `{name}` | {data['queries']} | {_ms(data['median_ms'])} | "
            f"{data['ratio_to_lines_add']:.2f}× | {data['ratio_to_complete']:.2f}× |"
        )
    return out


def _lists_section(lists: dict[str, Any] | None) -> list[str]:
    if not lists:
        return []
    sizes = lists["sizes"]
    out = [
        "",
        "## 6. Lists that do not grow with history",
        "",
        f"The same {lists['open_sessions']} open sessions and "
        f"{lists['month_sessions']} sessions in the reported month at every size; "
        "only the closed sessions before that month grow (bulk-inserted, then "
        "`ANALYZE`). Each call goes through the plugin's endpoint; *found* is the "
        "sessions listed (the report: sessions counted).",
        "",
        "| Call | "
        + " | ".join(
            f"{row['sessions']:,} sessions: queries | ms | found" for row in sizes
        )
        + " | ms ratio |",
        "|---|" + "---:|---:|---:|" * len(sizes) + "---:|",
    ]
    for name in sizes[0]["calls"]:
        cells = []
        for row in sizes:
            call = row["calls"][name]
            cells.append(
                f"{call['queries']} | {_ms(call['median_ms'])} | {call['answer']}"
            )
        first, last = sizes[0]["calls"][name], sizes[-1]["calls"][name]
        out.append(
            f"| `{name}` | "
            + " | ".join(cells)
            + f" | {last['median_ms'] / first['median_ms']:.2f}× |"
        )
    largest = sizes[-1]
    out += [
        "",
        f"Plans at {largest['sessions']:,} sessions (`EXPLAIN (ANALYZE, COSTS OFF, "
        "TIMING OFF)` of each statement that reads the sessions table):",
        "",
    ]
    for name, call in largest["calls"].items():
        if "first 100" in name:
            continue
        for plan in call["plan"]:
            out += [f"`{name}`:", "", "```", plan, "```", ""]
    return out


def _carried_over(meta: dict[str, Any]) -> list[str]:
    carried = meta.get("carried_over")
    if not carried:
        return []
    return [
        "Sections carried over from earlier runs (this run measured only the "
        "others, `--only`):",
        "",
        *(
            f"- `{key}`: measured {earlier.get('finished', '?')} at commit "
            f"`{earlier.get('commit', '?')}`, median of "
            f"{earlier.get('reps', '?')} repetitions"
            for key, earlier in carried.items()
        ),
        "",
    ]


def _meta_of(results: dict[str, Any], key: str) -> dict[str, Any]:
    """The details of the run that measured `key` (see `--only`)."""
    meta = results["meta"]
    return meta.get("carried_over", {}).get(key) or meta


def chart(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    hostile = results.get("hostile")
    # A third row only for item 5, so that older results draw as before.
    fig, axes = plt.subplots(
        3 if hostile else 2, 2, figsize=(13, 13.5 if hostile else 9), squeeze=False
    )
    copy = results.get("copy") or []
    promotion = results.get("copy_promotion") or []
    if copy:
        lines = [row["lines"] for row in copy]
        series = (
            ("takeoverCopyToDraft (HTTP)", "copy_http", "tab:blue"),
            ("copy_cart_to_draft (domain)", "copy_domain", "tab:cyan"),
            ("Saleor orderLinesCreate", "order_lines_create", "tab:red"),
        )
        ax = axes[0][0]
        for label, key, colour in series:
            ax.plot(
                lines,
                [r[key]["queries"] for r in copy],
                "o-",
                label=label,
                color=colour,
            )
            if promotion:
                ax.plot(
                    [r["lines"] for r in promotion],
                    [r[key]["queries"] for r in promotion],
                    "x--",
                    label=f"{label}, promotion",
                    color=colour,
                    alpha=0.6,
                )
        ax.axhline(
            COPY_MAX_QUERIES,
            ls="--",
            color="grey",
            lw=1,
            label=f"target ≤ {COPY_MAX_QUERIES}",
        )
        ax.set(
            xscale="log",
            yscale="log",
            xlabel="cart lines",
            ylabel="SQL queries",
            title="1. Add Items to Order: SQL queries",
        )
        ax.set_xticks(lines, [str(n) for n in lines])
        ax.legend(fontsize=7)
        ax = axes[0][1]
        for label, key, colour in series:
            ax.plot(
                lines,
                [r[key]["median_ms"] for r in copy],
                "o-",
                label=label,
                color=colour,
            )
            if promotion:
                ax.plot(
                    [r["lines"] for r in promotion],
                    [r[key]["median_ms"] for r in promotion],
                    "x--",
                    label=f"{label}, promotion",
                    color=colour,
                    alpha=0.6,
                )
        ax.set(
            xscale="log",
            yscale="log",
            xlabel="cart lines",
            ylabel="median ms",
            title="1. Add Items to Order: wall time",
        )
        ax.set_xticks(lines, [str(n) for n in lines])
        ax.legend(fontsize=7)
    storefront = results.get("storefront")
    ax = axes[1][0]
    if storefront:
        ops = list(storefront)
        x = range(len(ops))
        on = [storefront[o]["active"]["median_ms"] for o in ops]
        off = [storefront[o]["inactive"]["median_ms"] for o in ops]
        ax.bar(
            [i - 0.2 for i in x], off, 0.4, label="plugin inactive", color="tab:grey"
        )
        ax.bar([i + 0.2 for i in x], on, 0.4, label="plugin active", color="tab:green")
        for i, op in enumerate(ops):
            data = storefront[op]
            ax.annotate(
                f"×{data['time_ratio']:.2f}\n{data['query_delta']:+d} q",
                (i, max(on[i], off[i])),
                ha="center",
                va="bottom",
                fontsize=8,
            )
        ax.set_xticks(list(x), ops, fontsize=8)
        ax.set_ylim(0, max(on + off) * 1.25)  # room for the annotations
        ax.set(ylabel="median ms", title="2. Storefront: plugin active vs inactive")
        ax.legend(fontsize=8)
    load = results.get("load")
    ax = axes[1][1]
    if load:
        ops = sorted(load["operations"])
        x = range(len(ops))
        ax.barh(
            [i - 0.2 for i in x],
            [load["operations"][o]["p50_ms"] for o in ops],
            0.4,
            label="p50",
            color="tab:blue",
        )
        ax.barh(
            [i + 0.2 for i in x],
            [load["operations"][o]["p95_ms"] for o in ops],
            0.4,
            label="p95",
            color="tab:orange",
        )
        ax.set_yticks(list(x), ops, fontsize=7)
        ax.set(
            xlabel="ms",
            title=f"4. Under load: {load['throughput_rps']:.1f} req/s, "
            f"{load['errors']} errors, {len(load['check']['problems'])} line problems",
        )
        ax.legend(fontsize=8)
    if hostile:
        ax = axes[2][0]
        keys = list(hostile["documents"])
        names = ["viewer (baseline)"] + [HOSTILE_LABELS.get(k, k) for k in keys]
        times = [hostile["baseline"]["median_ms"]] + [
            hostile["documents"][k]["median_ms"] for k in keys
        ]
        ax.barh(
            range(len(names)),
            times,
            color=["tab:grey"] + ["tab:purple"] * len(keys),
        )
        ax.annotate(
            f" {hostile['baseline']['queries']} q, 200",
            (times[0], 0),
            va="center",
            fontsize=7,
        )
        for i, key in enumerate(keys, start=1):
            data = hostile["documents"][key]
            ax.annotate(
                f" ×{data['time_ratio']:.2f}, {data['queries']} q, "
                f"{data['refused_calls']}/{data['calls']} refused",
                (times[i], i),
                va="center",
                fontsize=7,
            )
        ax.set_yticks(range(len(names)), names, fontsize=7)
        ax.invert_yaxis()
        ax.set_xlim(0, max(times) * 1.6)  # room for the annotations
        ax.set(xlabel="median ms", title="5. Refusing hostile documents")
        axes[2][1].axis("off")
    fig.suptitle("saleor-cart-takeover benchmarks", fontsize=13)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
