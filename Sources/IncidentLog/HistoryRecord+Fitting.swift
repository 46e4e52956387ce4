extension HistoryRecord {
    /// The longest line a record may take, in bytes: with the syslog header and structured data
    /// it stays under rsyslog's default message size (8 KiB), so no copy of it is ever cut.
    public static let maxLineBytes = 6 * 1024

    /// The record with its free text (reason, names, the server's message, explanations,
    /// retries) shortened until its line fits in `maxBytes`: done before the record is hashed,
    /// so what is stored, hashed and sent is the same. Shortened text ends with `…`.
    func fitted(maxBytes: Int = HistoryRecord.maxLineBytes, size: (HistoryRecord) -> Int) -> HistoryRecord {
        guard size(self) > maxBytes else { return self }
        var limit = 1024
        var fitted = self
        while limit >= 16 {
            fitted = shortened(to: limit)
            if size(fitted) <= maxBytes { return fitted }
            limit /= 2
        }
        return fitted
    }

    private func shortened(to limit: Int) -> HistoryRecord {
        func cut(_ text: String?) -> String? {
            guard let text, text.count > limit else { return text }
            return String(text.prefix(limit - 1)) + "…"
        }
        var copy = self
        copy.reason = cut(reason)
        copy.profile = cut(profile)
        copy.baseURL = cut(baseURL) ?? ""
        copy.target?.login = cut(target?.login)
        copy.target?.name = cut(target?.name)
        copy.target?.authLevel = cut(target?.authLevel)
        copy.actor.localUser = cut(actor.localUser) ?? ""
        copy.actor.host = cut(actor.host) ?? ""
        copy.actor.sshClient = cut(actor.sshClient)
        copy.actor.apiUser?.login = cut(actor.apiUser?.login) ?? ""
        copy.result?.message = cut(result?.message)
        copy.result?.data = cut(result?.data)
        copy.result?.errorCode = cut(result?.errorCode)
        copy.result?.errorKind = cut(result?.errorKind)
        copy.result?.explanation = cut(result?.explanation)
        if let retries = result?.retries {
            let kept = retries.prefix(8).map { cut($0) ?? "" }
            copy.result?.retries = retries.count > 8 ? kept + ["… \(retries.count - 8) more"] : kept
        }
        return copy
    }
}
