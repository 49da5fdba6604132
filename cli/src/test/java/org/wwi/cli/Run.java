package org.wwi.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** The outcome of one {@code wwi} command line run in-process. */
record Run(int exitCode, String out, String err) {

    /** {@code wwi --project ROOT --db URL ARGS...}. */
    static Run in(java.nio.file.Path root, String url, String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "--project";
        all[1] = root.toString();
        all[2] = "--db";
        all[3] = url;
        System.arraycopy(args, 0, all, 4, args.length);
        return of(all);
    }

    static Run of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }
}
