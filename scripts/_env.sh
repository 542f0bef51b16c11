# Shared by the project's scripts: which Saleor environment they use.
#
# SALEOR_VENV set: an existing virtualenv with Saleor 3.22/3.23, used as it is
#   (a merchant's own Saleor); nothing is provisioned.
# SALEOR_VENV unset: scripts/setup provisions Saleor from SALEOR_SOURCE into
#   .cache/saleor/<name>/venv, where <name> follows the source, so 3.22 and 3.23
#   environments live side by side.
# The default is Saleor's repository at 3.23.28; a copy of that release's source
# archive kept beside the checkout (../shared/vendor/, as on the project's CI
# machines, which cannot reach GitHub) is used instead when it is there.
if [ -z "${SALEOR_SOURCE:-}" ]; then
  SALEOR_SOURCE="https://github.com/saleor/saleor.git@3.23.28"
  [ -f ../shared/vendor/saleor-3.23.28.tar.gz ] && SALEOR_SOURCE="$(cd .. && pwd)/shared/vendor/saleor-3.23.28.tar.gz"
fi
if [ -n "${SALEOR_VENV:-}" ]; then
  SALEOR_PROVISIONED=0
else
  SALEOR_PROVISIONED=1
  case "$SALEOR_SOURCE" in
    *.tar.gz) _name=$(basename "$SALEOR_SOURCE" .tar.gz) ;;
    *.tgz) _name=$(basename "$SALEOR_SOURCE" .tgz) ;;
    *)
      if [ -d "$SALEOR_SOURCE" ]; then
        _name="saleor-$(sed -n 's/^version = "\(.*\)"$/\1/p' "$SALEOR_SOURCE/pyproject.toml" | head -n 1)"
      else
        _last="${SALEOR_SOURCE##*/}"
        case "$_last" in
          *@*) _name="saleor-${_last##*@}" ;;
          *) _name="saleor-head" ;;
        esac
      fi
      ;;
  esac
  SALEOR_CACHE="$(pwd)/.cache/saleor/$_name"
  SALEOR_VENV="$SALEOR_CACHE/venv"
  unset _name _last
fi
SALEOR_PYTHON="$SALEOR_VENV/bin/python"
export SALEOR_SOURCE SALEOR_VENV SALEOR_PYTHON SALEOR_PROVISIONED
