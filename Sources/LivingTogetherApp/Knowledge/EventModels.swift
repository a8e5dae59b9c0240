import Fluent
import LivingTogetherCore
import SQLKit
import Vapor

/// An event at its stable address (`slug`): its organisation, where it stands, and its programme as one validated
/// JSON document (`Event`).
final class EventRow: Model, @unchecked Sendable {
    static let schema = "events"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "slug") var slug: String
    @Field(key: "status") var status: String
    @Field(key: "content") var content: String
    /// The organisation that runs it; nil for the events the platform ships (run by library editors).
    @OptionalParent(key: "owner_id") var owner: Organisation?
    /// The first day, for the list's order ("2024-04-19").
    @Field(key: "starts_on") var startsOn: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    var eventStatus: EventStatus { EventStatus(rawValue: status) ?? .draft }
    func event() throws -> Event { try JSONDecoder().decode(Event.self, from: Data(content.utf8)) }
}

/// A person's registration for an event (`session` empty) or for one of its sessions: a place, a place on the
/// waiting list (in the order of `requestedAt`), or cancelled. The event's registration carries what the person
/// asked for access (`needs`, JSON of `AccessibilityNeeds`).
final class EventRegistration: Model, @unchecked Sendable {
    static let schema = "event_registrations"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "event_id") var event: EventRow
    @Field(key: "session") var session: String
    @Parent(key: "user_id") var user: User
    @Field(key: "status") var status: String
    @Field(key: "needs") var needs: String
    @Field(key: "requested_at") var requestedAt: Date
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    var seatStatus: EventSeats.Status { EventSeats.Status(rawValue: status) ?? .cancelled }
    var accessibility: AccessibilityNeeds {
        (try? JSONDecoder().decode(AccessibilityNeeds.self, from: Data(needs.utf8))) ?? AccessibilityNeeds()
    }
}

/// The secret address of a person's agenda as a calendar feed (a calendar application subscribes to it).
final class AgendaFeed: Model, @unchecked Sendable {
    static let schema = "agenda_feeds"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "user_id") var user: User
    @Field(key: "token") var token: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

/// A message an organiser sent to everyone who held a place (the follow-up after the event).
final class EventMessage: Model, @unchecked Sendable {
    static let schema = "event_messages"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "event_id") var event: EventRow
    @OptionalParent(key: "user_id") var user: User?
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String
    @Field(key: "recipients") var recipients: Int
    @Timestamp(key: "sent_at", on: .create) var sentAt: Date?
    init() {}
}

struct CreateEvents: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("events")
            .field("id", .int, .identifier(auto: true))
            .field("slug", .string, .required)
            .field("status", .string, .required)
            .field("content", .string, .required)
            .field("owner_id", .int, .references("organisations", "id", onDelete: .setNull))
            .field("starts_on", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "slug")
            .create()
        try await db.schema("event_registrations")
            .field("id", .int, .identifier(auto: true))
            .field("event_id", .int, .required, .references("events", "id", onDelete: .cascade))
            .field("session", .string, .required)
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("status", .string, .required)
            .field("needs", .string, .required)
            .field("requested_at", .datetime, .required)
            .field("updated_at", .datetime)
            .unique(on: "event_id", "session", "user_id")
            .create()
        try await db.schema("agenda_feeds")
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("token", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "user_id")
            .unique(on: "token")
            .create()
        try await db.schema("event_messages")
            .field("id", .int, .identifier(auto: true))
            .field("event_id", .int, .required, .references("events", "id", onDelete: .cascade))
            .field("user_id", .int, .references("users", "id", onDelete: .setNull))
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("recipients", .int, .required)
            .field("sent_at", .datetime)
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "event_registrations_user_idx").on("event_registrations").column("user_id").run()
        }
    }

    func revert(on db: any Database) async throws {
        for table in ["event_messages", "agenda_feeds", "event_registrations", "events"] { try await db.schema(table).delete() }
    }
}
