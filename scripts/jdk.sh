# Shared by ./strata, ./run-tests and bench/run: selects a JDK >= 25 into JAVA_HOME.
# $JAVA_HOME wins if it is new enough; otherwise the newest under /usr/lib/jvm.

strata_jdk_version() { # prints the feature version of the JDK at $1, or nothing
  local release="$1/release" v
  [[ -x "$1/bin/java" && -f "$release" ]] || return 0
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
  echo "${v:-0}"
}

strata_select_jdk() {
  local want=25 best="" best_v=0 d v
  if [[ -n "${JAVA_HOME:-}" ]]; then
    v=$(strata_jdk_version "$JAVA_HOME")
    if [[ -n "$v" && "$v" -ge $want ]]; then export JAVA_HOME; return 0; fi
  fi
  for d in /usr/lib/jvm/*; do
    [[ -d "$d" && ! -L "$d" ]] || continue
    v=$(strata_jdk_version "$d")
    if [[ -n "$v" && "$v" -ge $want && "$v" -gt $best_v ]]; then best="$d"; best_v=$v; fi
  done
  if [[ -z "$best" ]]; then
    echo "strata: needs a JDK $want or newer; looked at \$JAVA_HOME (${JAVA_HOME:-unset}) and /usr/lib/jvm/*." >&2
    echo "strata: install one (e.g. Eclipse Temurin 25 into /usr/lib/jvm) or set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
