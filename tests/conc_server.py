"""A real Odoo server for the concurrency tests: its own committed database, workers,
JSON-RPC helpers. Not a test module (no ``test_`` prefix)."""

import json
import os
import pathlib
import subprocess
import sysconfig
import time
import urllib.request

import psycopg2

ROOT = pathlib.Path(__file__).resolve().parent.parent
CACHE_DIR = pathlib.Path(
    os.environ.get("CACHE_DIR", pathlib.Path.home() / ".cache/odoo-customer-archive")
)
ODOO_DIR = pathlib.Path(os.environ.get("ODOO_DIR", CACHE_DIR / "odoo-18.0"))
VENV = pathlib.Path(os.environ.get("VENV", CACHE_DIR / "venv"))
DB = os.environ.get("CONC_DB", "customer_archive_conc")
PORT = int(os.environ.get("CONC_PORT", "8179"))
ADDONS = "customer_archive,customer_credit"


def _pg_kwargs(dbname):
    kwargs = {"dbname": dbname}
    for env, key in (
        ("PGHOST", "host"),
        ("PGPORT", "port"),
        ("PGUSER", "user"),
        ("PGPASSWORD", "password"),
    ):
        if os.environ.get(env):
            kwargs[key] = os.environ[env]
    return kwargs


def pg_connect(dbname=DB):
    conn = psycopg2.connect(**_pg_kwargs(dbname))
    conn.autocommit = True
    return conn


def db_exists():
    with pg_connect("postgres") as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB,))
        return bool(cr.fetchone())


def _python():
    return str(VENV / "bin" / "python")


def write_conf(path, logfile):
    """Same options as scripts/lib.sh ``write_odoo_conf``."""
    site = (
        subprocess.check_output(
            [
                _python(),
                "-c",
                "import sysconfig; print(sysconfig.get_paths()['purelib'])",
            ],
            text=True,
        ).strip()
        or sysconfig.get_paths()["purelib"]
    )
    addons = [
        ODOO_DIR / "addons",
        ODOO_DIR / "odoo" / "addons",
        pathlib.Path(site) / "odoo" / "addons",
        ROOT,
    ]
    lines = [
        "[options]",
        "addons_path = " + ",".join(str(p) for p in addons),
        f"data_dir = {CACHE_DIR / 'filestore'}",
        f"http_port = {PORT}",
        f"db_user = {os.environ.get('PGUSER', '')}",
        f"db_password = {os.environ.get('PGPASSWORD', 'False')}",
        f"db_host = {os.environ.get('PGHOST', '')}",
        f"db_port = {os.environ.get('PGPORT', 'False')}",
        f"logfile = {logfile}",
        "list_db = False",
        "",
    ]
    pathlib.Path(path).write_text("\n".join(lines))


def odoo_cmd(conf, *args):
    return [_python(), str(ODOO_DIR / "odoo-bin"), "-c", str(conf), "-d", DB, *args]


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ODOO_DIR)
    return env


def prepare_database(conf):
    """Install the addons in a fresh database, or update them in an existing one."""
    flag = "-u" if db_exists() else "-i"
    subprocess.run(
        odoo_cmd(conf, flag, ADDONS, "--without-demo=all", "--stop-after-init"),
        check=True,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=600,
    )


def start_server(conf, workers=4, gevent_port=None):
    extra = ["--gevent-port", str(gevent_port)] if gevent_port else []
    proc = subprocess.Popen(
        odoo_cmd(
            conf,
            *extra,
            "--workers",
            str(workers),
            "--max-cron-threads",
            "0",
            "--http-port",
            str(PORT),
            "--db-filter",
            f"^{DB}$",
            "--limit-time-real",
            "300",
            "--limit-time-cpu",
            "300",
        ),
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            call("common", "version")
            return proc
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError("the Odoo server did not start")


def stop_server(proc):
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class RpcError(Exception):
    def __init__(self, error):
        super().__init__(error.get("data", {}).get("message") or error.get("message"))
        self.error = error
        self.name = error.get("data", {}).get("name", "")


def call(service, method, *args):
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "params": {"service": service, "method": method, "args": list(args)},
        "id": 1,
    }
    req = urllib.request.Request(
        f"http://127.0.0.1:{PORT}/jsonrpc",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=120) as resp:
        answer = json.loads(resp.read())
    if "error" in answer:
        raise RpcError(answer["error"])
    return answer["result"]


class Client:
    def __init__(self, login, password):
        self.password = password
        self.uid = call("common", "login", DB, login, password)
        if not self.uid:
            raise RuntimeError(f"cannot log in as {login}")

    def execute(self, model, method, *args, **kwargs):
        return call(
            "object",
            "execute_kw",
            DB,
            self.uid,
            self.password,
            model,
            method,
            list(args),
            kwargs,
        )

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        rows = self.execute(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            fields=["res_id"],
        )
        return rows[0]["res_id"]
