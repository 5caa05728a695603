"""What the benchmarks in bench/ share: the machine line of a results file and
writing that file. Not a benchmark itself."""

import os
import pathlib
import platform


def machine_line(pg_version):
    """The results file's line on the machine, its load at the end of the run."""
    load = os.getloadavg()
    return (
        f"- Machine: {platform.machine()}, {os.cpu_count()} cores shared with other "
        f"jobs (load {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} at the end); "
        f"Python {platform.python_version()}; PostgreSQL {pg_version}"
    )


def write_results(path, lines):
    """Write the markdown results file (its folder created if needed) and print it."""
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "\n".join(lines)
    path.write_text(text, encoding="utf-8")
    print(text)
