# Shared by the project's scripts: find the Python environment that runs Saleor.
# SALEOR_VENV points at a virtualenv with Saleor 3.22/3.23 installed (README,
# "Prerequisite: Saleor"). Default: /opt/saleor-venv.
SALEOR_VENV="${SALEOR_VENV:-/opt/saleor-venv}"
SALEOR_PYTHON="$SALEOR_VENV/bin/python"
if ! "$SALEOR_PYTHON" -c "import saleor" >/dev/null 2>&1; then
  cat >&2 <<MSG
error: no Saleor found in SALEOR_VENV=$SALEOR_VENV
  This plugin runs inside a Saleor 3.22/3.23 environment. Set SALEOR_VENV to the
  virtualenv where Saleor is installed, or provision one as the README describes
  under "Prerequisite: Saleor".
MSG
  exit 1
fi
export SALEOR_VENV SALEOR_PYTHON
