/// A problem in the config file or a key file, named by file, line and key so the operator
/// can go straight to it.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    /// 1-based line, when known.
    public var line: Int?
    /// The dotted key, for example `profiles.prod.read_only`.
    public var key: String?
    public var message: String

    public init(path: String, line: Int? = nil, key: String? = nil, message: String) {
        self.path = path
        self.line = line
        self.key = key
        self.message = message
    }

    /// `config.toml:12: profiles.prod.read_only: must be true or false`
    public var description: String {
        var text = path
        if let line { text += ":\(line)" }
        text += ": "
        if let key { text += "\(key): " }
        return text + message
    }
}
