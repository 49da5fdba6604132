package org.wwi.cli;

import org.wwi.platform.ErrorKind;
import org.wwi.platform.WwiException;
import picocli.CommandLine;

import java.io.PrintWriter;

/** Entry point of the {@code wwi} executable. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line and returns the exit code (used by tests too). */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new WwiCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((e, args1) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("error: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, c.getErr());
            c.getErr().println();
            c.usage(c.getErr());
            return c.getCommandSpec().exitCodeOnInvalidInput();
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof WwiException w) {
                commandLine.getErr().println("error: " + w.getMessage());
                if (w.kind() == ErrorKind.INTERNAL) {
                    e.printStackTrace(commandLine.getErr());
                }
                return w.kind().exitCode();
            }
            commandLine.getErr().println("error: internal error, please report it: " + e);
            e.printStackTrace(commandLine.getErr());
            return ErrorKind.INTERNAL.exitCode();
        });
        return cl.execute(args);
    }
}
