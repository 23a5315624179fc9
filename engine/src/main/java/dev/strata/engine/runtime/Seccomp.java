package dev.strata.engine.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seccomp profile every container gets. Docker's default profile is an allowlist of about 370 system calls,
 * with more allowed per added capability. Strata containers always have Docker's default capabilities (there is
 * no {@code --cap-add} or {@code --privileged}), so the calls Docker withholds from such a container are a fixed,
 * short set, and this profile denies exactly that set instead (EPERM, as Docker's default action):
 * <ul>
 *   <li>what needs capabilities a container lacks: mounting and namespaces (CAP_SYS_ADMIN: mount, umount2,
 *       the new mount API, unshare, setns, and clone with any CLONE_NEW* flag), kernel modules, kexec, reboot,
 *       swap, accounting, setting the clock, raw I/O ports, syslog, NUMA memory policy, kcmp and pidfd_getfd,
 *       BPF and perf events, sethostname, quotactl, vhangup;</li>
 *   <li>what Docker blocks for everyone: the kernel keyring (add_key, keyctl, request_key), userfaultfd,
 *       io_uring, open_by_handle_at (the "shocker" escape), AF_ALG and AF_VSOCK sockets, and obsolete calls
 *       (uselib, ustat, sysfs, _sysctl, vm86, nfsservctl, ...);</li>
 *   <li>clone3 returns ENOSYS, as in Docker, so that libc falls back to clone, whose flags a filter can see.</li>
 * </ul>
 * The trade-off, documented rather than hidden: a system call newer than this list is allowed here, where
 * Docker's allowlist refuses it until the profile is updated; and personality(2) is not narrowed to Docker's five
 * values. Everything else matches what a default Docker container may call.
 */
final class Seccomp {
    private static final int EPERM = 1;
    private static final int ENOSYS = 38;

    private static final List<String> DENIED = List.of(
            // mounts and namespaces (CAP_SYS_ADMIN)
            "mount", "umount", "umount2", "pivot_root", "fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree",
            "mount_setattr", "unshare", "setns", "sethostname", "setdomainname", "quotactl", "quotactl_fd", "lookup_dcookie",
            "fanotify_init", "bpf", "perf_event_open", "lsm_get_self_attr", "lsm_set_self_attr", "lsm_list_modules",
            // kernel, machine and time (CAP_SYS_MODULE, _BOOT, _PACCT, _TIME, _RAWIO, _TTY_CONFIG, SYSLOG)
            "init_module", "finit_module", "delete_module", "create_module", "query_module", "get_kernel_syms", "kexec_load",
            "kexec_file_load", "reboot", "swapon", "swapoff", "acct", "settimeofday", "stime", "clock_settime", "clock_settime64",
            "iopl", "ioperm", "vhangup", "syslog",
            // memory policy (CAP_SYS_NICE) and peeking at other processes (CAP_SYS_PTRACE)
            "get_mempolicy", "set_mempolicy", "set_mempolicy_home_node", "mbind", "migrate_pages", "move_pages", "kcmp",
            "pidfd_getfd", "process_madvise",
            // blocked for everyone
            "add_key", "keyctl", "request_key", "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
            "open_by_handle_at", "uselib", "ustat", "sysfs", "_sysctl", "nfsservctl", "vm86", "vm86old", "afs_syscall",
            "getpmsg", "putpmsg", "security", "tuxcall", "vserver");

    /** CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET. */
    private static final long[] CLONE_NEW = {0x00020000L, 0x02000000L, 0x04000000L, 0x08000000L, 0x10000000L, 0x20000000L,
        0x40000000L};
    private static final int AF_ALG = 38;
    private static final int AF_VSOCK = 40;

    private Seccomp() {
    }

    static Map<String, Object> profile() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("defaultAction", "SCMP_ACT_ALLOW");
        List<String> arches = architectures();
        if (!arches.isEmpty()) {
            p.put("architectures", arches);
        }
        List<Object> rules = new ArrayList<>();
        rules.add(rule(DENIED, EPERM, List.of()));
        rules.add(rule(List.of("clone3"), ENOSYS, List.of()));
        for (long flag : CLONE_NEW) {
            rules.add(rule(List.of("clone"), EPERM, List.of(arg(0, flag, flag, "SCMP_CMP_MASKED_EQ"))));
        }
        for (int family : new int[] {AF_ALG, AF_VSOCK}) {
            rules.add(rule(List.of("socket"), EPERM, List.of(arg(0, family, 0, "SCMP_CMP_EQ"))));
        }
        p.put("syscalls", rules);
        return p;
    }

    /** The native ABI and its compat ABIs: a filter that left them out would let 32-bit calls around it. */
    private static List<String> architectures() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
            case "aarch64" -> List.of("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM");
            default -> List.of();
        };
    }

    private static Map<String, Object> rule(List<String> names, int errno, List<Object> args) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("names", names);
        r.put("action", "SCMP_ACT_ERRNO");
        r.put("errnoRet", errno);
        if (!args.isEmpty()) {
            r.put("args", args);
        }
        return r;
    }

    private static Map<String, Object> arg(int index, long value, long valueTwo, String op) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("index", index);
        a.put("value", value);
        a.put("valueTwo", valueTwo);
        a.put("op", op);
        return a;
    }
}
