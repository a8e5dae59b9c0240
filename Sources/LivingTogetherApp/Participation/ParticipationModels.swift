import Fluent
import LivingTogetherCore
import SQLKit
import Vapor

/// An activity of the participation programme: its organiser and municipality (both of the directory), where it
/// stands, the fields searched often, and the whole activity as one validated JSON document (`Activity`).
final class ActivityRow: Model, @unchecked Sendable {
    static let schema = "activities"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "organiser_id") var organiser: Organisation
    @Parent(key: "municipality_id") var municipality: Organisation
    @Field(key: "category") var category: String
    /// "a1" … "c2", or "" when no level is asked.
    @Field(key: "level") var level: String
    @Field(key: "published") var published: Bool
    @Field(key: "content") var content: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    func activity() throws -> Activity { try JSONDecoder().decode(Activity.self, from: Data(content.utf8)) }
}

/// A person taking part: registered (or waiting) for an activity, with their consent to the programme's use of
/// their hours.
final class ActivityRegistration: Model, @unchecked Sendable {
    static let schema = "activity_registrations"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "activity_id") var activity: ActivityRow
    @Parent(key: "user_id") var user: User
    @Field(key: "status") var status: String
    @Field(key: "requested_at") var requestedAt: Date
    init() {}
    var seatStatus: EventSeats.Status { EventSeats.Status(rawValue: status) ?? .cancelled }
}

/// The organiser's record of one participant on one date: present with minutes, or absent (a no-show).
final class AttendanceRow: Model, @unchecked Sendable {
    static let schema = "activity_attendance"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "activity_id") var activity: ActivityRow
    @Parent(key: "user_id") var user: User
    @Field(key: "day") var day: String
    @Field(key: "minutes") var minutes: Int
    @Field(key: "present") var present: Bool
    @OptionalParent(key: "recorded_by") var recordedBy: User?
    @Timestamp(key: "recorded_at", on: .update) var recordedAt: Date?
    init() {}
}

/// 009 — Participation: activities, registrations and attendance (one row per person and date).
struct CreateParticipation: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("activities")
            .field("id", .int, .identifier(auto: true))
            .field("organiser_id", .int, .required, .references("organisations", "id", onDelete: .cascade))
            .field("municipality_id", .int, .required, .references("organisations", "id", onDelete: .cascade))
            .field("category", .string, .required)
            .field("level", .string, .required)
            .field("published", .bool, .required)
            .field("content", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await db.schema("activity_registrations")
            .field("id", .int, .identifier(auto: true))
            .field("activity_id", .int, .required, .references("activities", "id", onDelete: .cascade))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("status", .string, .required)
            .field("requested_at", .datetime, .required)
            .unique(on: "activity_id", "user_id")
            .create()
        try await db.schema("activity_attendance")
            .field("id", .int, .identifier(auto: true))
            .field("activity_id", .int, .required, .references("activities", "id", onDelete: .cascade))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("day", .string, .required)
            .field("minutes", .int, .required)
            .field("present", .bool, .required)
            .field("recorded_by", .int, .references("users", "id", onDelete: .setNull))
            .field("recorded_at", .datetime)
            .unique(on: "activity_id", "user_id", "day")
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "activities_municipality_idx").on("activities").column("municipality_id").run()
            try await sql.create(index: "activity_attendance_user_idx").on("activity_attendance").column("user_id")
                .run()
        }
    }

    func revert(on db: any Database) async throws {
        for t in ["activity_attendance", "activity_registrations", "activities"] { try await db.schema(t).delete() }
    }
}

/// A counsellor a participant gave access to their progress (and taken back by deleting the row).
final class ParticipationAccess: Model, @unchecked Sendable {
    static let schema = "participation_access"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "participant_id") var participant: User
    @Parent(key: "counsellor_id") var counsellor: User
    @Field(key: "granted_at") var grantedAt: Date
    init() {}
}

/// The consent given when registering: that the organiser records attendance and the hours are kept for the
/// person's proof (nothing is stored for someone who did not agree).
final class ParticipationConsent: Model, @unchecked Sendable {
    static let schema = "participation_consents"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "user_id") var user: User
    @Field(key: "consented_at") var consentedAt: Date
    init() {}
}

/// 009 — Participation: the counsellors a participant gave access to, and each participant's consent.
struct AddParticipationAccess: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("participation_access")
            .field("id", .int, .identifier(auto: true))
            .field("participant_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("counsellor_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("granted_at", .datetime, .required)
            .unique(on: "participant_id", "counsellor_id")
            .create()
        try await db.schema("participation_consents")
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("consented_at", .datetime, .required)
            .unique(on: "user_id")
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "participation_access_counsellor_idx").on("participation_access")
                .column("counsellor_id").run()
        }
    }

    func revert(on db: any Database) async throws {
        for t in ["participation_consents", "participation_access"] { try await db.schema(t).delete() }
    }
}
