#!/usr/bin/env bash
# Latency of starting a container, JVM start-up included: `strata run --rm IMAGE true` and `create` + `start`,
# next to `docker run --rm` / `docker create` + `docker start` (a dockerd of its own: own data root, exec root,
# socket and pid file, no iptables, no bridge) and `podman run --rm` (own root and run root, runc), all on the
# same busybox image built from the host's static busybox. Runs are interleaved so that the load of a shared
# machine falls on all three alike; each number is the median of N runs (default 10).
#
#   scripts/run-latency.sh [N]       (as root; needs runc, conmon, docker.io, podman, busybox-static)
#
# Everything it starts (dockerd with its containerd, containers) is stopped by PID at the end, and its
# directory under /tmp is removed.
set -euo pipefail
N=${1:-10}
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
strata="$here/strata"
W=$(mktemp -d /tmp/lat-XXXX)
dockerd_pid=
cleanup() {
    set +e
    if [[ -n $dockerd_pid ]]; then
        docker -H "unix://$W/d.sock" ps -aq 2>/dev/null | xargs -r docker -H "unix://$W/d.sock" rm -f >/dev/null 2>&1
        kill "$dockerd_pid" 2>/dev/null
        for _ in $(seq 100); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.1; done
    fi
    "$strata" --root "$W/strata" ps -aq 2>/dev/null | xargs -r "$strata" --root "$W/strata" rm -f >/dev/null 2>&1
    podman "${P[@]}" rm -af >/dev/null 2>&1
    podman "${P[@]}" rmi -af >/dev/null 2>&1
    podman "${P[@]}" system reset -f >/dev/null 2>&1
    grep -o "$W[^ ]*" /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l 2>/dev/null
    rm -rf "$W"
}
P=(--root "$W/p" --runroot "$W/pr" --runtime runc --cgroup-manager cgroupfs --events-backend file --storage-driver overlay)
trap cleanup EXIT

# The image: the host's busybox with its applets.
rootfs=$W/rootfs
mkdir -p "$rootfs"/{bin,etc,tmp,root,proc,sys,dev}
cp /bin/busybox "$rootfs/bin/"
for a in $(/bin/busybox --list); do [[ -e $rootfs/bin/$a ]] || ln -s busybox "$rootfs/bin/$a"; done
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\n' >"$rootfs/etc/group"
tar -C "$rootfs" -cf "$W/rootfs.tar" .
"$strata" --root "$W/strata" import --change 'CMD ["sh"]' "$W/rootfs.tar" busybox:latest >/dev/null
"$strata" --root "$W/strata" save -o "$W/busybox.tar" busybox:latest

dockerd --data-root "$W/docker" --exec-root "$W/exec" -H "unix://$W/d.sock" --pidfile "$W/dockerd.pid" \
    --iptables=false --ip6tables=false --bridge=none \
    --containerd-namespace strata-lat --containerd-plugins-namespace strata-lat-plugins >"$W/dockerd.log" 2>&1 &
dockerd_pid=$!
D=(-H "unix://$W/d.sock")
for _ in $(seq 300); do docker "${D[@]}" version >/dev/null 2>&1 && break; sleep 0.2; done
docker "${D[@]}" load -i "$W/busybox.tar" >/dev/null
podman "${P[@]}" load -i "$W/busybox.tar" >/dev/null
PODMAN_RUN=(--network host --ulimit nofile=20000:20000 --ulimit nproc=32768:32768)

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
# The CPU seconds (user + system) a command used, children included (for strata the JVM; for docker and podman
# the client only: their daemon and cleanup processes work elsewhere).
cpu() { /usr/bin/time -f "%U %S" -a -o "$W/cpu-$1" "${@:2}"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# Warm-up: builds, AOT cache, page cache.
"$strata" --root "$W/strata" run --rm busybox true
docker "${D[@]}" run --rm --network host busybox true
podman "${P[@]}" run --rm "${PODMAN_RUN[@]}" busybox true

: >"$W/strata-run" >"$W/strata-cs" >"$W/docker-run" >"$W/docker-cs" >"$W/podman-run" >"$W/podman-cs" >"$W/strata-version"
for i in $(seq "$N"); do
    t=$(date +%s%N); "$strata" --version >/dev/null; ms "$t" >>"$W/strata-version"
    t=$(date +%s%N); cpu run "$strata" --root "$W/strata" run --rm busybox true; ms "$t" >>"$W/strata-run"
    t=$(date +%s%N); docker "${D[@]}" run --rm --network host busybox true; ms "$t" >>"$W/docker-run"
    t=$(date +%s%N); podman "${P[@]}" run --rm "${PODMAN_RUN[@]}" busybox true; ms "$t" >>"$W/podman-run"

    t=$(date +%s%N); id=$("$strata" --root "$W/strata" create busybox true); "$strata" --root "$W/strata" start "$id" >/dev/null
    ms "$t" >>"$W/strata-cs"
    t=$(date +%s%N); id=$(docker "${D[@]}" create --network host busybox true); docker "${D[@]}" start "$id" >/dev/null
    ms "$t" >>"$W/docker-cs"
    t=$(date +%s%N); id=$(podman "${P[@]}" create "${PODMAN_RUN[@]}" busybox true); podman "${P[@]}" start "$id" >/dev/null
    ms "$t" >>"$W/podman-cs"
done

printf '%-28s %8s %8s %8s\n' "median of $N (ms)" strata docker podman
printf '%-28s %8s %8s %8s\n' "run --rm busybox true" "$(median <"$W/strata-run")" "$(median <"$W/docker-run")" "$(median <"$W/podman-run")"
printf '%-28s %8s %8s %8s\n' "create + start" "$(median <"$W/strata-cs")" "$(median <"$W/docker-cs")" "$(median <"$W/podman-cs")"
printf '%-28s %8s\n' "strata --version (JVM floor)" "$(median <"$W/strata-version")"
printf 'CPU seconds of strata run --rm (median): %s\n' "$(awk '{print $1 + $2}' "$W/cpu-run" | median)"
printf 'load average: %s; %s; %s; %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" "$(docker "${D[@]}" version --format 'docker {{.Server.Version}}')" \
    "$(podman --version)" "$(runc --version | head -1)"
for f in strata-run docker-run podman-run strata-cs docker-cs podman-cs; do printf '%s: %s\n' "$f" "$(tr '\n' ' ' <"$W/$f")"; done
