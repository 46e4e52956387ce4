import ECGridKit

/// Writes user records as compact JSON straight into bytes, for the pages the sandbox serves
/// most (`users/list`, `users/by-name`): what `JSONEncoder` makes of `WireUser`, field for field,
/// at a fraction of the cost, so a 100,000-user walk measures the client, not the encoder.
enum WireUserWriter {
    /// A whole successful envelope whose data is `users`.
    static func envelope(_ users: [WireUser]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + users.count * 420)
        out += Array(#"{"success":true,"data":["#.utf8)
        for (index, user) in users.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            write(user, into: &out)
        }
        out += Array(#"],"errorCode":"","message":""}"#.utf8)
        return out
    }

    static func write(_ wire: WireUser, into out: inout [UInt8]) {
        let user = wire.user
        var first = true
        func key(_ name: String) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            string(name, into: &out)
            out.append(UInt8(ascii: ":"))
        }
        out.append(UInt8(ascii: "{"))
        key("userId")
        out += Array(String(user.userId).utf8)
        key(wire.quirky ? "loginName" : "login")
        string(user.login, into: &out)
        let texts: [(String, String?)] = [("email", user.email), ("firstName", user.firstName), ("lastName", user.lastName)]
        for (name, value) in texts { if let value { key(name); string(value, into: &out) } }
        if let network = user.networkId { key("networkId"); out += Array(String(network).utf8) }
        if let mailbox = user.mailboxId { key("mailboxId"); out += Array(String(mailbox).utf8) }
        if let level = user.authLevel { key("authLevel"); string(level.rawValue, into: &out) }
        if let status = user.status { key("status"); string(status.rawValue, into: &out) }
        if let created = user.created { key("created"); string(created.text, into: &out) }
        if let company = user.company { key("company"); string(company, into: &out) }
        if let phone = user.phone { key("phone"); string(phone, into: &out) }
        if let lastLogin = user.lastLogin { key("lastLogin"); string(lastLogin.text, into: &out) }
        if let sessions = user.openSessions { key("openSessions"); out += Array(String(sessions).utf8) }
        if let locked = user.lockoutStatus { key("lockoutStatus"); out += Array((locked ? "true" : "false").utf8) }
        if let timeOut = user.timeOut { key("timeOut"); out += Array(String(timeOut).utf8) }
        if let modified = user.modified { key("modified"); string(modified.text, into: &out) }
        if wire.quirky {
            key("sandboxNote")
            string("fields the client does not know must be ignored", into: &out)
            key("portalSettings")
            out += Array(#"{"theme":"dark"}"#.utf8)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// A JSON string: quote, backslash and control characters escaped, the rest as UTF-8.
    static func string(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [92, 34]
            case UInt8(ascii: "\\"): out += [92, 92]
            case 0x0A: out += [92, UInt8(ascii: "n")]
            case 0x0D: out += [92, UInt8(ascii: "r")]
            case 0x09: out += [92, UInt8(ascii: "t")]
            case 0x08: out += [92, UInt8(ascii: "b")]
            case 0x0C: out += [92, UInt8(ascii: "f")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += [92, UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default:
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
