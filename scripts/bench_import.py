#!/usr/bin/env python
"""Benchmark: import 100,000 customers and 1,000,000 visits on PostgreSQL (DESIGN §7: under 60 s).

Generates a salon's export as CSV files (visits sorted by date, as a till's ledger exports them;
phones written in mixed styles) and imports them with `manage.py import_data`, the command a
salon uses, in a child process per file. Prints the time, rows per second and peak memory (the
child's maximum resident set size) of each kind and the total, then imports a visits file ten
times shorter for the same customers, to show that peak memory does not follow the file's length.

    .venv/bin/python scripts/bench_import.py                      # database salon_bench_import, full size
    .venv/bin/python scripts/bench_import.py --customers 10000 --visits 100000
    .venv/bin/python scripts/bench_import.py --database-url postgres://postgres@127.0.0.1:5432/wt_import

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
BEAUTICIANS = [f"bench_beautician{i}" for i in range(1, 7)]
PREFIXES = ["130", "133", "135", "136", "137", "138", "139", "150", "151", "158", "159", "186", "187", "188", "189"]
FIRST_DAY = dt.date(2023, 1, 1)
DAYS = 3 * 365


def main() -> None:
    args = _arguments()
    env = {**os.environ, "DATABASE_URL": args.database_url, "DJANGO_SETTINGS_MODULE": "salon_crm.settings.base"}
    _fresh_database(args.database_url)
    _manage(env, "migrate", "--verbosity", "0")
    _prepare_stores(env)
    with tempfile.TemporaryDirectory(prefix="bench_import_") as folder:
        phones = _phones(random.Random(20260305), args.customers)
        files = _generate(Path(folder), phones, args.visits)
        print(
            f"PostgreSQL {urlsplit(args.database_url).path.lstrip('/')}: {args.customers:,} customers, "
            f"{args.visits:,} visits (files {sum(f.stat().st_size for f in files.values()) / 1e6:.0f} MB)"
        )
        results = [
            _import(env, kind, files[kind], rows)
            for kind, rows in (("customers", args.customers), ("visits", args.visits))
        ]
        total = sum(seconds for _kind, seconds, _rows, _rss in results)
        rows = sum(count for _kind, _seconds, count, _rss in results)
        peak = max(rss for *_rest, rss in results)
        print(
            f"{'total':<10} {total:7.1f} s  {rows / total:10,.0f} rows/s  peak {peak:6.0f} MB"
            f"   target < 60 s: {'met' if total < 60 else 'NOT met'}"
        )
        _memory_check(env, Path(folder), phones, args.visits // 10, results[1][3])


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/salon_bench_import"),
    )
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--visits", type=int, default=1_000_000)
    return parser.parse_args()


def _fresh_database(url: str) -> None:
    """A new, empty database for every run: a salon adopting the product, and figures that do not
    depend on what earlier runs left behind (dead rows, bloated indexes)."""
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        sys.exit("The benchmark runs on PostgreSQL: give --database-url postgres://…")
    name = parts.path.lstrip("/")
    where = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432), "-U", parts.username or "postgres"]
    subprocess.run(["dropdb", *where, "--if-exists", name], check=True)
    subprocess.run(["createdb", *where, name], check=True)


def _manage(env: dict, *args: str, stdout=None) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=stdout)


def _prepare_stores(env: dict) -> None:
    """The store and the beauticians the visits name."""
    script = (
        "from customers.models import Staff, Store\n"
        "store = Store.objects.create(code='BENCH', name='基准测试店')\n"
        f"for username in {BEAUTICIANS!r}:\n"
        "    Staff.objects.create(username=username, name=username, role='beautician', store=store)\n"
    )
    _manage(env, "shell", "--command", script, stdout=subprocess.DEVNULL)


def _generate(folder: Path, phones: list[str], visits: int) -> dict[str, Path]:
    rng = random.Random(5)
    files = {"customers": folder / "customers.csv", "visits": folder / "visits.csv"}
    with files["customers"].open("w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow(["门店编码", "手机号", "姓名", "性别", "生日", "建档日期", "会员等级", "勿扰", "备注"])
        for index, phone in enumerate(phones):
            writer.writerow(
                [
                    "BENCH",
                    _styled(rng, phone),
                    f"顾客{index}",
                    rng.choice("女女女女男"),
                    f"{rng.randint(1960, 2004)}/{rng.randint(1, 12)}/{rng.randint(1, 28)}",
                    FIRST_DAY.isoformat(),
                    rng.choice(["普通会员", "银卡会员", "金卡会员"]),
                    rng.choice("否否否否否否否否否是"),
                    "",
                ]
            )
    _write_visits(files["visits"], rng, phones, visits, FIRST_DAY)
    return files


def _phones(rng: random.Random, count: int) -> list[str]:
    seen: set[str] = set()
    while len(seen) < count:
        seen.add(rng.choice(PREFIXES) + f"{rng.randrange(10**8):08d}")
    return sorted(seen)


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


def _write_visits(path: Path, rng: random.Random, phones: list[str], count: int, first_day: dt.date) -> None:
    """`count` visits over three years from `first_day`, written day by day as a till's ledger exports them."""
    per_day = count / DAYS
    written = 0
    with path.open("w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow(["门店编码", "手机号", "到店日期", "美容师", "项目", "消费金额"])
        for day in range(DAYS):
            target = round(per_day * (day + 1)) if day < DAYS - 1 else count
            date = (first_day + dt.timedelta(days=day)).isoformat()
            todays = rng.sample(phones, min(target - written, len(phones)))
            for phone in todays:
                amount = rng.choice([168, 198, 268, 298, 368, 458, 588])
                writer.writerow(
                    ["BENCH", phone, date, rng.choice(BEAUTICIANS), rng.choice(SERVICES), f"¥{amount:,}.00"]
                )
            written += len(todays)


def _import(env: dict, kind: str, path: Path, rows: int) -> tuple[str, float, int, float]:
    """Run `manage.py import_data KIND FILE` in a child process: its time, and its peak memory from the kernel."""
    with tempfile.TemporaryFile("w+") as out:
        started = time.perf_counter()
        child = subprocess.Popen(
            [PYTHON, "manage.py", "import_data", kind, str(path), "--language", "en"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read()
    rss_mb = usage.ru_maxrss / 1024  # KB on Linux
    if child.returncode != 0:
        sys.exit(f"{kind}: import_data failed ({child.returncode})\n{output[-3000:]}")
    summary = output.strip().splitlines()[0] if output.strip() else ""
    print(f"{kind:<10} {seconds:7.1f} s  {rows / seconds:10,.0f} rows/s  peak {rss_mb:6.0f} MB   {summary}")
    return kind, seconds, rows, rss_mb


def _memory_check(env: dict, folder: Path, phones: list[str], visits: int, full_rss: float) -> None:
    """The same store, a file a tenth as long (three earlier years): peak memory should not follow the file."""
    small = folder / "visits_small.csv"
    _write_visits(small, random.Random(7), phones, visits, FIRST_DAY - dt.timedelta(days=DAYS))
    _kind, _seconds, _rows, small_rss = _import(env, "visits", small, visits)
    print(
        f"memory, same store: a {visits:,}-visit file peaks at {small_rss:.0f} MB, "
        f"a {visits * 10:,}-visit file at {full_rss:.0f} MB"
    )


if __name__ == "__main__":
    main()
