extension TerminalText {
    /// JSON text with every scalar that is not safe for a terminal (bidi controls, C1 controls,
    /// other invisible format characters, DEL) written as a `\uXXXX` escape (UTF-16 units), which
    /// every JSON reader decodes back. Works on the bytes: ASCII, nearly all of JSON, is copied as
    /// it is. Meant for JSON, where a raw control character cannot stand outside a string.
    public static func escapingUnsafe(json bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 16)
        let hex = Array("0123456789abcdef".utf8)
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            if lead == 0x7F {
                out.append(contentsOf: Array("\\u007f".utf8))
                index += 1
                continue
            }
            if lead < 0x80 {
                out.append(lead)
                index += 1
                continue
            }
            let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
            let end = min(bytes.count, index + length)
            let sequence = bytes[index..<end]
            guard let text = String(validating: sequence, as: UTF8.self), let scalar = text.unicodeScalars.first,
                  text.unicodeScalars.count == 1
            else {
                out.append(contentsOf: sequence)
                index = end
                continue
            }
            if TerminalText.isSafe(scalar) {
                out.append(contentsOf: sequence)
            } else {
                for unit in String(scalar).utf16 {
                    out.append(contentsOf: [92, 117])  // \u
                    for shift in stride(from: 12, through: 0, by: -4) { out.append(hex[Int((unit >> UInt16(shift)) & 0xF)]) }
                }
            }
            index = end
        }
        return out
    }
}
