import ECGridKit

/// An SMS the sandbox sent (it only logs it): to whom, to which number, what it said.
package struct SentSMS: Sendable, Equatable {
    package var userId: Int
    package var phone: String
    package var message: String
}

/// `POST /v2/users/send-sms`: a message to the user's cell number, the record's `phone`.
/// Without one the docs say it is not delivered; the sandbox answers 400 `InvalidParameter`.
extension SandboxStore {
    func sendSMS(_ caller: Caller, _ userId: Int, _ message: String) throws(EnvelopeError) -> Bool {
        let target = try managed(caller, userId)
        guard !message.isEmpty else { throw EnvelopeError(400, "InvalidParameter", "message is required.") }
        guard let phone = target.record.phone, !phone.isEmpty else {
            throw EnvelopeError(400, "InvalidParameter", "User \(userId) has no cell number configured; nothing was sent.")
        }
        smsLog.append(SentSMS(userId: userId, phone: phone, message: message))
        return true
    }
}
