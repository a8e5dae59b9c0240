import Fluent
import SQLKit
import LivingTogetherCore
import Vapor

/// One version of a benchmark framework, stored whole as the validated JSON it was loaded from.
/// Immutable once stored: assessments point to the exact version they were made with.
final class FrameworkVersion: Model, @unchecked Sendable {
    static let schema = "benchmark_frameworks"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "framework_key") var frameworkKey: String
    @Field(key: "version") var version: Int
    @Field(key: "content") var content: String
    @OptionalParent(key: "uploaded_by_id") var uploadedBy: User?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
    init(key: String, version: Int, content: String, uploadedBy: Int?) {
        frameworkKey = key; self.version = version; self.content = content; $uploadedBy.id = uploadedBy
    }
}

/// A municipality's self-assessment of one theme for one year.
final class Assessment: Model, @unchecked Sendable {
    static let schema = "assessments"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "organisation_id") var organisation: Organisation
    @Parent(key: "framework_id") var framework: FrameworkVersion
    @Field(key: "framework_key") var frameworkKey: String
    @Field(key: "year") var year: Int
    @Field(key: "status") var status: String
    /// Increases with every save; a save based on an older revision is refused.
    @Field(key: "revision") var revision: Int
    @Field(key: "content") var content: String
    /// The mean level, stored at submission for listings and exports.
    @OptionalField(key: "average") var average: Double?
    @Field(key: "published") var published: Bool
    @OptionalParent(key: "created_by_id") var createdBy: User?
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    static let draft = "draft", submitted = "submitted"
    var isSubmitted: Bool { status == Self.submitted }

    func decodedContent() throws -> AssessmentContent {
        try JSONDecoder().decode(AssessmentContent.self, from: Data(content.utf8))
    }
    func encode(_ c: AssessmentContent) throws {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        content = String(decoding: try e.encode(c), as: UTF8.self)
    }
}

/// One saved change of an assessment: who, when, and what changed.
final class AssessmentChange: Model, @unchecked Sendable {
    static let schema = "assessment_changes"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "assessment_id") var assessment: Assessment
    @OptionalParent(key: "user_id") var user: User?
    @Field(key: "revision") var revision: Int
    @Field(key: "action") var action: String
    /// JSON list of {field, before, after}.
    @Field(key: "changes") var changes: String
    @Field(key: "at") var at: Date
    init() {}
}

/// A gap carried forward: to the action plan, or to finding a mentor. Kept here until the plans and
/// mentoring modules exist, which will link them.
final class FollowUp: Model, @unchecked Sendable {
    static let schema = "benchmark_follow_ups"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "organisation_id") var organisation: Organisation
    @Parent(key: "assessment_id") var assessment: Assessment
    @Field(key: "key_factor_id") var keyFactorID: String
    @Field(key: "kind") var kind: String
    @OptionalParent(key: "created_by_id") var createdBy: User?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
    static let kinds = ["action", "mentor"]
}

// 003 — Benchmarks: framework versions, assessments, their history, follow-ups of gaps.
struct CreateBenchmarkFrameworks: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("benchmark_frameworks")
            .field("id", .int, .identifier(auto: true))
            .field("framework_key", .string, .required)
            .field("version", .int, .required)
            .field("content", .string, .required)
            .field("uploaded_by_id", .int, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime)
            .unique(on: "framework_key", "version")
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema("benchmark_frameworks").delete() }
}

struct CreateAssessments: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("assessments")
            .field("id", .int, .identifier(auto: true))
            .field("organisation_id", .int, .required, .references("organisations", "id", onDelete: .cascade))
            .field("framework_id", .int, .required, .references("benchmark_frameworks", "id"))
            .field("framework_key", .string, .required)
            .field("year", .int, .required)
            .field("status", .string, .required)
            .field("revision", .int, .required)
            .field("content", .string, .required)
            .field("average", .double)
            .field("published", .bool, .required)
            .field("created_by_id", .int, .references("users", "id", onDelete: .setNull))
            .field("submitted_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "organisation_id", "framework_key", "year")
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "assessments_theme_status_idx").on("assessments").column("framework_key").column("status").run()
        }
    }
    func revert(on db: any Database) async throws { try await db.schema("assessments").delete() }
}

struct CreateAssessmentChanges: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("assessment_changes")
            .field("id", .int, .identifier(auto: true))
            .field("assessment_id", .int, .required, .references("assessments", "id", onDelete: .cascade))
            .field("user_id", .int, .references("users", "id", onDelete: .setNull))
            .field("revision", .int, .required)
            .field("action", .string, .required)
            .field("changes", .string, .required)
            .field("at", .datetime, .required)
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "assessment_changes_assessment_idx").on("assessment_changes").column("assessment_id").run()
        }
    }
    func revert(on db: any Database) async throws { try await db.schema("assessment_changes").delete() }
}

struct CreateFollowUps: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("benchmark_follow_ups")
            .field("id", .int, .identifier(auto: true))
            .field("organisation_id", .int, .required, .references("organisations", "id", onDelete: .cascade))
            .field("assessment_id", .int, .required, .references("assessments", "id", onDelete: .cascade))
            .field("key_factor_id", .string, .required)
            .field("kind", .string, .required)
            .field("created_by_id", .int, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime)
            .unique(on: "assessment_id", "key_factor_id", "kind")
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema("benchmark_follow_ups").delete() }
}
