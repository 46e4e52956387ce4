import Foundation

extension FaultSettings {
    /// The fields `PUT /sandbox/faults` knows, at the top and in each rule.
    static let knownFields: Set<String> = ["latencyMs", "rateLimitPerSecond", "rules"]
    static let knownRuleFields: Set<String> = [
        "kind", "pathPrefix", "method", "count", "probability", "retryAfter", "delayMs", "status", "bodyBase64",
    ]

    /// Fields of a settings body this sandbox does not know (`rules[0].path`, say), so a typo is
    /// refused with its name instead of being dropped in silence.
    public static func unknownFields(in body: [UInt8]) -> [String] {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else { return [] }
        var unknown = object.keys.filter { !knownFields.contains($0) }.sorted()
        if let rules = object["rules"] as? [Any] {
            for (index, rule) in rules.enumerated() {
                guard let fields = rule as? [String: Any] else { continue }
                unknown += fields.keys.filter { !knownRuleFields.contains($0) }.sorted().map { "rules[\(index)].\($0)" }
            }
        }
        return unknown
    }
}
