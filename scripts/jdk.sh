# Shared by ./strata, ./run-tests and bench/run: finds a JDK 25 or newer.
#   find_jdk   sets JAVA_HOME_FOUND (and JAVA_VERSION), or prints what it looked at and how to get one, and exits 2.
# $JAVA_HOME wins when it is new enough, then the newest JDK under /usr/lib/jvm, then `java` on PATH.

MIN_JAVA=${MIN_JAVA:-25}

# java_version HOME: sets JAVA_VERSION (e.g. 25.0.3) and JAVA_MAJOR (25) for the JDK at HOME; fails if
# HOME has no java and javac or its version cannot be read.
java_version() {
    local home=$1 line v=
    JAVA_VERSION= JAVA_MAJOR=
    [[ -x $home/bin/java && -x $home/bin/javac ]] || return 1
    if [[ -r $home/release ]]; then
        while IFS= read -r line; do
            if [[ $line == JAVA_VERSION=* ]]; then
                v=${line#JAVA_VERSION=}
                v=${v//\"/}
                break
            fi
        done <"$home/release"
    fi
    if [[ -z $v ]]; then
        line=$("$home/bin/java" -version 2>&1) || return 1
        [[ $line =~ version\ \"([^\"]+)\" ]] || return 1
        v=${BASH_REMATCH[1]}
    fi
    JAVA_VERSION=$v
    [[ $v == 1.* ]] && v=${v#1.}
    JAVA_MAJOR=${v%%[!0-9]*}
    [[ -n $JAVA_MAJOR ]]
}

find_jdk() {
    local looked=() dir best=0 path
    JAVA_HOME_FOUND=
    if [[ -n ${JAVA_HOME-} ]]; then
        if java_version "$JAVA_HOME" && ((JAVA_MAJOR >= MIN_JAVA)); then
            JAVA_HOME_FOUND=$JAVA_HOME
            return 0
        fi
        looked+=("\$JAVA_HOME=$JAVA_HOME (${JAVA_VERSION:-no JDK there})")
    else
        looked+=("\$JAVA_HOME (not set)")
    fi
    for dir in /usr/lib/jvm/*/; do
        dir=${dir%/}
        [[ -e $dir ]] || continue
        if java_version "$dir"; then
            if ((JAVA_MAJOR >= MIN_JAVA && JAVA_MAJOR > best)); then
                best=$JAVA_MAJOR
                JAVA_HOME_FOUND=$dir
            fi
            looked+=("$dir ($JAVA_VERSION)")
        fi
    done
    [[ -n $JAVA_HOME_FOUND ]] && return 0
    [[ ${#looked[@]} -eq 1 ]] && looked+=("/usr/lib/jvm (no JDK there)")
    if path=$(command -v java) && path=$(readlink -f -- "$path"); then
        dir=${path%/bin/java}
        if java_version "$dir" && ((JAVA_MAJOR >= MIN_JAVA)); then
            JAVA_HOME_FOUND=$dir
            return 0
        fi
        looked+=("java on PATH: $path (${JAVA_VERSION:-not a JDK})")
    else
        looked+=("java on PATH (none)")
    fi
    printf 'strata: needs a JDK %s or newer (java and javac), and found none. Looked at:\n' "$MIN_JAVA" >&2
    printf '  %s\n' "${looked[@]}" >&2
    printf '%s\n' \
        "Install one, for example:" \
        "  a Debian or Ubuntu release that packages it:  apt-get install openjdk-25-jdk-headless" \
        "  any Linux: Eclipse Temurin 25 from https://adoptium.net, unpacked under /usr/lib/jvm," \
        "             or anywhere with JAVA_HOME set to it" >&2
    exit 2
}

