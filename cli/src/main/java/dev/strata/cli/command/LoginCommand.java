package dev.strata.cli.command;

import dev.strata.engine.registry.Credentials;
import dev.strata.engine.registry.RegistryService;
import dev.strata.error.InvalidArgumentException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "login", description = "Log in to a registry (Docker Hub when no server is given).")
public final class LoginCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SERVER")
    String server;

    @Option(names = {"-u", "--username"}, description = "Username.")
    String username;

    @Option(names = {"-p", "--password"}, description = "Password.")
    String password;

    @Option(names = "--password-stdin", description = "Take the password from stdin.")
    boolean passwordStdin;

    @Mixin
    RegistryFlags registry = new RegistryFlags();

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        if (password != null && passwordStdin) {
            throw new InvalidArgumentException("--password and --password-stdin are mutually exclusive");
        }
        java.io.Console console = System.console();
        boolean tty = console != null && console.isTerminal();
        if (passwordStdin) {
            if (username == null) {
                throw new InvalidArgumentException("must provide --username with --password-stdin");
            }
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            password = line == null ? "" : line.replaceAll("[\r\n]+$", "");
        } else if (password != null) {
            err.println("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
        }
        if (username == null || password == null) {
            if (!tty) {
                throw new InvalidArgumentException("cannot perform an interactive login from a non TTY device");
            }
            if (username == null) {
                username = console.readLine("Username: ").strip();
            }
            if (password == null) {
                password = new String(console.readPassword("Password: "));
            }
        }
        if (username.isEmpty() || password.isEmpty()) {
            throw new InvalidArgumentException("username and password are required");
        }
        RegistryService.login(Optional.ofNullable(server), new Credentials(username, password), registry.options());
        out.println("Login Succeeded");
        return 0;
    }
}
