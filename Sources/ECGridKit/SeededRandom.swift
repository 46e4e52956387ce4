/// A small deterministic generator (SplitMix64), so a seed always yields the same sandbox (and
/// a fuzz or random-frame test the same cases, which a failure can then replay).
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in 0..<bound.
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }

    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    public mutating func chance(_ probability: Double) -> Bool { Double(next() % 1_000_000) / 1_000_000 < probability }

    /// Lower-case hexadecimal text of `count` digits.
    public mutating func hex(_ count: Int) -> String {
        var text = ""
        while text.count < count {
            let chunk = String(next(), radix: 16)
            text += String(repeating: "0", count: 16 - chunk.count) + chunk
        }
        return String(text.prefix(count))
    }
}
