import Fluent
import Vapor

/// Outgoing mail. No mail server is configured yet, so every message is stored in the outbox table
/// (readable by platform administrators at /admin/outbox) and written to the log.
struct Mailer {
    let db: any Database
    let logger: Logger

    func send(to recipient: String, subject: String, body: String) async throws {
        try await OutboxMessage(recipient: recipient, subject: subject, body: body).create(on: db)
        logger.notice("mail queued in the outbox", metadata: ["to": .string(recipient), "subject": .string(subject), "body": .string(body)])
    }
}

extension Request {
    var mailer: Mailer { Mailer(db: db, logger: logger) }
}
