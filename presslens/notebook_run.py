"""Running the study's notebooks: papermill in one kernel each, several at once, stopping at the first failure.

Kernels are reached over unix sockets in a private folder (no TCP port open to the machine). Up to `jobs`
notebooks run at the same time, each in its own kernel and worker thread; each executed notebook is rendered
to its HTML page as soon as it finishes. Once a notebook fails no other one is started, and the notebooks after
the first failing one in reading order are dropped (their files removed), so a failure reads the same however
the notebooks were scheduled: the run stops at that notebook, naming its cell and error.

While the caller still builds what the notebooks read, the first notebook of each lane can have its kernel started
and the modules it imports imported (`prestart_kernel`), so that the notebooks begin with their first cell.
"""
from __future__ import annotations

import ast
import itertools
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, NamedTuple


@contextmanager
def _without_iri_grammar():
    """Imports under it load jsonschema (nbformat's validator) without `rfc3987_syntax`, which compiles its IRI
    grammar with lark when imported: 1.8 of the 2.9 s this module took to import, on the report's path from its
    build to its first notebook. nbformat's schema checks no IRI, so nothing here uses what jsonschema then
    lacks; a jsonschema already imported is left as it is, and the package imports normally afterwards."""
    block = "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules
    if block:
        sys.modules["rfc3987_syntax"] = None  # import -> ImportError, which jsonschema expects and skips
    try:
        yield
    finally:
        if block and sys.modules.get("rfc3987_syntax", 0) is None:
            del sys.modules["rfc3987_syntax"]


with _without_iri_grammar():
    import nbformat
    from jupyter_client.manager import AsyncKernelManager
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines
    from traitlets import default

    from .notebook_html import to_html

# Socket names of the kernels of one process: each kernel its own prefix, so two kernels started at the same
# time never pick the same socket files (jupyter_client numbers them by looking which ones exist).
_KERNEL_NUMBER = itertools.count(1)


class IPCKernelManager(AsyncKernelManager):
    """Notebook kernels reached over unix sockets in a private folder (not TCP: no port open to the machine,
    and no "running over TCP without encryption" warning from each kernel)."""
    transport = "ipc"
    socket_dir = ""

    @default("ip")
    def _ip_default(self):
        return str(Path(self.socket_dir or tempfile.gettempdir()) / f"kernel-{next(_KERNEL_NUMBER)}")

    async def _async_interrupt_kernel(self) -> None:
        """No interrupt on the way to a shutdown: jupyter_client sends SIGINT before every shutdown request,
        and an idle kernel answers it with "KeyboardInterrupt caught in kernel" on the report's terminal.
        A kernel still busy is stopped all the same (SIGTERM, then SIGKILL, after `shutdown_wait_time`)."""
        if not self.shutting_down:
            await super()._async_interrupt_kernel()


ENGINE_NAME = "presslens-sparse-saves"


class SparseSaves(NotebookExecutionManager):
    """papermill's record of a running notebook, written to the executed copy at most once in papermill's own
    autosave interval (`autosave_cell_every`, 30 s, which papermill lengthens when a write is slow) and always
    at the end, failed or not (papermill calls `notebook_complete` in a `finally`).

    papermill writes the whole notebook at every cell's start and end, and a report's notebooks embed
    megabytes of tables and figures (serialising a 19 MB one takes 0.2 s): on 300 articles the seven
    notebooks spent 21-27 s outside their cells' own time; 8-13 s with writes this sparse (and tables' plain
    text no longer a copy of their HTML, which halved the notebooks). A run that stops
    still leaves its cells up to the failure on disk."""

    def save(self, **kwargs):
        if self.end_time is None and (self.now() - self.last_save_time).total_seconds() < self.autosave_cell_every:
            return
        super().save(**kwargs)


class SparseSaveEngine(NBClientEngine):
    """papermill's nbclient engine with `SparseSaves` as its execution record."""

    @classmethod
    def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=True, log_output=False,
                         autosave_cell_every=30, **kwargs):
        # papermill's Engine.execute_notebook with the record's class swapped (papermill has no hook for it)
        nb_man = SparseSaves(nb, output_path=output_path, progress_bar=progress_bar, log_output=log_output,
                             autosave_cell_every=autosave_cell_every)
        nb_man.notebook_start()
        try:
            cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
        finally:
            nb_man.cleanup_pbar()
            nb_man.notebook_complete()
        return nb_man.nb

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
                                 start_timeout=60, execution_timeout=None, km=None, **kwargs):
        """papermill's nbclient run (`NBClientEngine.execute_managed_notebook`); with `km`, a kernel already started
        (`prestart_kernel`), in that kernel, which the client then shuts down at the end as it does its own
        (papermill's client would leave a kernel it was given running)."""
        if km is None:
            return super().execute_managed_notebook(nb_man, kernel_name, log_output=log_output, stdout_file=stdout_file,
                                                    stderr_file=stderr_file, start_timeout=start_timeout,
                                                    execution_timeout=execution_timeout, **kwargs)
        from papermill.clientwrap import PapermillNotebookClient
        from papermill.engines import logger
        from papermill.utils import merge_kwargs, remove_args

        kwargs = remove_args(["input_path"], **kwargs)
        final = merge_kwargs(remove_args(["timeout", "startup_timeout"], **kwargs),
                             timeout=execution_timeout or kwargs.get("timeout"), startup_timeout=start_timeout,
                             kernel_name=kernel_name, log=logger, log_output=log_output, stdout_file=stdout_file,
                             stderr_file=stderr_file)
        return PapermillNotebookClient(nb_man, km=km, **final).execute(cleanup_kc=True)


papermill_engines.register(ENGINE_NAME, SparseSaveEngine)

# What `prestart_kernel` runs in a new kernel: import the notebook's modules without naming anything in its
# namespace (a module that fails to import is left for the notebook's own cell to report).
_IMPORT_SILENTLY = """def _presslens_import(names):
    import importlib
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:
            pass
_presslens_import({names!r})
del _presslens_import
"""
# papermill's kernels keep no history file (nbclient's default argument).
KERNEL_ARGUMENTS = ["--HistoryManager.hist_file=:memory:"]


def notebook_modules(path: str | Path) -> list[str]:
    """The modules a notebook's code cells import (`import a.b`, `from a import b`: a, a.b), in order; cells that
    are not plain Python (magics) are skipped."""
    try:
        cells = nbformat.read(str(path), as_version=4).cells
    except Exception:  # noqa: BLE001 - an unreadable notebook fails in papermill, with its message
        return []
    names: dict[str, None] = {}
    for cell in cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(dict.fromkeys(a.name for a in node.names))
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names[node.module] = None
                names.update(dict.fromkeys(f"{node.module}.{a.name}" for a in node.names if a.name != "*"))
    return list(names)


async def _prestart(manager, kernel_name: str, cwd: Path, modules: list[str], timeout: float):
    km = manager(kernel_name=kernel_name)
    await km.start_kernel(cwd=str(cwd), extra_arguments=list(KERNEL_ARGUMENTS))
    kc = km.client()
    kc.start_channels()
    try:
        await kc.wait_for_ready(timeout=timeout)
        if modules:
            reply = await kc.execute_interactive(_IMPORT_SILENTLY.format(names=modules), silent=True,
                                                 store_history=False, allow_stdin=False, timeout=timeout,
                                                 output_hook=lambda msg: None)
            if reply["content"].get("status") != "ok":
                raise RuntimeError(f"the imports failed: {reply['content'].get('evalue')}")
    except BaseException:
        kc.stop_channels()
        await km.shutdown_kernel(now=True)
        raise
    kc.stop_channels()
    return km


def prestart_kernel(notebook: Path, kernel_name: str, cwd: Path, socket_dir: Path | None = None,
                    timeout: float = 120):
    """A kernel started as papermill starts one for `notebook` (same kernel, folder, arguments and environment),
    with the modules the notebook imports already imported (`notebook_modules`, silently: no execution count, no
    output, no name bound): its kernel manager, for `execute(kernel=...)` in the same thread, or None when it
    could not start (the notebook then starts its own kernel, and any error is the notebook's)."""
    from jupyter_core.utils import run_sync

    manager = _manager(socket_dir)
    try:
        return run_sync(_prestart)(manager, kernel_name, cwd, notebook_modules(notebook), timeout)
    except Exception:  # noqa: BLE001 - see above
        return None


def stop_kernel(km) -> None:
    """Shut a `prestart_kernel` kernel down (in the thread that started it): one its notebook will not use."""
    from jupyter_core.utils import run_sync

    try:
        run_sync(km.shutdown_kernel)(now=True)
    except Exception:  # noqa: BLE001 - it is going anyway
        pass


def _manager(socket_dir: Path | None):
    if socket_dir is None:
        return AsyncKernelManager
    IPCKernelManager.socket_dir = str(socket_dir)
    return IPCKernelManager


class NotebookTask(NamedTuple):
    """One notebook to execute: the notebook, where its executed copy and page go, and its parameters."""
    notebook: Path
    executed: Path
    page: Path
    parameters: dict


def failure_message(name: str, exc: Exception) -> str:
    """'NN-x.ipynb failed at cell N: KeyError: ...' with the failing code, from papermill's error."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        src = "\n".join("    " + ln for ln in (exc.source or "").strip().splitlines()[:8])
        return (f"notebook {name} failed at cell {exc.cell_index} (execution count {exc.exec_count}): "
                f"{exc.ename}: {exc.evalue}\n  the failing cell:\n{src}")
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"notebook {name} could not run: {type(exc).__name__}: {first}"


# The id of papermill's injected-parameters cell (papermill draws a random one): the same run writes the same page.
PARAMETERS_CELL_ID = "injected-parameters"


def mark_parameters(executed: Path, draft: Path, final: Path) -> None:
    """In the executed notebook's injected-parameters cell and papermill's record of the run, name the folder the
    report ends up in, not its draft (and give the cell a fixed id)."""
    nb = nbformat.read(str(executed), as_version=4)
    record = nb.metadata.get("papermill", {})
    if isinstance(record.get("output_path"), str):
        record["output_path"] = record["output_path"].replace(str(draft), str(final))
    for key, value in record.get("parameters", {}).items():
        if isinstance(value, str):
            record["parameters"][key] = value.replace(str(draft), str(final))
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.source = cell.source.replace(str(draft), str(final))
            if "id" in cell and all(c.get("id") != PARAMETERS_CELL_ID for c in nb.cells):
                cell.id = PARAMETERS_CELL_ID
    nbformat.write(nb, str(executed))


class Outcome(NamedTuple):
    """How one notebook ran: status ("ok"/"failed"), the page written (or None), seconds, the error message."""
    status: str
    page: Path | None
    seconds: float
    error: str | None


def execute(task: NotebookTask, draft: Path, final: Path, kernel_name: str, cwd: Path,
            timeout: int | None, socket_dir: Path | None = None, kernel=None) -> Outcome:
    """Execute one notebook with papermill and render its page (draft paths named as `final` in it); in `kernel`
    when given (`prestart_kernel`, started in this thread), else in a kernel of its own."""
    import papermill as pm

    started = time.perf_counter()
    status, err = "ok", None
    given = {} if kernel is None else {"km": kernel}
    try:
        pm.execute_notebook(str(task.notebook), str(task.executed), parameters=task.parameters,
                            kernel_name=kernel_name, cwd=str(cwd), progress_bar=False, log_output=False,
                            execution_timeout=timeout, kernel_manager_class=_manager(socket_dir),
                            engine_name=ENGINE_NAME, shutdown_kernel="immediate",  # its outputs are in
                            **given)
    except Exception as exc:  # noqa: BLE001 - any failure stops the run with its message
        status, err = "failed", failure_message(task.notebook.name, exc)
    page = None
    if task.executed.exists():
        try:
            mark_parameters(task.executed, draft, final)
            page = to_html(task.executed, task.page)
        except Exception as exc:  # noqa: BLE001 - a page that cannot be rendered stops the run too
            status = "failed"
            err = err or (f"notebook {task.notebook.name} ran but its HTML page could not be written: "
                          f"{type(exc).__name__}: {exc}")
    return Outcome(status, page, time.perf_counter() - started, err)


def run_all(tasks: list[NotebookTask], run: Callable[..., Outcome], jobs: int = 1,
            done: Callable[[NotebookTask, Outcome], None] | None = None,
            meanwhile: Callable[[], object] | None = None, before: Callable[[Callable[[], None]], object] | None = None,
            prestart: Callable[[NotebookTask], object] | None = None
            ) -> tuple[list[tuple[NotebookTask, Outcome]], object]:
    """Run `tasks` (in reading order) with up to `jobs` at once; `meanwhile()` runs in this thread while they do.

    With `before`, the tasks wait for `before(ready)`, run first in this thread; the first task of each lane gets
    its kernel from `prestart(task)` (a `prestart_kernel`, in the lane's own thread, once `before` calls `ready()`
    or returns) and runs as `run(task, kernel)`. Returns ([(task, outcome)] up to and including the first failure
    in reading order, meanwhile's result). No task starts once one has failed. When `before`, `meanwhile` or the
    wait is interrupted, no task starts either, kernels started ahead are stopped, and the running tasks are
    awaited before the exception goes on.
    """
    stop, warm, go = threading.Event(), threading.Event(), threading.Event()
    if before is None:
        warm.set()
        go.set()

    def one(task: NotebookTask, first: bool) -> Outcome | None:
        kernel = None
        if first and prestart is not None:
            warm.wait()
            kernel = None if stop.is_set() else prestart(task)
        go.wait()
        if stop.is_set():
            if kernel is not None:
                stop_kernel(kernel)
            return None
        outcome = run(task) if kernel is None else run(task, kernel)
        if outcome.status != "ok":
            stop.set()
        if done is not None:
            done(task, outcome)
        return outcome

    pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="presslens-notebook")
    try:
        futures = [pool.submit(one, t, i < jobs) for i, t in enumerate(tasks)]
        if before is not None:
            try:
                before(warm.set)
            except BaseException:
                stop.set()
                raise
            finally:
                warm.set()
                go.set()
        extra = meanwhile() if meanwhile is not None else None
        outcomes = [f.result() for f in futures]
    except BaseException:
        stop.set()
        warm.set()
        go.set()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    kept = []
    for task, outcome in zip(tasks, outcomes):
        if outcome is None:
            break
        kept.append((task, outcome))
        if outcome.status != "ok":
            break
    return kept, extra
