package dev.strata.engine.runtime;

import dev.strata.error.InvalidArgumentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves {@code -u name|uid[:group|gid]} against the container's own {@code /etc/passwd} and {@code /etc/group},
 * with runc's and Docker's rules: a numeric ID needs no entry, a name does; without an explicit group the user's
 * primary group applies and the groups that list the user by name are added as supplementary groups.
 */
public final class Users {
    /** The process's credentials; {@code groups} are the additional GIDs, the primary one first (as Docker sets them). */
    public record ExecUser(int uid, int gid, List<Integer> groups, String home) {
    }

    private record PasswdEntry(String name, int uid, int gid, String home) {
    }

    private record GroupEntry(String name, int gid, List<String> members) {
    }

    private Users() {
    }

    public static ExecUser resolve(Path rootfs, String spec) throws IOException, InvalidArgumentException {
        String userPart = spec == null ? "" : spec;
        String groupPart = null;
        int colon = userPart.indexOf(':');
        if (colon >= 0) {
            groupPart = userPart.substring(colon + 1);
            userPart = userPart.substring(0, colon);
        }
        Integer uidArg = userPart.isEmpty() ? Integer.valueOf(0) : number(userPart);
        List<PasswdEntry> passwd = passwd(rootfs);
        PasswdEntry matched = null;
        for (PasswdEntry e : passwd) {
            if (uidArg != null ? e.uid() == uidArg : e.name().equals(userPart)) {
                matched = e;
                break;
            }
        }
        if (matched == null && uidArg == null) {
            throw new InvalidArgumentException("unable to find user " + userPart + ": no matching entries in passwd file");
        }
        int uid = matched != null ? matched.uid() : uidArg;
        int gid = matched != null ? matched.gid() : 0;
        String home = matched != null ? matched.home() : "/";
        List<Integer> groups = new ArrayList<>();
        if (groupPart != null && !groupPart.isEmpty()) {
            Integer gidArg = number(groupPart);
            if (gidArg != null) {
                gid = gidArg;
            } else {
                String name = groupPart;
                GroupEntry g = group(rootfs).stream().filter(e -> e.name().equals(name)).findFirst()
                        .orElseThrow(() -> new InvalidArgumentException("unable to find group " + name + ": no matching entries in group file"));
                gid = g.gid();
            }
            groups.add(gid);
        } else {
            groups.add(gid);
            if (matched != null) {
                for (GroupEntry g : group(rootfs)) {
                    if (g.members().contains(matched.name()) && !groups.contains(g.gid())) {
                        groups.add(g.gid());
                    }
                }
            }
        }
        if (uid < 0 || gid < 0) {
            throw new InvalidArgumentException("invalid user " + spec + ": IDs must not be negative");
        }
        return new ExecUser(uid, gid, List.copyOf(groups), home);
    }

    private static Integer number(String s) {
        if (s.isEmpty() || !s.chars().allMatch(Character::isDigit)) {
            return null;
        }
        try {
            return Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static List<String> lines(Path rootfs, String file) throws IOException {
        Path p = InRoot.resolve(rootfs, file);
        if (!Files.isRegularFile(p)) {
            return List.of();
        }
        return List.of(Files.readString(p, StandardCharsets.UTF_8).split("\n"));
    }

    private static List<PasswdEntry> passwd(Path rootfs) throws IOException {
        List<PasswdEntry> out = new ArrayList<>();
        for (String line : lines(rootfs, "/etc/passwd")) {
            String[] f = line.split(":", -1);
            if (line.isBlank() || line.startsWith("#") || f.length < 4) {
                continue;
            }
            Integer uid = number(f[2]);
            Integer gid = number(f[3]);
            if (uid != null && gid != null) {
                out.add(new PasswdEntry(f[0], uid, gid, f.length > 5 && !f[5].isEmpty() ? f[5] : "/"));
            }
        }
        return out;
    }

    private static List<GroupEntry> group(Path rootfs) throws IOException {
        List<GroupEntry> out = new ArrayList<>();
        for (String line : lines(rootfs, "/etc/group")) {
            String[] f = line.split(":", -1);
            if (line.isBlank() || line.startsWith("#") || f.length < 3) {
                continue;
            }
            Integer gid = number(f[2]);
            if (gid != null) {
                out.add(new GroupEntry(f[0], gid, f.length > 3 && !f[3].isEmpty() ? List.of(f[3].split(",")) : List.of()));
            }
        }
        return out;
    }
}
