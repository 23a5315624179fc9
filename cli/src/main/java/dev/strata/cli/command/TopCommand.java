package dev.strata.cli.command;

import dev.strata.cli.format.Table;
import dev.strata.engine.Strata;
import dev.strata.engine.container.TopResult;
import dev.strata.error.StrataException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "top", description = "Display the running processes of a container.")
public final class TopCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String name;

    @Parameters(index = "1..*", paramLabel = "PS_OPTIONS", description = "Options for ps (default -ef).")
    List<String> psArgs = new ArrayList<>();

    @Override
    int run(Strata strata) throws IOException, StrataException {
        TopResult top = strata.containers().views().top(name, psArgs);
        Table t = Table.docker();
        t.row(top.titles());
        for (List<String> p : top.processes()) {
            t.row(p);
        }
        out().print(t.render());
        return 0;
    }
}
