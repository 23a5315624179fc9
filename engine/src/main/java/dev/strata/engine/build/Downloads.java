package dev.strata.engine.build;

import dev.strata.digest.Digest;
import dev.strata.digest.DigestingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** ADD's URL sources: downloaded with the JDK's HTTP client before the step's cache lookup, as Docker does. */
final class Downloads {
    private static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30)).build();

    private Downloads() {
    }

    /**
     * A downloaded file.
     *
     * @param name     its name at a directory destination: the last element of the URL's path
     * @param modified the {@code Last-Modified} time (the file's mtime, as in Docker), else now
     */
    record Downloaded(String name, Digest digest, Instant modified) {
    }

    static Downloaded get(String url, Path file, Instruction instruction) throws IOException, DockerfileException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw DockerfileException.at(instruction.location(), "ADD", "invalid URL " + url + ": " + e.getMessage());
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.isEmpty()) {
            throw DockerfileException.at(instruction.location(), "ADD", "cannot determine filename from url: " + url);
        }
        HttpResponse<InputStream> response;
        try {
            response = CLIENT.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while downloading " + url);
        } catch (IOException e) {
            throw DockerfileException.at(instruction.location(), "ADD", "failed to download " + url + ": " + e);
        }
        Digest digest;
        try (InputStream body = response.body()) {
            if (response.statusCode() >= 400) {
                throw DockerfileException.at(instruction.location(), "ADD",
                        "failed to GET " + url + " with status " + response.statusCode());
            }
            DigestingInputStream in = new DigestingInputStream(body);
            try (OutputStream out = Files.newOutputStream(file)) {
                in.transferTo(out);
            }
            digest = in.digest();
        }
        Instant modified = response.headers().firstValue("Last-Modified").flatMap(Downloads::httpDate).orElse(Instant.now());
        return new Downloaded(name, digest, modified);
    }

    private static java.util.Optional<Instant> httpDate(String value) {
        try {
            return java.util.Optional.of(ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return java.util.Optional.empty();
        }
    }
}
