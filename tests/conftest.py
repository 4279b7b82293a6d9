"""The second notebook pass: every notebook again, in a kernel that computes like another CPU.

With ``--nbval`` every notebook runs twice, both times compared strictly with its committed outputs:

1. nbval's own pass, in the kernel nbval chooses (``--nbval-current-env``: this environment);
2. the same cells in the same kind of kernel started with ``EMULATED_CPU`` in its environment: OpenBLAS
   runs its Sandybridge kernel (another summation order in every matrix product) and numpy uses none of
   its dispatched SIMD code (scalar ``exp``/``tanh``, other reductions). Results then differ in the last
   bits the way they do on another machine, so a printed digit that depends on those bits fails here,
   on this machine, instead of on a learner's laptop.

Each notebook of pass 2 is collected as ``<notebook>::emulated-cpu`` with one test per cell (as nbval
reports pass 1), and starts with one extra cell, ``emulation in effect``, which asks the kernel itself
which OpenBLAS kernel and which numpy SIMD targets it uses: if the settings ever stop reaching the
kernel, that test fails instead of pass 2 quietly repeating pass 1.

No kernelspec is installed for this: the settings go straight into the kernel process's environment
(jupyter_client's ``start_kernel(env=...)``), so nothing is written into the virtual environment.

The settings only mean something on x86-64 with numpy's bundled OpenBLAS; elsewhere (ARM, a numpy built
on another BLAS) pass 2 is skipped with the reason. The hook lives on a plugin object registered here,
because a conftest's own collection hooks only see files below its directory and the notebooks are not.
"""

import os
import platform
import subprocess
from collections import defaultdict

import nbformat
import numpy as np
import pytest
from nbval.kernel import CURRENT_ENV_KERNEL_NAME, RunningKernel, start_new_kernel
from nbval.plugin import IPyNbCell, IPyNbFile

# Another x86-64's arithmetic: an older OpenBLAS kernel, and numpy's SIMD above its x86-64-v2 baseline off
# (names this CPU lacks are ignored, so the same value works on AVX2 and AVX-512 machines).
EMULATED_CPU = {
    "OPENBLAS_CORETYPE": "Sandybridge",
    "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR",
}

# Run first in every emulated kernel; its expected output below is compared strictly, like any cell's.
EMULATION_CHECK_SOURCE = """\
import ctypes, os, pathlib
import numpy
from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

def openblas_core():
    # numpy's wheels bundle OpenBLAS next to the package; ask the library which kernel it runs
    for library in (pathlib.Path(numpy.__file__).parent.parent / "numpy.libs").glob("*openblas*"):
        blas = ctypes.CDLL(str(library))
        for symbol in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename", "openblas_get_corename"):
            if hasattr(blas, symbol):
                getattr(blas, symbol).restype = ctypes.c_char_p
                return getattr(blas, symbol)().decode()
    return "not found"

print("OPENBLAS_CORETYPE:", os.environ.get("OPENBLAS_CORETYPE"))
print("NPY_DISABLE_CPU_FEATURES:", os.environ.get("NPY_DISABLE_CPU_FEATURES"))
print("OpenBLAS kernel in use:", openblas_core())
print("numpy SIMD targets in use above the baseline:", [f for f in __cpu_dispatch__ if __cpu_features__[f]])
"""
EMULATION_CHECK_OUTPUT = (
    f"OPENBLAS_CORETYPE: {EMULATED_CPU['OPENBLAS_CORETYPE']}\n"
    f"NPY_DISABLE_CPU_FEATURES: {EMULATED_CPU['NPY_DISABLE_CPU_FEATURES']}\n"
    f"OpenBLAS kernel in use: {EMULATED_CPU['OPENBLAS_CORETYPE']}\n"
    "numpy SIMD targets in use above the baseline: []\n"
)


def emulation_unavailable():
    """Why pass 2 cannot emulate another CPU here, or None when it can."""
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return f"the emulated-CPU pass needs x86-64 (OpenBLAS and numpy SIMD settings); this is {platform.machine()}"
    blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]["name"]
    if "openblas" not in blas.lower():
        return f"the emulated-CPU pass needs numpy built on OpenBLAS; this numpy uses {blas}"
    return None


class EmulatedCpuKernel(RunningKernel):
    """nbval's RunningKernel, started with EMULATED_CPU added to the kernel process's environment."""

    def __init__(self, kernel_name, cwd=None, startup_timeout=60):
        # nbval's RunningKernel.__init__ with one change, the env, which jupyter_client's start_kernel
        # hands to the kernel process (a kernelspec's own env would still be applied on top).
        self.km, self.kc = start_new_kernel(
            startup_timeout=startup_timeout,
            kernel_name=kernel_name,
            stderr=subprocess.DEVNULL,
            cwd=cwd,
            env={**os.environ, **EMULATED_CPU},
        )
        self._ensure_iopub_up()


class EmulatedCpuCell(IPyNbCell):
    """nbval's cell test, reported under its full id, so that a failure names its pass."""

    def reportinfo(self):
        return self.path, 0, self.nodeid


class EmulatedCpuNotebook(IPyNbFile):
    """One notebook's cells for pass 2: the emulation check first, then every code cell, as nbval does."""

    def setup(self):
        reason = emulation_unavailable()
        if reason:
            pytest.skip(reason)
        option = self.config.option
        # the kernel nbval's own pass chooses (IPyNbFile.setup), only with another environment
        if option.nbval_current_env:
            kernel_name = CURRENT_ENV_KERNEL_NAME
        elif option.nbval_kernel_name:
            kernel_name = option.nbval_kernel_name
        else:
            kernel_name = self.nb.metadata.get("kernelspec", {}).get("name", "python")
        self.kernel = EmulatedCpuKernel(
            kernel_name, cwd=str(self.path.parent), startup_timeout=option.nbval_kernel_startup_timeout
        )
        self.setup_sanitize_files()

    def collect(self):
        check = nbformat.v4.new_code_cell(
            EMULATION_CHECK_SOURCE,
            outputs=[nbformat.v4.new_output("stream", name="stdout", text=EMULATION_CHECK_OUTPUT)],
            execution_count=1,  # nbval refuses a reference cell with outputs but no execution count
        )
        yield EmulatedCpuCell.from_parent(
            self, name="emulation in effect", cell_num=-1, cell=check, options=defaultdict(bool, check=True)
        )
        for cell in super().collect():  # nbval's own cell tests, one per code cell
            cell.__class__ = EmulatedCpuCell  # same object, only reported as pass 2's
            yield cell


class EmulatedCpuPass:
    """Plugin: after nbval's collector of each notebook, a second one whose kernel is emulated."""

    @pytest.hookimpl(trylast=True)  # nbval's pass first, then this one, notebook by notebook
    def pytest_collect_file(self, file_path, parent):
        option = parent.config.option
        if (option.nbval or option.nbval_lax) and file_path.suffix == ".ipynb":
            path = file_path.relative_to(parent.config.rootpath).as_posix()
            return EmulatedCpuNotebook.from_parent(parent, path=file_path, nodeid=f"{path}::emulated-cpu")
        return None


def pytest_configure(config):
    if config.pluginmanager.hasplugin("nbval"):
        config.pluginmanager.register(EmulatedCpuPass(), "emulated-cpu-pass")
