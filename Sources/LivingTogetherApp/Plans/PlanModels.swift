import Fluent
import SQLKit
import LivingTogetherCore
import Vapor

/// One version of an action catalogue, stored whole as the validated JSON it was loaded from. The
/// document never changes once stored; only its status moves: draft → published → withdrawn.
final class CatalogueVersion: Model, @unchecked Sendable {
    static let schema = "catalogue_versions"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "catalogue_key") var catalogueKey: String
    @Field(key: "version") var version: Int
    @Field(key: "content") var content: String
    /// The coordinating organisation that publishes it; nil for a shipped catalogue nobody publishes yet.
    @OptionalParent(key: "publisher_id") var publisher: Organisation?
    @Field(key: "status") var status: String
    @OptionalField(key: "published_at") var publishedAt: Date?
    @OptionalField(key: "withdrawn_at") var withdrawnAt: Date?
    @OptionalParent(key: "uploaded_by_id") var uploadedBy: User?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
    init(key: String, version: Int, content: String, publisher: Int?, uploadedBy: Int?) {
        catalogueKey = key; self.version = version; self.content = content; $publisher.id = publisher
        status = CatalogueStatus.draft.rawValue; $uploadedBy.id = uploadedBy
    }
    var catalogueStatus: CatalogueStatus { CatalogueStatus(rawValue: status) ?? .draft }
    var isVisibleToAll: Bool { catalogueStatus != .draft }
}

/// A municipality's request to take up actions of one catalogue version.
final class UptakeRequest: Model, @unchecked Sendable {
    static let schema = "uptake_requests"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "organisation_id") var organisation: Organisation
    @Parent(key: "catalogue_version_id") var catalogue: CatalogueVersion
    @OptionalParent(key: "coordinator_id") var coordinator: Organisation?
    @Field(key: "status") var status: String
    @Field(key: "motivation") var motivation: String
    @OptionalParent(key: "created_by_id") var createdBy: User?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
    var requestStatus: UptakeRequestStatus { UptakeRequestStatus(rawValue: status) ?? .submitted }
}

/// One action asked for in a request, with its intended budget and the coordinator's decision.
final class UptakeRequestItem: Model, @unchecked Sendable {
    static let schema = "uptake_request_items"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "request_id") var request: UptakeRequest
    @Field(key: "action_id") var actionID: String
    @OptionalField(key: "budget") var budget: Double?
    @Field(key: "status") var status: String
    @OptionalField(key: "comment") var comment: String?
    init() {}
    var itemStatus: UptakeItemStatus { UptakeItemStatus(rawValue: status) ?? .pending }
}

/// Every step of a request: submitted, decided per action, revised; who and when.
final class UptakeEvent: Model, @unchecked Sendable {
    static let schema = "uptake_events"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "request_id") var request: UptakeRequest
    @OptionalField(key: "action_id") var actionID: String?
    @Field(key: "kind") var kind: String
    @OptionalField(key: "comment") var comment: String?
    @OptionalParent(key: "user_id") var user: User?
    @OptionalParent(key: "organisation_id") var organisation: Organisation?
    @Field(key: "at") var at: Date
    init() {}
    static let kinds = ["submitted", "approve", "request_changes", "decline", "revised"]
}

/// A municipality's action plan: its publication setting. The actions hang below it.
final class ActionPlan: Model, @unchecked Sendable {
    static let schema = "action_plans"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "organisation_id") var organisation: Organisation
    @Field(key: "published") var published: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
}

/// One action of a plan: taken up from a catalogue, or the municipality's own.
final class PlanAction: Model, @unchecked Sendable {
    static let schema = "plan_actions"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "plan_id") var plan: ActionPlan
    @Parent(key: "organisation_id") var organisation: Organisation
    @OptionalParent(key: "catalogue_version_id") var catalogue: CatalogueVersion?
    @OptionalField(key: "catalogue_action_id") var catalogueActionID: String?
    @OptionalParent(key: "request_item_id") var requestItem: UptakeRequestItem?
    @Field(key: "title") var title: String
    @Field(key: "goals") var goals: String
    @Field(key: "activities") var activities: String
    @Field(key: "owner") var owner: String
    @Field(key: "start_day") var startDay: String
    @Field(key: "end_day") var endDay: String
    @OptionalField(key: "budget") var budget: Double?
    @Field(key: "status") var status: String
    /// When the coordinator's funding stops (the catalogue's period), and how the action goes on after it.
    @OptionalField(key: "funding_end") var fundingEnd: String?
    @Field(key: "continuation") var continuation: String
    /// The benchmark gap it answers: an assessment and one of its key factors.
    @OptionalParent(key: "gap_assessment_id") var gapAssessment: Assessment?
    @OptionalField(key: "gap_key_factor") var gapKeyFactor: String?
    /// The library record it was planned from (its address), when it was.
    @OptionalField(key: "practice_slug") var practiceSlug: String?
    /// The day of the latest progress update or reported value (kept for the coordinator's view).
    @OptionalField(key: "last_activity") var lastActivity: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
    var planStatus: PlanFollowUp.Status { PlanFollowUp.Status(rawValue: status) ?? .planned }
    var start: Day { Day(startDay) ?? Day(1970, 1, 1) }
    var end: Day { Day(endDay) ?? Day(1970, 1, 1) }
}

/// An organisation that works on a plan action with the municipality and reports values for it.
final class PlanActionPartner: Model, @unchecked Sendable {
    static let schema = "plan_action_partners"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "plan_action_id") var action: PlanAction
    @Parent(key: "organisation_id") var organisation: Organisation
    init() {}
}

/// An indicator of a plan action, with its baseline and target.
final class PlanIndicator: Model, @unchecked Sendable {
    static let schema = "plan_indicators"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "plan_action_id") var action: PlanAction
    @OptionalField(key: "catalogue_indicator_id") var catalogueIndicatorID: String?
    @Field(key: "name") var name: String
    @Field(key: "unit") var unit: String
    @Field(key: "scale") var scale: String
    @Field(key: "direction") var direction: String
    @Field(key: "baseline") var baseline: Double
    @OptionalField(key: "target") var target: Double?
    @OptionalField(key: "maximum") var maximum: Double?
    @Field(key: "how_measured") var howMeasured: String
    init() {}
    var indicatorScale: IndicatorScale { IndicatorScale(rawValue: scale) ?? .count }
    var indicatorDirection: Catalogue.Indicator.Direction { .init(rawValue: direction) ?? .increase }
    /// How the organisations' values make the shared figure (a yes/no indicator is not summed).
    var combination: IndicatorCombination { .of(scale: indicatorScale, maximum: maximum) }
    func rule(extraUnitNames: [String] = []) -> IndicatorRule {
        IndicatorRule(scale: indicatorScale, unitNames: [unit] + extraUnitNames, maximum: maximum)
    }
}

/// A value of an indicator reported by one organisation for a day.
final class IndicatorValueRow: Model, @unchecked Sendable {
    static let schema = "indicator_values"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "indicator_id") var indicator: PlanIndicator
    @Parent(key: "reporter_id") var reporter: Organisation
    @Field(key: "day") var day: String
    @Field(key: "value") var value: Double
    @Field(key: "note") var note: String
    @OptionalParent(key: "entered_by_id") var enteredBy: User?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

/// A dated progress update of a plan action.
final class PlanUpdate: Model, @unchecked Sendable {
    static let schema = "plan_updates"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "plan_action_id") var action: PlanAction
    @Field(key: "day") var day: String
    @Field(key: "text") var text: String
    @Field(key: "status") var status: String
    @OptionalParent(key: "user_id") var user: User?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

// 004 — Plans: catalogue versions, uptake requests with their items and history, action plans with their
//        actions, partners, indicators, values and progress updates.
struct CreatePlans: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("catalogue_versions")
            .field("id", .int, .identifier(auto: true))
            .field("catalogue_key", .string, .required)
            .field("version", .int, .required)
            .field("content", .string, .required)
            .field("publisher_id", .int, .references("organisations", "id", onDelete: .setNull))
            .field("status", .string, .required)
            .field("published_at", .datetime)
            .field("withdrawn_at", .datetime)
            .field("uploaded_by_id", .int, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime)
            .unique(on: "catalogue_key", "version")
            .create()
        try await db.schema("uptake_requests")
            .field("id", .int, .identifier(auto: true))
            .field("organisation_id", .int, .required, .references("organisations", "id", onDelete: .cascade))
            .field("catalogue_version_id", .int, .required, .references("catalogue_versions", "id"))
            .field("coordinator_id", .int, .references("organisations", "id", onDelete: .setNull))
            .field("status", .string, .required)
            .field("motivation", .string, .required)
            .field("created_by_id", .int, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await db.schema("uptake_request_items")
            .field("id", .int, .identifier(auto: true))
            .field("request_id", .int, .required, .references("uptake_requests", "id", onDelete: .cascade))
            .field("action_id", .string, .required)
            .field("budget", .double)
            .field("status", .string, .required)
            .field("comment", .string)
            .unique(on: "request_id", "action_id")
            .create()
        try await db.schema("uptake_events")
            .field("id", .int, .identifier(auto: true))
            .field("request_id", .int, .required, .references("uptake_requests", "id", onDelete: .cascade))
            .field("action_id", .string)
            .field("kind", .string, .required)
            .field("comment", .string)
            .field("user_id", .int, .references("users", "id", onDelete: .setNull))
            .field("organisation_id", .int, .references("organisations", "id", onDelete: .setNull))
            .field("at", .datetime, .required)
            .create()
        try await db.schema("action_plans")
            .field("id", .int, .identifier(auto: true))
            .field("organisation_id", .int, .required, .references("organisations", "id", onDelete: .cascade))
            .field("published", .bool, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "organisation_id")
            .create()
        try await db.schema("plan_actions")
            .field("id", .int, .identifier(auto: true))
            .field("plan_id", .int, .required, .references("action_plans", "id", onDelete: .cascade))
            .field("organisation_id", .int, .required, .references("organisations", "id", onDelete: .cascade))
            .field("catalogue_version_id", .int, .references("catalogue_versions", "id"))
            .field("catalogue_action_id", .string)
            .field("request_item_id", .int, .references("uptake_request_items", "id", onDelete: .setNull))
            .field("title", .string, .required)
            .field("goals", .string, .required)
            .field("activities", .string, .required)
            .field("owner", .string, .required)
            .field("start_day", .string, .required)
            .field("end_day", .string, .required)
            .field("budget", .double)
            .field("status", .string, .required)
            .field("funding_end", .string)
            .field("continuation", .string, .required)
            .field("gap_assessment_id", .int, .references("assessments", "id", onDelete: .setNull))
            .field("gap_key_factor", .string)
            .field("last_activity", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await db.schema("plan_action_partners")
            .field("id", .int, .identifier(auto: true))
            .field("plan_action_id", .int, .required, .references("plan_actions", "id", onDelete: .cascade))
            .field("organisation_id", .int, .required, .references("organisations", "id", onDelete: .cascade))
            .unique(on: "plan_action_id", "organisation_id")
            .create()
        try await db.schema("plan_indicators")
            .field("id", .int, .identifier(auto: true))
            .field("plan_action_id", .int, .required, .references("plan_actions", "id", onDelete: .cascade))
            .field("catalogue_indicator_id", .string)
            .field("name", .string, .required)
            .field("unit", .string, .required)
            .field("scale", .string, .required)
            .field("direction", .string, .required)
            .field("baseline", .double, .required)
            .field("target", .double)
            .field("maximum", .double)
            .field("how_measured", .string, .required)
            .create()
        try await db.schema("indicator_values")
            .field("id", .int, .identifier(auto: true))
            .field("indicator_id", .int, .required, .references("plan_indicators", "id", onDelete: .cascade))
            .field("reporter_id", .int, .required, .references("organisations", "id", onDelete: .cascade))
            .field("day", .string, .required)
            .field("value", .double, .required)
            .field("note", .string, .required)
            .field("entered_by_id", .int, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime)
            .create()
        try await db.schema("plan_updates")
            .field("id", .int, .identifier(auto: true))
            .field("plan_action_id", .int, .required, .references("plan_actions", "id", onDelete: .cascade))
            .field("day", .string, .required)
            .field("text", .string, .required)
            .field("status", .string, .required)
            .field("user_id", .int, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime)
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "uptake_requests_org_idx").on("uptake_requests").column("organisation_id").run()
            try await sql.create(index: "uptake_requests_catalogue_idx").on("uptake_requests").column("catalogue_version_id").run()
            try await sql.create(index: "uptake_items_request_idx").on("uptake_request_items").column("request_id").run()
            try await sql.create(index: "uptake_events_request_idx").on("uptake_events").column("request_id").run()
            try await sql.create(index: "plan_actions_org_idx").on("plan_actions").column("organisation_id").run()
            try await sql.create(index: "plan_actions_catalogue_idx").on("plan_actions").column("catalogue_version_id").run()
            try await sql.create(index: "plan_partners_org_idx").on("plan_action_partners").column("organisation_id").run()
            try await sql.create(index: "plan_indicators_action_idx").on("plan_indicators").column("plan_action_id").run()
            try await sql.create(index: "indicator_values_indicator_idx").on("indicator_values").column("indicator_id").column("day").run()
            try await sql.create(index: "plan_updates_action_idx").on("plan_updates").column("plan_action_id").run()
        }
    }
    func revert(on db: any Database) async throws {
        for table in ["plan_updates", "indicator_values", "plan_indicators", "plan_action_partners", "plan_actions", "action_plans",
                      "uptake_events", "uptake_request_items", "uptake_requests", "catalogue_versions"] {
            try await db.schema(table).delete()
        }
    }
}
