import Fluent
import LivingTogetherCore
import SQLKit
import Vapor

/// A record of the knowledge library: its stable address (`slug`), its place in the review, and its content as one
/// validated JSON document (`Practice`).
final class PracticeRow: Model, @unchecked Sendable {
    static let schema = "practices"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "slug") var slug: String
    @Field(key: "kind") var kind: String
    @Field(key: "status") var status: String
    @Field(key: "content") var content: String
    /// The organisation that submitted it; nil for the records the platform ships.
    @OptionalParent(key: "owner_id") var owner: Organisation?
    /// The day its owner or an editor last confirmed it is still true ("2026-03-01"); nil when never.
    @OptionalField(key: "last_verified") var lastVerified: String?
    /// The day its owner was last asked "still running?" by message; nil when never.
    @OptionalField(key: "reminded_on") var remindedOn: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    var practiceStatus: PracticeStatus { PracticeStatus(rawValue: status) ?? .draft }
    func practice() throws -> Practice { try JSONDecoder().decode(Practice.self, from: Data(content.utf8)) }
}

struct CreateKnowledge: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("practices")
            .field("id", .int, .identifier(auto: true))
            .field("slug", .string, .required)
            .field("kind", .string, .required)
            .field("status", .string, .required)
            .field("content", .string, .required)
            .field("owner_id", .int, .references("organisations", "id", onDelete: .setNull))
            .field("last_verified", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "slug")
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "practices_status_idx").on("practices").column("status").run()
        }
    }
    func revert(on db: any Database) async throws { try await db.schema("practices").delete() }
}

/// One step of a record's review: who moved it from which status to which, with the comment; or a comment alone
/// (`from` = `to`), or a "still running" confirmation (`verified`).
final class PracticeReview: Model, @unchecked Sendable {
    static let schema = "practice_reviews"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "practice_id") var practice: PracticeRow
    @OptionalParent(key: "user_id") var user: User?
    @Field(key: "from_status") var fromStatus: String
    @Field(key: "to_status") var toStatus: String
    @Field(key: "comment") var comment: String
    @Timestamp(key: "at", on: .create) var at: Date?
    init() {}
}

struct CreatePracticeReviews: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("practice_reviews")
            .field("id", .int, .identifier(auto: true))
            .field("practice_id", .int, .required, .references("practices", "id", onDelete: .cascade))
            .field("user_id", .int, .references("users", "id", onDelete: .setNull))
            .field("from_status", .string, .required)
            .field("to_status", .string, .required)
            .field("comment", .string, .required)
            .field("at", .datetime)
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema("practice_reviews").delete() }
}

/// A municipality's story of taking a practice over: what it adapted and what came of it.
final class PracticeTransfer: Model, @unchecked Sendable {
    static let schema = "practice_transfers"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "practice_id") var practice: PracticeRow
    @Parent(key: "organisation_id") var organisation: Organisation
    @OptionalParent(key: "user_id") var user: User?
    @Field(key: "adapted") var adapted: String
    @Field(key: "result") var result: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

/// Transfer stories, and the library record a plan action was planned from.
struct CreatePracticeTransfers: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("practice_transfers")
            .field("id", .int, .identifier(auto: true))
            .field("practice_id", .int, .required, .references("practices", "id", onDelete: .cascade))
            .field("organisation_id", .int, .required, .references("organisations", "id", onDelete: .cascade))
            .field("user_id", .int, .references("users", "id", onDelete: .setNull))
            .field("adapted", .string, .required)
            .field("result", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await db.schema("plan_actions").field("practice_slug", .string).update()
    }
    func revert(on db: any Database) async throws {
        try await db.schema("plan_actions").deleteField("practice_slug").update()
        try await db.schema("practice_transfers").delete()
    }
}
