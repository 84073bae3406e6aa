"""The comparison's own virtual environment: Benchmarks/Compare/.venv (gitignored).

`ensure_venv()` creates it on first use, installs requirements.txt into it, and re-runs the
calling script with the venv's interpreter. torch's CPU-only wheel is installed first with
--no-deps (its small pure-Python dependencies follow explicitly), so that no CUDA build is pulled.
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(HERE, ".venv")
VENV_PY = os.path.join(VENV, "bin", "python")
STAMP = os.path.join(VENV, ".mkt-requirements")
TORCH_DEPS = ["filelock", "typing-extensions", "sympy", "networkx", "jinja2", "fsspec", "setuptools>=77.0.3"]


def _requirements():
    with open(os.path.join(HERE, "requirements.txt")) as f:
        return [line.split("#")[0].strip() for line in f if line.split("#")[0].strip()]


def install():
    """Creates the venv (if missing) and installs the reference stack into it."""
    if not os.path.exists(VENV_PY):
        print(f"creating {VENV}", file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
    reqs = _requirements()
    wanted = "\n".join(reqs + TORCH_DEPS)
    if os.path.exists(STAMP) and open(STAMP).read() == wanted:
        return
    pip = [VENV_PY, "-m", "pip", "install", "-q"]
    torch = [r for r in reqs if r.startswith("torch")]
    others = [r for r in reqs if not r.startswith("torch")]
    subprocess.check_call(pip + ["--no-deps"] + torch)
    subprocess.check_call(pip + TORCH_DEPS + others)
    with open(STAMP, "w") as f:
        f.write(wanted)


def ensure_venv():
    """Re-runs the calling script inside the venv (installing it first if needed)."""
    if os.path.abspath(sys.prefix) == os.path.abspath(VENV):
        return
    install()
    os.execv(VENV_PY, [VENV_PY] + sys.argv)


if __name__ == "__main__":
    install()
