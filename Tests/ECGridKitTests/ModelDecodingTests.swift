import ECGridKit
import Foundation
import Testing

@Suite("Decoding what ECGrid sends")
struct ModelDecodingTests {
    func decode<T: Decodable>(_ json: String, as type: T.Type = T.self) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    @Test("login and loginName both fill login")
    func loginAliases() throws {
        let a: User = try decode(#"{"userId": 7, "login": "ann"}"#)
        let b: User = try decode(#"{"userId": 7, "loginName": "ann"}"#)
        #expect(a.login == "ann")
        #expect(b.login == "ann")
    }

    @Test("a user and a session name their user the same way: login over loginName, an ID as a string, none without an ID")
    func sameIdentityRule() throws {
        let user: User = try decode(#"{"userId": "7", "loginName": "bob", "login": "ann"}"#)
        let session: SessionInfo = try decode(#"{"userId": "7", "loginName": "bob", "login": "ann"}"#)
        #expect(user.userId == 7 && user.login == "ann")
        #expect(session.userId == 7 && session.login == "ann")
        let nameOnly: SessionInfo = try decode(#"{"userId": 7, "loginName": "bob"}"#)
        #expect(nameOnly.login == "bob")
        let nameless: User = try decode(#"{"userId": 7}"#)
        #expect(nameless.login == "")
        #expect(throws: DecodingError.self) { try decode(#"{"login": "ann"}"#, as: User.self) }
        #expect(throws: DecodingError.self) { try decode(#"{"login": "ann"}"#, as: SessionInfo.self) }
    }

    @Test("unknown fields are ignored and optional fields may be missing")
    func tolerant() throws {
        let user: User = try decode(#"{"userId": 9, "login": "x", "brandNewField": {"a": [1, 2]}, "openSessions": 3}"#)
        #expect(user.userId == 9)
        #expect(user.openSessions == 3)
        #expect(user.email == nil && user.company == nil && user.lastLogin == nil && user.authLevel == nil)
    }

    @Test("unknown AuthLevel and Status values are kept, not errors")
    func unknownEnums() throws {
        let user: User = try decode(#"{"userId": 1, "login": "x", "authLevel": "SuperUser", "status": "Frozen"}"#)
        #expect(user.authLevel?.rawValue == "SuperUser")
        #expect(user.authLevel?.isKnown == false)
        #expect(user.status?.rawValue == "Frozen")
        #expect(user.status?.isKnown == false)
    }

    @Test("numbers sent as strings are accepted")
    func numericStrings() throws {
        let user: User = try decode(#"{"userId": "42", "login": "x", "networkId": "10", "mailboxId": 0}"#)
        #expect(user.userId == 42)
        #expect(user.networkId == 10)
        #expect(user.mailboxId == 0)
    }

    @Test("a record without userId is an error, not a trap")
    func missingID() {
        #expect(throws: DecodingError.self) { let _: User = try decode(#"{"login": "x"}"#) }
    }

    @Test("a bad date in an optional field does not lose the record")
    func badOptionalDate() throws {
        let user: User = try decode(#"{"userId": 1, "login": "x", "created": "yesterday", "lastLogin": 5}"#)
        #expect(user.created == nil)
        #expect(user.lastLogin == nil)
    }

    @Test("encoding uses the API's field names and omits absent fields")
    func encoding() throws {
        let user = User(userId: 5, login: "bo", networkId: 10, authLevel: .networkAdmin, status: .active)
        let json = String(decoding: try JSONEncoder().encode(user), as: UTF8.self)
        #expect(json.contains(#""login":"bo""#))
        #expect(json.contains(#""authLevel":"NetworkAdmin""#))
        #expect(!json.contains("loginName"))
        #expect(!json.contains("email"))
    }

    @Test("AuthLevel order and comparison")
    func authLevels() {
        #expect(AuthLevel.root.isAtLeast(.networkAdmin))
        #expect(AuthLevel.networkAdmin.isAtLeast(.networkAdmin))
        #expect(!AuthLevel.networkUser.isAtLeast(.networkAdmin))
        #expect(!AuthLevel(rawValue: "Mystery").isAtLeast(.general))
        #expect(AuthLevel.parse("networkadmin") == .networkAdmin)
        #expect(UserStatus.parse("ACTIVE") == .active)
    }

    @Test("envelope: errorCode and message may be absent on success")
    func envelope() throws {
        let envelope: Envelope<Bool> = try decode(#"{"success": true, "data": true}"#)
        #expect(envelope.success && envelope.data == true)
        #expect(envelope.errorCode == nil && envelope.message == nil)
    }
}

@Suite("ECGridDate")
struct ECGridDateTests {
    @Test("0 to 7 fractional digits, Z, offsets and no zone", arguments: [
        ("2024-03-15T10:22:00Z", 1_710_498_120.0),
        ("2024-03-15T10:22:00.1Z", 1_710_498_120.1),
        ("2024-03-15T10:22:00.123Z", 1_710_498_120.123),
        ("2024-04-02T08:00:00.1234567Z", 1_712_044_800.1234567),
        ("2024-03-15T12:22:00+02:00", 1_710_498_120.0),
        ("2024-03-15T10:22:00", 1_710_498_120.0),
        ("2024-03-15T05:22:00.5-0500", 1_710_498_120.5),
    ])
    func parses(text: String, seconds: Double) throws {
        let date = try #require(ECGridDate(parsing: text))
        #expect(abs(date.date.timeIntervalSince1970 - seconds) < 0.0001)
        #expect(date.text == text)
    }

    @Test("rejects what is not a date-time", arguments: [
        "", "2024-03-15", "2024-13-01T00:00:00Z", "2024-03-15T10:22:00.Z", "2024-03-15T10:22:00Zjunk", "now",
        "2024-03-15T25:00:00Z",
    ])
    func rejects(text: String) {
        #expect(ECGridDate(parsing: text) == nil)
    }

    @Test("formats as UTC with milliseconds and reads back")
    func roundTrip() throws {
        let date = Date(timeIntervalSince1970: 1_712_044_800.25)
        let formatted = ECGridDate(date)
        #expect(formatted.text == "2024-04-02T08:00:00.250Z")
        #expect(ECGridDate(parsing: formatted.text) == formatted)
        #expect(ECGridDate(Date(timeIntervalSince1970: 0)).text == "1970-01-01T00:00:00.000Z")
    }
}
