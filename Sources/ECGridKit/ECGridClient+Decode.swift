import Foundation

extension ECGridClient {
    /// Reads the envelope: the payload and the envelope's message on success, an `ECGridError`
    /// for everything else. A good answer is parsed once; only a bad one is looked at again to
    /// say what is wrong with it.
    static func decode<Value: Decodable & Sendable>(_ response: TransportResponse, label: String) throws -> (Value?, String?) {
        let status = response.status
        let ok = (200..<300).contains(status)
        let body = response.body
        if body.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 10 || $0 == 13 }) {
            throw ok
                ? ECGridError(.emptyBody, httpStatus: status, detail: "empty body")
                : ECGridError(.unexpectedStatus, httpStatus: status, detail: "empty body")
        }
        // Bytes that are not UTF-8 (a name stored in another encoding) become U+FFFD rather
        // than costing the whole page: the record is kept and shown with the damage visible.
        let data = String(validating: body, as: UTF8.self) == nil ? Data(String(decoding: body, as: UTF8.self).utf8) : Data(body)
        if ok, Value.self == [User].self, let page = UserPageParser.parse(Array(data)), let users = page.users as? Value {
            return (users, page.message)
        }
        let decoder = JSONDecoder()
        if ok, let envelope = try? decoder.decode(Envelope<Value>.self, from: data), envelope.success {
            return (envelope.data, envelope.message.flatMap { $0.isEmpty ? nil : $0 })
        }
        guard let bare = try? decoder.decode(BareEnvelope.self, from: data) else {
            let kind: ECGridError.Kind = ok ? .malformedBody : .unexpectedStatus
            let contentType = response.header("Content-Type") ?? "no content type"
            throw ECGridError(kind, httpStatus: status, detail: "body is not an ECGrid envelope (\(contentType), \(body.count) bytes)")
        }
        guard ok, bare.success else {
            throw ECGridError(
                .api, httpStatus: status, errorCode: bare.errorCode.flatMap { $0.isEmpty ? nil : $0 },
                serverMessage: bare.message.flatMap { $0.isEmpty ? nil : $0 },
                detail: ok ? "success false" : "error envelope")
        }
        do {
            let envelope = try decoder.decode(Envelope<Value>.self, from: data)
            return (envelope.data, envelope.message.flatMap { $0.isEmpty ? nil : $0 })
        } catch {
            throw ECGridError(.malformedBody, httpStatus: status, detail: "data is not the expected shape: \(Self.describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        guard let decodingError = error as? DecodingError else { return "unreadable" }
        switch decodingError {
        case .keyNotFound(let key, let context):
            return "missing \(key.stringValue) at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "bad value at \(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        @unknown default:
            return "unreadable"
        }
    }

    /// A short rendering of a payload for the exchange record.
    static func summary(of value: Any?) -> String? {
        switch value {
        case nil: return "null"
        case let flag as Bool: return String(flag)
        case let text as String: return String(text.prefix(120))
        case let user as User: return "user \(user.userId) (\(user.login))"
        case let users as [User]: return "\(users.count) user record(s)"
        case let session as SessionInfo: return "session of user \(session.userId) (\(session.login))"
        case let keys as [APIKeyRecord]: return "\(keys.count) key record(s)"
        case .some(let other): return String(String(describing: type(of: other)).prefix(60))
        }
    }
}

