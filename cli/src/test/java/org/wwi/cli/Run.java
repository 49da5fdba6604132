package org.wwi.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** The outcome of one {@code wwi} command line run in-process. */
record Run(int exitCode, String out, String err) {

    static Run of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }
}
