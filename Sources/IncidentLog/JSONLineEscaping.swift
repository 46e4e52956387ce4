/// Makes an encoded JSON line safe to `cat` or `tail -f` on a terminal: every character that
/// could move the cursor, change the terminal's state or reorder the text around it is written
/// as a `\uXXXX` escape. JSON readers decode them back to the same characters.
///
/// JSONEncoder already escapes C0 controls; this adds DEL, the C1 controls (U+0080–U+009F), the
/// bidi controls and marks (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), the line and
/// paragraph separators (U+2028, U+2029), zero-width characters (U+200B–U+200D, U+2060–U+2064)
/// and the byte order mark (U+FEFF). In the encoder's output these can only occur inside
/// strings, so replacing them there keeps the JSON valid.
enum JSONLineEscaping {
    static func escape(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        var copied = 0
        while index < bytes.count {
            let byte = bytes[index]
            var scalar: UInt32?
            var length = 1
            if byte == 0x7F {
                scalar = 0x7F
            } else if byte == 0xC2, index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) {
                scalar = UInt32(bytes[index + 1])
                length = 2
            } else if byte == 0xD8, index + 1 < bytes.count, bytes[index + 1] == 0x9C {
                scalar = 0x061C
                length = 2
            } else if byte == 0xE2 || byte == 0xEF, index + 2 < bytes.count {
                let value = (UInt32(byte & 0x0F) << 12) | (UInt32(bytes[index + 1] & 0x3F) << 6) | UInt32(bytes[index + 2] & 0x3F)
                if isEscaped(value) {
                    scalar = value
                    length = 3
                }
            }
            if let scalar {
                if output.isEmpty { output.reserveCapacity(bytes.count + 16) }
                output.append(contentsOf: bytes[copied..<index])
                output.append(contentsOf: Array("\\u".utf8))
                let digits = Array("0123456789abcdef".utf8)
                for shift in stride(from: 12, through: 0, by: -4) { output.append(digits[Int((scalar >> UInt32(shift)) & 0xF)]) }
                index += length
                copied = index
            } else {
                index += 1
            }
        }
        guard copied > 0 else { return bytes }
        output.append(contentsOf: bytes[copied...])
        return output
    }

    /// The three-byte characters written escaped.
    static func isEscaped(_ value: UInt32) -> Bool {
        switch value {
        case 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF: true
        default: false
        }
    }
}
