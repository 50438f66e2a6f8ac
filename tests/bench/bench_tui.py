"""Benchmark of the full-screen program on the large demo ledger (not a test).

    uv run python tests/bench/bench_tui.py [--runs 9] [--db PATH] [--baseline DIR] [--only startup|keys]

``--baseline DIR``: another checkout of the project (the code before a change)
measured in the same run, alternated with this one, with the ratios.

1. Start-up: time from process spawn to the first painted frame (headless,
   100x30), for a bare Textual app with the same widgets (tabs, a line-API
   table, an input, footer, status line) and for 工会台账 on the large ledger,
   alternated in the same run; median and ratio.  Also the time until the
   ledger is loaded and the members are listed.
2. Keystrokes on the large ledger (10,000 members, 2,000 events, 20,000
   visits): search as you type, scrolling and paging.  "work" is what the
   program does for the key (the handler plus drawing every visible row);
   "round trip" is the pilot's press-to-idle time, Textual's frame included.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(os.environ.get("BENCH_ROOT") or Path(__file__).resolve().parents[2])
sys.path.insert(0, str(ROOT))


# ----------------------------------------------------------------- child processes
def child_bare() -> None:
    from textual.app import App
    from textual.containers import Horizontal
    from textual.geometry import Size
    from textual.scroll_view import ScrollView
    from textual.strip import Strip
    from textual.widgets import Footer, Input, Static, TabbedContent, TabPane

    class Lines(ScrollView):
        def on_mount(self) -> None:
            self.virtual_size = Size(60, 100)

        def render_line(self, y: int) -> Strip:
            return Strip.blank(self.size.width)

    class Bare(App):
        def compose(self):
            with TabbedContent():
                with TabPane("首页"):
                    yield Static("正在打开台账…")
                    yield Static("")
                    yield Lines()
                with TabPane("会员"):
                    yield Input()
                    yield Static("")
                    with Horizontal():
                        yield Lines()
                        yield Static("")
                with TabPane("日历"):
                    yield Static("")
                with TabPane("慰问"):
                    yield Static("")
                    yield Lines()
            yield Static("status")
            yield Footer()

        def on_mount(self) -> None:
            self.call_after_refresh(self.first_frame)

        def first_frame(self) -> None:
            print(f"FRAME {time.time():.6f}", flush=True)
            self.exit()

    Bare().run(headless=True, size=(100, 30))


def child_app(db: str, loaded: bool) -> None:
    from domain.config import load_config
    from tui.app import LedgerApp

    class Timed(LedgerApp):
        def on_mount(self) -> None:
            # first in the queue: the frame is painted before either callback runs, and the
            # reading thread the app starts after it would otherwise hold the GIL before the stamp
            self.call_after_refresh(self.first_frame)
            super().on_mount()

        def first_frame(self) -> None:
            print(f"FRAME {time.time():.6f}", flush=True)
            if not loaded:
                self.exit()

        def _loaded(self, finder) -> None:
            super()._loaded(finder)
            self.call_after_refresh(self.shown)

        def shown(self) -> None:
            print(f"LOADED {time.time():.6f}", flush=True)
            self.exit()

    app = Timed(Path(db), config=load_config())
    try:
        app.run(headless=True, size=(100, 30))
    finally:
        if app.ledger is not None:
            app.ledger.close()


def spawn(args: list[str], root: Path = ROOT) -> dict[str, float]:
    t0 = time.time()
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, cwd=root,
                         env={**os.environ, "PYTHONPATH": str(root), "BENCH_ROOT": str(root)}, check=True)
    marks = {}
    for line in out.stdout.split("\n"):
        if line.startswith(("FRAME", "LOADED")):
            name, stamp = line.split()
            marks[name] = float(stamp) - t0
    return marks


def bench_startup(db: Path, runs: int) -> None:
    bare, app, loaded = [], [], []
    spawn(["--child", "bare"]), spawn(["--child", "app", str(db)])  # warm the file cache and .pyc
    for _ in range(runs):
        bare.append(spawn(["--child", "bare"])["FRAME"])
        app.append(spawn(["--child", "app", str(db)])["FRAME"])
    for _ in range(max(3, runs // 3)):
        loaded.append(spawn(["--child", "app", str(db), "--loaded"])["LOADED"])
    mb, ma = statistics.median(bare), statistics.median(app)
    print("start-up to first frame (spawn -> first painted frame, headless 100x30, "
          f"{runs} runs each, alternated)")
    print(f"  bare Textual app, same widgets: median {mb * 1000:6.0f} ms  (min {min(bare) * 1000:.0f}, "
          f"max {max(bare) * 1000:.0f})")
    print(f"  工会台账, large ledger:          median {ma * 1000:6.0f} ms  (min {min(app) * 1000:.0f}, "
          f"max {max(app) * 1000:.0f})")
    print(f"  ratio {ma / mb:.2f} (must be <= 1.30)")
    print(f"  ledger read, indexed and members listed: median {statistics.median(loaded) * 1000:.0f} ms "
          "after spawn (in a worker; keys work meanwhile)")


def make_db(root: Path, path: Path) -> Path:
    """The large demo ledger as ``root``'s own code writes it (file formats may differ)."""
    code = f"from domain.demo import make_demo_ledger; make_demo_ledger({str(path)!r}, large=True)"
    subprocess.run([sys.executable, "-c", code], cwd=root, env={**os.environ, "PYTHONPATH": str(root)}, check=True)
    return path


def bench_startup_against(dbs: dict[str, Path], runs: int, baseline: Path) -> None:
    """First frame and loaded time of this checkout and ``baseline``, alternated."""
    frames: dict[str, list[float]] = {"this": [], "baseline": []}
    loaded: dict[str, list[float]] = {"this": [], "baseline": []}
    roots = {"this": ROOT, "baseline": baseline}
    for name, root in roots.items():
        spawn(["--child", "app", str(dbs[name])], root)  # warm the file cache and .pyc
    for _ in range(runs):
        for name, root in roots.items():
            frames[name].append(spawn(["--child", "app", str(dbs[name])], root)["FRAME"])
    for _ in range(max(3, runs // 3)):
        for name, root in roots.items():
            loaded[name].append(spawn(["--child", "app", str(dbs[name]), "--loaded"], root)["LOADED"])
    print(f"start-up, this checkout against {baseline} ({runs} runs each, alternated; median ms)")
    for label, data in (("first frame", frames), ("ledger loaded and listed", loaded)):
        this, base = statistics.median(data["this"]), statistics.median(data["baseline"])
        print(f"  {label:26} this {this * 1000:6.0f}   baseline {base * 1000:6.0f}   ratio {this / base:.2f}")


def keys_against(dbs: dict[str, Path], baseline: Path, rounds: int = 2) -> None:
    """The keystroke figures of both checkouts, alternated, each in its own process."""
    import json

    runs: dict[str, list[dict]] = {"this": [], "baseline": []}
    for _ in range(rounds):
        for name, root in (("this", ROOT), ("baseline", baseline)):
            out = subprocess.run([sys.executable, __file__, "--child", "keys", str(dbs[name])], capture_output=True,
                                 text=True, cwd=root, check=True,
                                 env={**os.environ, "PYTHONPATH": str(root), "BENCH_ROOT": str(root)})
            runs[name].append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"\nkeystrokes, this checkout against the baseline ({rounds} alternated runs each; "
          "median of the runs' p50 / p95 work in ms, ratio this/baseline)")
    for row in runs["this"][0]:
        cells = []
        for col, index in (("p50", 0), ("p95", 1)):
            this = statistics.median(r[row][index] for r in runs["this"])
            base = statistics.median(r[row][index] for r in runs["baseline"])
            cells.append(f"{col} {this:6.2f} vs {base:6.2f} ({this / base:4.2f})")
        print(f"  {row:20} " + "   ".join(cells))


# ----------------------------------------------------------------- keystrokes
def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


async def bench_keys(db: Path, as_json: bool = False) -> None:
    import datetime as dt

    from domain.store import Ledger
    from tui.app import LedgerApp
    from tui.table import RecordTable

    ledger = Ledger.open(db)
    app = LedgerApp(ledger=ledger, today=dt.date.today())
    results: dict[str, tuple[list[float], list[float], list[float]]] = {}
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("2")
        members = app.query_one("#members-view")
        table = app.query_one("#member-table", RecordTable)
        search = app.query_one("#member-search")

        def draw() -> None:  # what the compositor asks of the table for one frame
            table._cache.clear()
            for y in range(table.size.height):
                table.render_line(y)

        async def measure(name: str, keys: list[str], work) -> None:
            works, trips, cpus = results.setdefault(name, ([], [], []))
            for key in keys:
                t0, c0 = time.perf_counter(), time.thread_time()
                await pilot.press(key)
                trips.append((time.perf_counter() - t0) * 1000)
                cpus.append((time.thread_time() - c0) * 1000)
                works.append(work())

        def search_work() -> float:  # filtering (timed by the view), the detail pane, one frame of rows
            t0 = time.perf_counter()
            members.show_detail(table.current)
            draw()
            return members.last_work_ms + (time.perf_counter() - t0) * 1000

        def scroll_work_for(action):
            def work() -> float:
                t0 = time.perf_counter()
                action()
                draw()
                return (time.perf_counter() - t0) * 1000
            return work

        search.focus()
        for word in ("zhangsan", "zs", "wangjianguo", "曾", "138", "4101", "lxm"):
            await measure("search (type)", list(word), search_work)
            await measure("search (backspace)", ["backspace"] * len(word), search_work)
        table.focus()
        # scrolling/paging: the key's own handler is re-run by the work function on the same table
        await measure("scroll (down)", ["down"] * 60, scroll_work_for(lambda: table.action_cursor(1)))
        await measure("page (pagedown)", ["pagedown"] * 40, scroll_work_for(lambda: table.action_page(1)))
        await measure("page (pageup)", ["pageup"] * 40, scroll_work_for(lambda: table.action_page(-1)))
        await measure("jump (end/home)", ["end", "home"] * 10, scroll_work_for(lambda: table.action_jump(-1)))
        await pilot.press("4")
        visits = app.query_one("#visit-table", RecordTable)
        table = visits
        await measure("visits page", ["pagedown"] * 30, scroll_work_for(lambda: visits.action_page(1)))
    ledger.close()
    if as_json:
        import json

        print(json.dumps({name: [pct(w, 50), pct(w, 95), pct(c, 50)] for name, (w, _t, c) in results.items()}))
        return
    print(f"\nkeystrokes on {ledger.count('member')} members / {ledger.count('event')} events / "
          f"{ledger.count('visit')} visits (ms; budget 16 ms of work a key)")
    print("  work: the program's handler for the key plus drawing every visible row;")
    print("  cpu: all CPU of the UI thread from press to idle (Textual's compositor and the test pilot included);")
    print("  wall: the pilot's press-to-idle time (includes the pilot's own waits)")
    print(f"  {'':20} {'work p50':>9} {'p95':>7} {'max':>7}  {'cpu p50':>8} {'p95':>7}  {'wall p50':>9} {'p95':>7}")
    for name, (works, trips, cpus) in results.items():
        print(f"  {name:20} {pct(works, 50):9.2f} {pct(works, 95):7.2f} {max(works):7.2f}  "
              f"{pct(cpus, 50):8.2f} {pct(cpus, 95):7.2f}  {pct(trips, 50):9.2f} {pct(trips, 95):7.2f}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", type=Path, help="a large ledger (default: made in a temporary folder)")
    p.add_argument("--runs", type=int, default=9)
    p.add_argument("--baseline", type=Path, help="another checkout to measure in the same run")
    p.add_argument("--only", choices=("startup", "keys"), help="one part of the benchmark")
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--loaded", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child == "bare":
        return child_bare()
    if args.child == "app":
        return child_app(args.rest[0], args.loaded)
    if args.child == "keys":
        return asyncio.run(bench_keys(Path(args.rest[0]), as_json=True))
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            from domain.demo import make_demo_ledger

            db = Path(tmp) / "large.json"
            make_demo_ledger(db, large=True)
        if args.baseline:
            baseline = args.baseline.resolve()
            dbs = {"this": db, "baseline": make_db(baseline, Path(tmp) / "large-baseline.json")}
            if args.only in (None, "startup"):
                bench_startup_against(dbs, args.runs, baseline)
            if args.only in (None, "keys"):
                keys_against(dbs, baseline)
            return
        if args.only in (None, "startup"):
            bench_startup(db, args.runs)
        if args.only in (None, "keys"):
            asyncio.run(bench_keys(db))


if __name__ == "__main__":
    main()
