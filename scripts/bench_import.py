#!/usr/bin/env python
"""Benchmark: a salon chain's records imported with `import_data`, against a plain COPY of the same files.

Generates a chain's exports as CSV files — stores, staff (10 beauticians per store), customers
(phones written in mixed styles) and visits (sorted by date, as a till's ledger exports them;
one file per million visits, as a chain exports them per period) — and, in one run on the same
files:

  (a) imports them with `manage.py import_data`, the command a salon uses, a child process per
      file, into a freshly migrated database: the time and peak memory (maximum resident set size,
      from the kernel) of each file;
  (a') imports them again, into another fresh database, with one `import_data` run for all the
      files (`import_data stores s.csv staff t.csv customers c.csv visits v1.csv …`): how a chain
      moving in would run it, one start of the program instead of one per file;
  (b) loads the same files with a plain `COPY … FROM` (psql's \\copy, a child process per file)
      into plain tables of text columns, with no index, constraint or check: what the database
      itself can load;
  (c) copies the customers and visits the import wrote back into tables of the product's own
      columns, with psql, and builds their indexes once after the rows: the least the product's
      tables cost, with no cell read, no check and no last visit brought forward;

and prints them, the ratios (the issue's floor is 5×, the goal 3×) and the peak memory. (c)/(b)
is what no import into these tables can go below; (a')/(c) is what the import adds to it.

    .venv/bin/python scripts/bench_import.py                                # 100,000 customers, 1,000,000 visits
    .venv/bin/python scripts/bench_import.py --full                         # 1,000,000 / 10,000,000 / 200 stores
    .venv/bin/python scripts/bench_import.py --database-url postgres://postgres@127.0.0.1:5432/bench_speed
    .venv/bin/python scripts/bench_import.py --full --no-one-run                # (a) and (b) only

The database is dropped and created afresh on every run (never point it at a database you need).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SERVICES = [
    "深层清洁面部护理",
    "补水保湿护理",
    "小气泡清洁",
    "美白焕肤护理",
    "肩颈舒缓按摩",
    "精油SPA全身护理",
    "头疗养发",
]
PREFIXES = ["130", "133", "135", "136", "137", "138", "139", "150", "151", "158", "159", "186", "187", "188", "189"]
FIRST_DAY = dt.date(2023, 1, 1)
DAYS = 3 * 365
STAFF_PER_STORE = 10


def main() -> None:
    args = _arguments()
    if args.full:
        args.customers, args.visits, args.stores = 1_000_000, 10_000_000, 200
    env = {**os.environ, "DATABASE_URL": args.database_url, "DJANGO_SETTINGS_MODULE": "salon_crm.settings.base"}
    _fresh_database(args.database_url)
    _manage(env, "migrate", "--verbosity", "0")
    with tempfile.TemporaryDirectory(prefix="bench_import_") as folder:
        # Written by a child process: the children timed below must not inherit a parent holding a
        # million customers (Linux counts what a child shares with its parent before exec in its peak).
        files = _in_child(_generate, Path(folder), args)
        size = sum(path.stat().st_size for _kind, path, _rows in files) / 1e6
        print(
            f"PostgreSQL {urlsplit(args.database_url).path.lstrip('/')}: {args.stores} stores, "
            f"{args.stores * STAFF_PER_STORE:,} staff, {args.customers:,} customers, {args.visits:,} visits "
            f"in {len(files)} files ({size:.0f} MB)",
            flush=True,
        )
        print("(a) import_data, one process per file")
        project = [_import(env, kind, path, rows) for kind, path, rows in files]
        if args.one_run:
            print("(a') import_data, one run for all the files, into a fresh database")
            _fresh_database(args.database_url)
            _manage(env, "migrate", "--verbosity", "0")
            one_run = _import_all(env, files)
        print("(b) plain COPY of the same files into plain tables (psql \\copy, one process per file)")
        _plain_tables(args.database_url)
        reference = [_copy(args.database_url, kind, path, rows) for kind, path, rows in files]
        print("(c) the rows the import wrote, copied into tables of the product's columns, indexes built after")
        tables = [_tables_alone(args.database_url, Path(folder), table) for table in FLOOR_TABLES]
    total, plain = sum(s for s, _m in project), sum(s for s, _m in reference)
    peak = max(m for _s, m in project)
    visits_peak = max(m for (kind, _p, _r), (_s, m) in zip(files, project, strict=True) if kind == "visits")
    print()
    print(
        f"(a) import_data: {total:7.1f} s  {(args.customers + args.visits) / total:10,.0f} rows/s  peak {peak:.0f} MB"
    )
    print(f"(b) plain COPY:  {plain:7.1f} s  {(args.customers + args.visits) / plain:10,.0f} rows/s")
    ratio = total / plain
    print(f"ratio (a)/(b): {ratio:.2f}   (floor 5, goal 3: {_verdict(ratio)})")
    if args.one_run:
        seconds, rss = one_run
        speed = (args.customers + args.visits) / seconds
        print(f"(a') one run:    {seconds:7.1f} s  {speed:10,.0f} rows/s  peak {rss:.0f} MB")
        print(f"ratio (a')/(b): {seconds / plain:.2f}   (floor 5, goal 3: {_verdict(seconds / plain)})")
    alone = sum(tables)
    print(f"(c) the tables alone: {alone:5.1f} s  ratio (c)/(b): {alone / plain:.2f}   (below it no import can go)")
    if args.one_run:
        print(f"ratio (a')/(c): {one_run[0] / alone:.2f}   (what reading, checking and bookkeeping add)")
    print(f"peak memory of a visits import ({args.visits_per_file:,}-row files): {visits_peak:.0f} MB (limit 300 MB)")
    # Where the ratio comes from: each file's own, a small file's being mostly the start of a Django process.
    print(
        "per file (a)/(b): "
        + ", ".join(
            f"{kind} {a / b:.1f}"
            for (kind, _p, _r), (a, _m), (b, _n) in zip(files, project, reference, strict=True)
            if b > 0
        )
    )


def _verdict(ratio: float) -> str:
    return "goal met" if ratio <= 3 else "floor met" if ratio <= 5 else "floor NOT met"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_speed"),
    )
    parser.add_argument("--stores", type=int, default=20)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--visits-per-file", type=int, default=1_000_000)
    parser.add_argument("--full", action="store_true", help="1,000,000 customers, 10,000,000 visits, 200 stores")
    parser.add_argument(
        "--no-one-run", dest="one_run", action="store_false", help="skip (a'), the files imported in one run"
    )
    return parser.parse_args()


def _where(url: str) -> list[str]:
    parts = urlsplit(url)
    return ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432), "-U", parts.username or "postgres"]


def _fresh_database(url: str) -> None:
    """A new, empty database for every run: a salon chain adopting the product."""
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        sys.exit("The benchmark runs on PostgreSQL: give --database-url postgres://…")
    name = parts.path.lstrip("/")
    subprocess.run(["dropdb", *_where(url), "--if-exists", name], check=True)
    subprocess.run(["createdb", *_where(url), name], check=True)


def _manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


# --- the files ------------------------------------------------------------------------------


def _generate(folder: Path, args: argparse.Namespace) -> list[tuple[str, Path, int]]:
    rng = random.Random(20260305)
    stores = [f"S{number:03d}" for number in range(1, args.stores + 1)]
    files = [("stores", folder / "stores.csv", len(stores)), ("staff", folder / "staff.csv", 0)]
    _write(files[0][1], ["门店编码", "门店名称"], ([code, f"丽颜{code}店"] for code in stores))
    staff = [(code, f"{code.lower()}_b{i}") for code in stores for i in range(1, STAFF_PER_STORE + 1)]
    files[1] = ("staff", files[1][1], len(staff))
    _write(files[1][1], ["用户名", "姓名", "角色", "门店编码"], ([u, f"美容师{u}", "美容师", s] for s, u in staff))
    customers = _customers(rng, stores, args.customers)
    path = folder / "customers.csv"
    _write(
        path,
        ["门店编码", "手机号", "姓名", "性别", "生日", "建档日期", "会员等级", "勿扰", "备注"],
        (
            [store, _styled(rng, phone), f"顾客{index}", rng.choice("女女女女男"),
             f"{rng.randint(1960, 2004)}/{rng.randint(1, 12)}/{rng.randint(1, 28)}", FIRST_DAY.isoformat(),
             rng.choice(["普通会员", "银卡会员", "金卡会员"]), rng.choice("否否否否否否否否否是"), ""]
            for index, (store, phone) in enumerate(customers)
        ),
    )  # fmt: skip
    files.append(("customers", path, len(customers)))
    parts = max(1, -(-args.visits // args.visits_per_file))
    for part in range(parts):
        count = args.visits // parts + (1 if part < args.visits % parts else 0)
        first, days = FIRST_DAY + dt.timedelta(days=part * DAYS // parts), DAYS // parts
        path = folder / f"visits_{part + 1:02d}.csv"
        _write_visits(path, rng, customers, count, first, days)
        files.append(("visits", path, count))
    return files


def _in_child(function, *args):
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args)


def _write(path: Path, header: list[str], rows) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)


def _customers(rng: random.Random, stores: list[str], count: int) -> list[tuple[str, str]]:
    """(store, phone): skewed store sizes, phones unique within the chain. A city's numbers come
    from a few thousand allocation blocks (a number's first seven digits), as real customers' do."""
    blocks = [rng.choice(PREFIXES) + f"{rng.randrange(10**4):04d}" for _ in range(max(count // 30, 100))]
    seen: set[str] = set()
    while len(seen) < count:
        seen.add(rng.choice(blocks) + f"{rng.randrange(10**4):04d}")
    weights = [1 / (rank + 1) ** 0.5 for rank in range(len(stores))]
    return [(rng.choices(stores, weights)[0], phone) for phone in sorted(seen)]


def _styled(rng: random.Random, phone: str) -> str:
    """Phones as people type them: most plain, some spaced, dashed or with +86."""
    style = rng.randrange(10)
    if style == 0:
        return f"{phone[:3]} {phone[3:7]} {phone[7:]}"
    if style == 1:
        return f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"
    if style == 2:
        return "+86 " + phone
    return phone


def _write_visits(path: Path, rng, customers: list[tuple[str, str]], count: int, first: dt.date, days: int) -> None:
    """`count` visits over `days` days from `first`, written day by day as a till's ledger exports them."""
    per_day, written = count / days, 0
    with path.open("w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow(["门店编码", "手机号", "到店日期", "美容师", "项目", "消费金额"])
        for day in range(days):
            target = round(per_day * (day + 1)) if day < days - 1 else count
            date = (first + dt.timedelta(days=day)).isoformat()
            for store, phone in rng.sample(customers, min(target - written, len(customers))):
                beautician = f"{store.lower()}_b{rng.randint(1, STAFF_PER_STORE)}"
                amount = rng.choice([168, 198, 268, 298, 368, 458, 588])
                writer.writerow([store, phone, date, beautician, rng.choice(SERVICES), f"¥{amount:,}.00"])
                written += 1


# --- (a) and (b) ----------------------------------------------------------------------------


def _timed_child(command: list[str], env: dict | None = None) -> tuple[float, float, int, str]:
    """Run a child process: its time, its peak memory in MB (from the kernel), exit status and output."""
    with tempfile.TemporaryFile("w+") as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        out.seek(0)
        return seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), out.read()


def _import(env: dict, kind: str, path: Path, rows: int) -> tuple[float, float]:
    command = [PYTHON, "manage.py", "import_data", kind, str(path), "--language", "en"]
    seconds, rss, status, output = _timed_child(command, env)
    if status != 0:
        sys.exit(f"{kind}: import_data failed ({status})\n{output[-3000:]}")
    summary = next((line for line in output.splitlines() if line.startswith("Imported")), "")
    print(
        f"  {kind:<10} {path.name:<16} {seconds:7.1f} s  {rows / seconds:10,.0f} rows/s  peak {rss:5.0f} MB  {summary}"
    )
    return seconds, rss


def _import_all(env: dict, files: list[tuple[str, Path, int]]) -> tuple[float, float]:
    """All the files in one `import_data` run, kind by kind in order: its time and peak memory."""
    groups: list[str] = []
    last = None
    for kind, path, _rows in files:
        if kind != last:
            groups.append(kind)
            last = kind
        groups.append(str(path))
    command = [PYTHON, "manage.py", "import_data", *groups, "--language", "en", "--verbosity", "2"]
    seconds, rss, status, output = _timed_child(command, env)
    if status != 0:
        sys.exit(f"import_data (one run) failed ({status})\n{output[-3000:]}")
    for line in output.splitlines():
        if line.endswith(" s") and ": " in line:  # each file's time (--verbosity 2)
            print(f"  {line}")
    print(f"  all files            {seconds:7.1f} s  peak {rss:5.0f} MB")
    return seconds, rss


_PLAIN = {
    "stores": "(code text, name text)",
    "staff": "(username text, name text, role text, store text)",
    "customers": "(store text, phone text, name text, gender text, birthday text, joined_on text, level text, "
    "do_not_contact text, notes text)",
    "visits": "(store text, phone text, visited_on text, beautician text, service text, amount text)",
}


def _plain_tables(url: str) -> None:
    statements = "".join(
        f"DROP TABLE IF EXISTS plain_{kind}; CREATE TABLE plain_{kind} {c};" for kind, c in _PLAIN.items()
    )
    subprocess.run(["psql", *_where(url), "-q", "-d", urlsplit(url).path.lstrip("/"), "-c", statements], check=True)


def _copy(url: str, kind: str, path: Path, rows: int) -> tuple[float, float]:
    database = urlsplit(url).path.lstrip("/")
    copy = f"\\copy plain_{kind} FROM '{path}' WITH (FORMAT csv, HEADER true)"
    seconds, rss, status, output = _timed_child(["psql", *_where(url), "-q", "-d", database, "-c", copy])
    if status != 0:
        sys.exit(f"COPY {kind} failed\n{output}")
    print(f"  {kind:<10} {path.name:<16} {seconds:7.1f} s  {rows / seconds:10,.0f} rows/s")
    return seconds, rss


# The product's two large tables: a chain's customers and its visits.
FLOOR_TABLES = ("customers_customer", "customers_visit")


def _tables_alone(url: str, folder: Path, table: str) -> float:
    """Time a psql child copying `table`'s rows (dumped first, not timed) into a table of the same
    columns, defaults and checks, then building each of `table`'s indexes on it, in one transaction."""
    database = urlsplit(url).path.lstrip("/")
    psql = ["psql", *_where(url), "-q", "-X", "-v", "ON_ERROR_STOP=1", "-d", database]
    rows_file, script = folder / f"{table}.rows", folder / f"{table}.sql"
    copy = f"floor_{table}"
    subprocess.run(
        [*psql, "-c", "SET client_min_messages = warning", "-c", f"DROP TABLE IF EXISTS {copy}",
         "-c", f"CREATE TABLE {copy} "
         f"(LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)", "-c", f"\\copy {table} TO '{rows_file}'"],
        check=True,
    )  # fmt: skip
    definitions = subprocess.run(
        [*psql, "-A", "-t", "-c", f"SELECT indexdef FROM pg_indexes WHERE tablename = '{table}' ORDER BY indexname"],
        check=True, capture_output=True, text=True,
    ).stdout.split("\n")  # fmt: skip
    indexes = [
        line.replace("INDEX ", "INDEX floor_", 1).replace(f" ON public.{table} ", f" ON public.{copy} ") + ";"
        for line in definitions
        if line.strip()
    ]
    script.write_text("\n".join([f"\\copy {copy} FROM '{rows_file}'", *indexes]) + "\n")
    seconds, _rss, status, output = _timed_child([*psql, "-1", "-f", str(script)])
    if status != 0:
        sys.exit(f"copying {table} failed\n{output}")
    rows = int(subprocess.run(
        [*psql, "-A", "-t", "-c", f"SELECT count(*) FROM {copy}"], check=True, capture_output=True, text=True
    ).stdout)  # fmt: skip
    subprocess.run([*psql, "-c", f"DROP TABLE {copy}"], check=True)
    rows_file.unlink()
    print(f"  {table:<27} {seconds:7.1f} s  {rows / seconds:10,.0f} rows/s  ({len(indexes)} indexes)")
    return seconds


if __name__ == "__main__":
    main()
