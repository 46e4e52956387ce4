import ConsoleUI
import ECGridKit
import Foundation

/// The environment variables the program reads, for `--help` and the man page.
enum EnvironmentVariables {
    /// Name and meaning of each variable, in the order the man page lists them.
    static let all: [(name: String, meaning: String)] = [
        ("ECGRID_API_KEY", "The API key to act with (as in ECGrid's own docs); never an argument. A profile's key source comes first."),
        ("ECGRID_BASE_URL", "The ECGrid base URL when --base-url is not given (before the profile's); default https://rest.ecgrid.io."),
        ("ECGRID_CA_FILE", "One more CA certificate (PEM) to trust, such as the sandbox's; verification stays on."),
        ("ECGRID_TOKEN_FILE", "A session token saved by login --save-token, used when no API key is set; must be owner-only."),
        ("ECGRID_CONSOLE_ACCESSIBLE", "Set to 1 to open the console in its accessible line mode (as --accessible)."),
        ("ECGRID_CONSOLE_CONFIG", "The config file of profiles, instead of $XDG_CONFIG_HOME/ecgrid-console/config.toml."),
        ("ECGRID_CONSOLE_HISTORY", "The incident history file, instead of $XDG_STATE_HOME/ecgrid-console/history.jsonl."),
        ("ECGRID_CONSOLE_LOG", "Append logs to this file (created owner-only); without it logs are dropped, never shown."),
        ("ECGRID_CONSOLE_LOG_LEVEL", "The log level: trace, debug, info (default), notice, warning, error or critical."),
        ("ECGRID_CONSOLE_SYSLOG", "Set to 1 to copy every history record to syslog (/dev/log, facility authpriv)."),
        ("NO_COLOR", "When set and not empty, the console uses no colour (everything is also said in words)."),
    ]

    /// The list as `--help` shows it.
    static var helpText: String {
        let width = (all.map(\.name.count).max() ?? 0) + 2
        return "ENVIRONMENT:\n" + all.map { "  " + $0.name.padding(toLength: width, withPad: " ", startingAt: 0) + $0.meaning }
            .joined(separator: "\n")
    }
}

/// The man page's sections that swift-argument-parser's generate-manual does not write: KEYS
/// (from the console's binding table), ENVIRONMENT, FILES and EXIT STATUS, in mdoc.
/// `scripts/man` splices them in place of the generic EXIT STATUS section.
enum ManualSections {
    static var mdoc: String {
        var lines: [String] = []
        lines += [".Sh KEYS", "In the console (the same table drives the keys, the hint bar and the help screen that",
                  ".Sy \\&? opens):", ".Bl -tag -width Shift-Tab"]
        for binding in KeyBindings.table {
            lines += [".It Sy " + quoted(binding.keyLabel), escaped(binding.help)]
        }
        lines += [".El", ".Pp", "In dialogs:", ".Bl -tag -width Shift-Tab"]
        for (key, help) in KeyBindings.dialogHelp {
            lines += [".It Sy " + quoted(key), escaped(help)]
        }
        lines += [".El"]

        lines += [".Sh ENVIRONMENT", ".Bl -tag -width Ds"]
        for variable in EnvironmentVariables.all {
            lines += [".It Ev " + variable.name, escaped(variable.meaning)]
        }
        lines += [".El"]

        lines += [".Sh FILES", ".Bl -tag -width Ds"]
        for (path, meaning) in files {
            lines += [".It Pa " + quoted(path), escaped(meaning)]
        }
        lines += [".El"]

        lines += [".Sh EXIT STATUS", ".Bl -tag -width Ds"]
        for (status, meaning) in exitStatuses {
            lines += [".It Sy \(status)", escaped(meaning)]
        }
        lines += [".El"]
        return lines.joined(separator: "\n")
    }

    static let files: [(String, String)] = [
        ("~/.config/ecgrid-console/config.toml",
         "Profiles ($XDG_CONFIG_HOME/ecgrid-console/config.toml, or $ECGRID_CONSOLE_CONFIG)."),
        ("~/.local/state/ecgrid-console/history.jsonl",
         "The incident history, append-only JSON Lines, mode 0600 ($XDG_STATE_HOME/ecgrid-console/history.jsonl, or $ECGRID_CONSOLE_HISTORY)."),
        ("~/.local/state/ecgrid-console/history.jsonl.tip",
         "The tip of the history: the last sequence number and hash, so history verify finds truncation."),
        ("FILE of login --save-token",
         "A saved session token (mode 0600), used through $ECGRID_TOKEN_FILE; written only when asked."),
    ]

    static let exitStatuses: [(Int32, String)] = [
        (ExitStatus.success, "Everything requested was done."),
        (ExitStatus.failure, "An action failed at the server or on the way, or its outcome is unknown (check before repeating)."),
        (ExitStatus.refused, "Refused before anything was sent: no credential, bad input, not confirmed, read-only, http:// to a remote host."),
        (64, "A usage error (an unknown option, a missing argument)."),
    ]

    /// Text for an mdoc body line: backslashes escaped, and a leading `.` or `'` made literal.
    static func escaped(_ text: String) -> String {
        let body = text.replacingOccurrences(of: "\\", with: "\\e")
        return body.hasPrefix(".") || body.hasPrefix("'") ? "\\&" + body : body
    }

    /// A macro argument in double quotes (mdoc has no escape for `"` inside: it becomes `\(dq`).
    static func quoted(_ text: String) -> String {
        "\"" + escaped(text).replacingOccurrences(of: "\"", with: "\\(dq") + "\""
    }
}
