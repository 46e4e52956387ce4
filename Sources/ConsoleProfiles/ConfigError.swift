/// A problem in the config file or a key file, named by file, line and key so the operator
/// can go straight to it.
package struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    package var path: String
    /// 1-based line, when known.
    package var line: Int?
    /// The dotted key, for example `profiles.prod.read_only`.
    package var key: String?
    package var message: String

    package init(path: String, line: Int? = nil, key: String? = nil, message: String) {
        self.path = path
        self.line = line
        self.key = key
        self.message = message
    }

    /// `config.toml:12: profiles.prod.read_only: must be true or false`
    package var description: String {
        var text = path
        if let line { text += ":\(line)" }
        text += ": "
        if let key { text += "\(key): " }
        return text + message
    }
}
