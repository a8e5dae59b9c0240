import Fluent
import LivingTogetherCore
import SQLKit
import Vapor

/// The yearly "still running?" question as a message: when a published record of an organisation has not been
/// confirmed for twelve months, its organisation's editors and administrators get an e-mail (through the outbox) that
/// links to the record's question. Each record is asked at most once a year; when several processes look at the same
/// time, a conditional update decides which one sends.
enum KnowledgeReminders {
    /// Whether a stale record's owner is due the question today.
    static func isDue(lastVerified: Day?, remindedOn: Day?, today: Day) -> Bool {
        guard PracticeFreshness.isStale(lastVerified: lastVerified, today: today) else { return false }
        guard let remindedOn else { return true }
        if let lastVerified, remindedOn < lastVerified { return true }
        return remindedOn.adding(months: PracticeFreshness.verifyEveryMonths) <= today
    }

    /// Sends the questions due today; returns how many records were asked about.
    @discardableResult
    static func send(on db: any Database, publicURL: String, logger: Logger, today: Day = .today) async throws -> Int {
        let rows = try await PracticeRow.query(on: db).filter(\.$status == PracticeStatus.published.rawValue)
            .filter(\.$owner.$id != nil).all()
        var asked = 0
        for row in rows {
            guard let owner = row.$owner.id, let id = row.id,
                  isDue(lastVerified: row.lastVerified.flatMap { Day($0) }, remindedOn: row.remindedOn.flatMap { Day($0) }, today: today),
                  let p = try? row.practice() else { continue }
            guard try await claim(id: id, was: row.remindedOn, today: today, on: db) else { continue }
            let people = try await Membership.query(on: db).filter(\.$organisation.$id == owner)
                .filter(\.$role ~~ [Role.editor.rawValue, Role.admin.rawValue]).with(\.$user).all()
            for m in people {
                let t = Translator(Language(rawValue: m.user.language ?? "") ?? .en)
                try await Mailer(db: db, logger: logger).send(
                    to: m.user.email, subject: t("mail.stillRunning.subject", p.title(t.language.rawValue)),
                    body: t("mail.stillRunning.body", m.user.name, p.title(t.language.rawValue), publicURL + SiteURL.practice(row.slug).path))
            }
            asked += 1
        }
        if asked > 0 { logger.notice("still-running questions sent", metadata: ["records": .stringConvertible(asked)]) }
        return asked
    }

    /// Marks the record as asked today unless another process did since it was read.
    static func claim(id: Int, was: String?, today: Day, on db: any Database) async throws -> Bool {
        guard let sql = db as? any SQLDatabase else { return true }
        let rows: [SQLRow]
        if let was {
            rows = try await sql.raw("UPDATE practices SET reminded_on = \(bind: today.description) WHERE id = \(bind: id) AND reminded_on = \(bind: was) RETURNING id").all()
        } else {
            rows = try await sql.raw("UPDATE practices SET reminded_on = \(bind: today.description) WHERE id = \(bind: id) AND reminded_on IS NULL RETURNING id").all()
        }
        return !rows.isEmpty
    }
}

/// Asks the question shortly after start and then every six hours while the app serves.
struct KnowledgeReminderSchedule: LifecycleHandler {
    static let interval: Duration = .seconds(6 * 3600)

    func didBootAsync(_ app: Application) async throws {
        let db = app.db, url = app.publicURL, logger = app.logger
        let task = Task {
            try? await Task.sleep(for: .seconds(30))
            while !Task.isCancelled {
                do { try await KnowledgeReminders.send(on: db, publicURL: url, logger: logger) }
                catch { logger.error("still-running questions failed: \(String(reflecting: error))") }
                try? await Task.sleep(for: Self.interval)
            }
        }
        app.storage[KnowledgeReminderTaskKey.self] = task
    }

    func shutdown(_ app: Application) {
        app.storage[KnowledgeReminderTaskKey.self]?.cancel()
    }
}

struct KnowledgeReminderTaskKey: StorageKey { typealias Value = Task<Void, Never> }

/// `livingtogether remind`: sends the "still running?" questions due today (for operators who prefer cron).
struct RemindCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Sends the yearly \"still running?\" questions of the knowledge library that are due today." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        let n = try await KnowledgeReminders.send(on: app.db, publicURL: app.publicURL, logger: app.logger)
        context.console.info("\(n) record(s) asked about.")
    }
}

struct AddPracticeReminders: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("practices").field("reminded_on", .string).update()
    }
    func revert(on db: any Database) async throws { try await db.schema("practices").deleteField("reminded_on").update() }
}
