package dev.strata.cli.command;

import dev.strata.engine.registry.RegistryService;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "logout", description = "Log out from a registry (Docker Hub when no server is given).")
public final class LogoutCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SERVER")
    String server;

    @Mixin
    RegistryFlags registry = new RegistryFlags();

    @Override
    public Integer call() throws Exception {
        String key = RegistryService.authKey(Optional.ofNullable(server));
        if (RegistryService.logout(Optional.ofNullable(server), registry.options())) {
            spec.commandLine().getOut().println("Removing login credentials for " + key);
        } else {
            spec.commandLine().getOut().println("Not logged in to " + key);
        }
        return 0;
    }
}
