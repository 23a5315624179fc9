package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.error.StrataException;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "tag", description = "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE.")
public final class TagCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "SOURCE_IMAGE[:TAG]")
    String source;

    @Parameters(index = "1", paramLabel = "TARGET_IMAGE[:TAG]")
    String target;

    @Override
    int run(Strata strata) throws IOException, StrataException {
        strata.images().tag(source, target);
        return 0;
    }
}
