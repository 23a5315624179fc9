package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.engine.container.CommitOptions;
import dev.strata.error.StrataException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "commit", description = "Create a new image from a container's changes.")
public final class CommitCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1", arity = "0..1", paramLabel = "REPOSITORY[:TAG]")
    String reference;

    @Option(names = {"-a", "--author"}, description = "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\").")
    String author;

    @Option(names = {"-c", "--change"}, description = "Apply Dockerfile instruction to the created image.")
    List<String> changes = new ArrayList<>();

    @Option(names = {"-m", "--message"}, description = "Commit message.")
    String message;

    @Option(names = {"-p", "--pause"}, negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Pause container during commit (default true).")
    boolean pause;

    @Override
    int run(Strata strata) throws IOException, StrataException {
        var image = strata.containers().commit(container, new CommitOptions(Optional.ofNullable(reference), changes,
                Optional.ofNullable(message), Optional.ofNullable(author)));
        out().println(image.id());
        return 0;
    }
}
