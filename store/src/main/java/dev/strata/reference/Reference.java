package dev.strata.reference;

import dev.strata.digest.Digest;
import java.util.Objects;
import java.util.Optional;

/**
 * A normalised image reference, {@code domain/path[:tag][@digest]}, as Docker reads image names
 * (distribution/reference {@code ParseNormalizedNamed}): {@code ubuntu} is {@code docker.io/library/ubuntu},
 * {@code foo/bar} is {@code docker.io/foo/bar}, {@code localhost:5000/a/b:tag} keeps its registry.
 *
 * <p>A {@code Reference} in hand is always valid and canonical: the constructor validates every part, maps
 * {@code index.docker.io} to {@code docker.io} and puts single-component Docker Hub paths under
 * {@code library/}, so that equal references are equal records and {@code parse(r.toString()).equals(r)}.
 * A reference may carry both a tag and a digest, as Docker allows ({@code name:tag@sha256:...}).
 */
public record Reference(String domain, String path, Optional<String> tag, Optional<Digest> digest) {
    /** The registry that names without a domain refer to. */
    public static final String DEFAULT_DOMAIN = "docker.io";
    /** The tag that {@link #withDefaultTag()} adds. */
    public static final String DEFAULT_TAG = "latest";
    private static final String LEGACY_DEFAULT_DOMAIN = "index.docker.io";
    private static final String OFFICIAL_REPO_PREFIX = "library/";
    private static final String LOCALHOST = "localhost";

    public Reference {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(digest, "digest");
        if (domain.equals(LEGACY_DEFAULT_DOMAIN)) {
            domain = DEFAULT_DOMAIN;
        }
        if (domain.equals(DEFAULT_DOMAIN) && !path.isEmpty() && path.indexOf('/') < 0) {
            path = OFFICIAL_REPO_PREFIX + path;
        }
        Optional<String> problem = problem(domain, path, tag);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(new InvalidReferenceException(domain + "/" + path, problem.get()).getMessage());
        }
    }

    private static Optional<String> problem(String domain, String path, Optional<String> tag) {
        Optional<String> problem = Grammar.checkDomain(domain);
        if (problem.isEmpty() && !isDomainLike(domain)) {
            problem = Optional.of("domain " + InvalidReferenceException.quote(domain)
                    + " would be read as part of the path: a domain has a '.' or a ':port', or is localhost");
        }
        return problem.or(() -> Grammar.checkPath(path)).or(() -> tag.flatMap(Grammar::checkTag));
    }

    /**
     * Parses a reference the way the {@code docker} CLI does and normalises it: a missing domain means
     * {@code docker.io}, a single Docker Hub component goes under {@code library/}. No default tag is added
     * (see {@link #withDefaultTag()}).
     *
     * @throws InvalidReferenceException quoting {@code text} and naming the rule it broke
     */
    public static Reference parse(String text) throws InvalidReferenceException {
        Objects.requireNonNull(text, "reference");
        if (text.isEmpty()) {
            throw new InvalidReferenceException(text, "repository name must not be empty");
        }
        if (Grammar.isLowerHex(text, 64, 64)) {
            throw new InvalidReferenceException(text,
                    "cannot specify 64-byte hexadecimal strings as a repository name (this is an image ID)");
        }

        int at = text.indexOf('@');
        String name = at < 0 ? text : text.substring(0, at);
        Optional<Digest> digest = Optional.empty();
        if (at >= 0) {
            digest = Optional.of(parseDigest(text, text.substring(at + 1)));
        }
        if (name.isEmpty() || name.startsWith(":")) {
            throw new InvalidReferenceException(text, "repository name must not be empty");
        }

        // Split off the domain exactly as Docker's splitDockerDomain does.
        String domain;
        String remainder;
        int slash = name.indexOf('/');
        String first = slash < 0 ? "" : name.substring(0, slash);
        if (slash < 0) {
            domain = DEFAULT_DOMAIN;
            remainder = name;
        } else if (isDomainLike(first)) {
            domain = first.equals(LEGACY_DEFAULT_DOMAIN) ? DEFAULT_DOMAIN : first;
            remainder = name.substring(slash + 1);
        } else {
            domain = DEFAULT_DOMAIN;
            remainder = name;
        }

        int colon = remainder.indexOf(':');
        String path = colon < 0 ? remainder : remainder.substring(0, colon);
        Optional<String> tag = colon < 0 ? Optional.empty() : Optional.of(remainder.substring(colon + 1));

        Optional<String> problem = (domain.equals(DEFAULT_DOMAIN) ? Optional.<String>empty() : Grammar.checkDomain(domain))
                .or(() -> Grammar.checkPath(path))
                .or(() -> tag.flatMap(Grammar::checkTag));
        if (problem.isPresent()) {
            throw new InvalidReferenceException(text, problem.get());
        }
        return new Reference(domain, path, tag, digest);
    }

    private static Digest parseDigest(String text, String digest) throws InvalidReferenceException {
        if (digest.isEmpty()) {
            throw new InvalidReferenceException(text, "digest must not be empty after '@'");
        }
        try {
            return Digest.parse(digest);
        } catch (IllegalArgumentException e) {
            throw new InvalidReferenceException(text, e.getMessage());
        }
    }

    /**
     * Docker's rule for the first path element: it names a registry when it contains a '.' or a ':' or is
     * {@code localhost}, or has an upper-case letter (repository paths are lower case); otherwise it is the
     * first component of a Docker Hub path.
     */
    private static boolean isDomainLike(String first) {
        return first.equals(LOCALHOST) || first.indexOf('.') >= 0 || first.indexOf(':') >= 0
                || Grammar.hasUpperCase(first);
    }

    /** The repository name with its domain, e.g. {@code docker.io/library/ubuntu}. */
    public String name() {
        return domain + "/" + path;
    }

    /**
     * The name as Docker shows it: {@code docker.io/} and a sole {@code library/} are dropped
     * ({@code ubuntu}, {@code foo/bar}); other registries stay ({@code localhost:5000/a/b}).
     */
    public String familiarName() {
        if (!domain.equals(DEFAULT_DOMAIN)) {
            return name();
        }
        if (path.startsWith(OFFICIAL_REPO_PREFIX)) {
            String rest = path.substring(OFFICIAL_REPO_PREFIX.length());
            if (rest.indexOf('/') < 0) {
                return rest;
            }
        }
        return path;
    }

    /** This reference with tag {@code latest} when it has neither a tag nor a digest; otherwise itself. */
    public Reference withDefaultTag() {
        return isNameOnly() ? withTag(DEFAULT_TAG) : this;
    }

    /** True when the reference has neither a tag nor a digest. */
    public boolean isNameOnly() {
        return tag.isEmpty() && digest.isEmpty();
    }

    /**
     * This reference with {@code tag} (replacing any tag, keeping any digest).
     *
     * @throws IllegalArgumentException when {@code tag} is not a valid tag
     */
    public Reference withTag(String tag) {
        return new Reference(domain, path, Optional.of(tag), digest);
    }

    /** This reference with {@code digest} (replacing any digest, keeping any tag). */
    public Reference withDigest(Digest digest) {
        return new Reference(domain, path, tag, Optional.of(digest));
    }

    /** The repository alone, without tag or digest. */
    public Reference repository() {
        return new Reference(domain, path, Optional.empty(), Optional.empty());
    }

    /** The full canonical form, e.g. {@code docker.io/library/ubuntu:22.04@sha256:...}. */
    @Override
    public String toString() {
        return name() + suffix();
    }

    /** The form Docker prints, e.g. {@code ubuntu:latest} or {@code localhost:5000/a/b@sha256:...}. */
    public String familiarString() {
        return familiarName() + suffix();
    }

    private String suffix() {
        return tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
    }
}
