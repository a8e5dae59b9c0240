import Fluent
import SQLKit
import LivingTogetherCore
import Vapor

/// A mentoring programme: its rules (the validated JSON it was opened with, stored whole and never changed), the
/// organising organisation, a theme (a benchmark framework, for city-to-city matching) and optionally the
/// catalogue action it serves.
final class MentoringProgramme: Model, @unchecked Sendable {
    static let schema = "mentoring_programmes"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "title") var title: String
    @Field(key: "kind") var kind: String
    @Field(key: "rules_key") var rulesKey: String
    @Field(key: "rules_version") var rulesVersion: Int
    @Field(key: "rules") var rules: String
    @Parent(key: "organiser_id") var organiser: Organisation
    /// The benchmark framework whose key factors city-to-city matching compares ("city-for-all"); nil: several themes.
    @OptionalField(key: "theme") var theme: String?
    @OptionalField(key: "catalogue_action_id") var catalogueActionID: String?
    @Field(key: "description") var summary: String
    @Field(key: "status") var status: String
    @Field(key: "starts_on") var startsOn: String
    @OptionalField(key: "ends_on") var endsOn: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
    var programmeKind: ProgrammeRules.Kind { ProgrammeRules.Kind(rawValue: kind) ?? .personToPerson }
    var isOpen: Bool { status == "open" }
}

/// A person named staff of a programme.
final class MentoringStaff: Model, @unchecked Sendable {
    static let schema = "mentoring_staff"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "programme_id") var programme: MentoringProgramme
    @Parent(key: "user_id") var user: User
    init() {}
}

/// A mentee or mentor of a programme: a municipality (city-to-city) or a person (person-to-person). For a person
/// only what the programme needs is kept: a name to address them by, the facts its rules declare, and what
/// matching compares. Erasure empties all of it and keeps the row, so that the programme's figures stay whole.
final class MentoringParticipant: Model, @unchecked Sendable {
    static let schema = "mentoring_participants"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "programme_id") var programme: MentoringProgramme
    @Field(key: "role") var role: String
    @OptionalParent(key: "organisation_id") var organisation: Organisation?
    @Field(key: "display_name") var displayName: String
    @OptionalField(key: "email") var email: String?
    /// The person's own account, when they have one (a mentor reads their duo's trajectory with it).
    @OptionalParent(key: "user_id") var user: User?
    /// The declared facts, as a JSON object.
    @Field(key: "facts") var facts: String
    @OptionalField(key: "sector") var sector: String?
    @OptionalField(key: "experience_years") var experienceYears: Int?
    /// ISO 639-1 codes, comma-separated.
    @Field(key: "languages") var languages: String
    @OptionalField(key: "place") var place: String?
    @OptionalField(key: "hours_per_week") var hoursPerWeek: Double?
    /// Mentees a mentor takes.
    @Field(key: "capacity") var capacity: Int
    @OptionalField(key: "erased_at") var erasedAt: Date?
    @OptionalParent(key: "created_by_id") var createdBy: User?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
    var participantRole: MentoringRole { MentoringRole(rawValue: role) ?? .mentee }
    var factValues: [String: FactValue] { (try? JSONDecoder().decode([String: FactValue].self, from: Data(facts.utf8))) ?? [:] }
    var languageList: [String] { languages.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty } }
    /// The name pages show: the participant's, or "Erased participant N" once erased.
    func shownName(_ t: Translator) -> String { erasedAt == nil ? displayName : t("participant.erased", String(id ?? 0)) }
}

/// A round: the optimal assignment the platform proposed, as the staff adjust it, until confirmed.
final class RoundRow: Model, @unchecked Sendable {
    static let schema = "mentoring_rounds"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "programme_id") var programme: MentoringProgramme
    /// proposed → confirmed, or discarded.
    @Field(key: "status") var status: String
    @Field(key: "total_cost") var totalCost: Double
    @OptionalParent(key: "created_by_id") var createdBy: User?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "confirmed_at") var confirmedAt: Date?
    init() {}
}

/// One mentee of a round with the mentor proposed by the solver and the one the staff chose (nil: none).
final class MentoringProposal: Model, @unchecked Sendable {
    static let schema = "mentoring_proposals"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "round_id") var round: RoundRow
    @Parent(key: "mentee_id") var mentee: MentoringParticipant
    @OptionalParent(key: "suggested_mentor_id") var suggestedMentor: MentoringParticipant?
    @OptionalParent(key: "mentor_id") var mentor: MentoringParticipant?
    @OptionalField(key: "score") var score: Double?
    init() {}
}

/// A pair and its trajectory: stage, agreement, mentoring action plan, outcome.
final class MentoringPair: Model, @unchecked Sendable {
    static let schema = "mentoring_pairs"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "programme_id") var programme: MentoringProgramme
    @OptionalParent(key: "round_id") var round: RoundRow?
    @Parent(key: "mentee_id") var mentee: MentoringParticipant
    @Parent(key: "mentor_id") var mentor: MentoringParticipant
    /// The pair's theme when the programme has several (a benchmark framework id).
    @OptionalField(key: "theme") var theme: String?
    @Field(key: "stage") var stage: String
    @Field(key: "started_on") var startedOn: String
    @OptionalField(key: "ended_on") var endedOn: String?
    @OptionalField(key: "outcome") var outcome: String?
    @OptionalField(key: "agreement_signed_on") var agreementSignedOn: String?
    @Field(key: "agreement_goals") var agreementGoals: String
    @Field(key: "plan_long_term") var planLongTerm: String
    @Field(key: "plan_pilot") var planPilot: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
    var isEnded: Bool { outcome != nil }
}

/// Every stage change of a trajectory (and its end): who, when, from and to.
final class MentoringStageEvent: Model, @unchecked Sendable {
    static let schema = "mentoring_stage_events"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "pair_id") var pair: MentoringPair
    @OptionalField(key: "from_stage") var fromStage: String?
    @Field(key: "to_stage") var toStage: String
    @Field(key: "comment") var comment: String
    @OptionalParent(key: "user_id") var user: User?
    @Field(key: "at") var at: Date
    init() {}
}

/// A logbook entry: a contact, work visit, meeting, training or event on a day that has passed.
final class MentoringLogEntry: Model, @unchecked Sendable {
    static let schema = "mentoring_logbook"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "pair_id") var pair: MentoringPair
    @Field(key: "day") var day: String
    @Field(key: "kind") var kind: String
    @Field(key: "note") var note: String
    @OptionalParent(key: "user_id") var user: User?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

/// One side's evaluation of a trajectory (1–5 and what they say); a later one replaces it.
final class MentoringEvaluation: Model, @unchecked Sendable {
    static let schema = "mentoring_evaluations"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "pair_id") var pair: MentoringPair
    @Field(key: "side") var side: String
    @Field(key: "rating") var rating: Int
    @Field(key: "text") var text: String
    @OptionalParent(key: "user_id") var user: User?
    @Field(key: "at") var at: Date
    init() {}
}

/// A learning network a mentor hosts, optionally on a catalogue action.
final class LearningNetwork: Model, @unchecked Sendable {
    static let schema = "learning_networks"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "host_id") var host: Organisation
    @Field(key: "title") var title: String
    @Field(key: "description") var summary: String
    @OptionalField(key: "catalogue_action_id") var catalogueActionID: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

final class LearningNetworkMember: Model, @unchecked Sendable {
    static let schema = "learning_network_members"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "network_id") var network: LearningNetwork
    @Parent(key: "organisation_id") var organisation: Organisation
    init() {}
}

/// A session of a learning network: date, a place or an online link, agenda, notes and materials.
final class LearningSession: Model, @unchecked Sendable {
    static let schema = "learning_sessions"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "network_id") var network: LearningNetwork
    @Field(key: "day") var day: String
    @Field(key: "place") var place: String
    @Field(key: "link") var link: String
    @Field(key: "agenda") var agenda: String
    @Field(key: "notes") var notes: String
    @Field(key: "materials") var materials: String
    init() {}
}

final class LearningAttendance: Model, @unchecked Sendable {
    static let schema = "learning_attendance"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "session_id") var session: LearningSession
    @Parent(key: "organisation_id") var organisation: Organisation
    init() {}
}

// 005 — Mentoring: programmes with their staff, participants, rounds and proposals, pairs with their stage
//        history, logbook and evaluations; learning networks with members, sessions and attendance.
struct CreateMentoring: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("mentoring_programmes")
            .field("id", .int, .identifier(auto: true))
            .field("title", .string, .required)
            .field("kind", .string, .required)
            .field("rules_key", .string, .required)
            .field("rules_version", .int, .required)
            .field("rules", .string, .required)
            .field("organiser_id", .int, .required, .references("organisations", "id", onDelete: .cascade))
            .field("theme", .string)
            .field("catalogue_action_id", .string)
            .field("description", .string, .required)
            .field("status", .string, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string)
            .field("created_at", .datetime)
            .create()
        try await db.schema("mentoring_staff")
            .field("id", .int, .identifier(auto: true))
            .field("programme_id", .int, .required, .references("mentoring_programmes", "id", onDelete: .cascade))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .unique(on: "programme_id", "user_id")
            .create()
        try await db.schema("mentoring_participants")
            .field("id", .int, .identifier(auto: true))
            .field("programme_id", .int, .required, .references("mentoring_programmes", "id", onDelete: .cascade))
            .field("role", .string, .required)
            .field("organisation_id", .int, .references("organisations", "id", onDelete: .cascade))
            .field("display_name", .string, .required)
            .field("email", .string)
            .field("user_id", .int, .references("users", "id", onDelete: .setNull))
            .field("facts", .string, .required)
            .field("sector", .string)
            .field("experience_years", .int)
            .field("languages", .string, .required)
            .field("place", .string)
            .field("hours_per_week", .double)
            .field("capacity", .int, .required)
            .field("erased_at", .datetime)
            .field("created_by_id", .int, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime)
            .create()
        try await db.schema("mentoring_rounds")
            .field("id", .int, .identifier(auto: true))
            .field("programme_id", .int, .required, .references("mentoring_programmes", "id", onDelete: .cascade))
            .field("status", .string, .required)
            .field("total_cost", .double, .required)
            .field("created_by_id", .int, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime)
            .field("confirmed_at", .datetime)
            .create()
        try await db.schema("mentoring_proposals")
            .field("id", .int, .identifier(auto: true))
            .field("round_id", .int, .required, .references("mentoring_rounds", "id", onDelete: .cascade))
            .field("mentee_id", .int, .required, .references("mentoring_participants", "id", onDelete: .cascade))
            .field("suggested_mentor_id", .int, .references("mentoring_participants", "id", onDelete: .setNull))
            .field("mentor_id", .int, .references("mentoring_participants", "id", onDelete: .setNull))
            .field("score", .double)
            .unique(on: "round_id", "mentee_id")
            .create()
        try await db.schema("mentoring_pairs")
            .field("id", .int, .identifier(auto: true))
            .field("programme_id", .int, .required, .references("mentoring_programmes", "id", onDelete: .cascade))
            .field("round_id", .int, .references("mentoring_rounds", "id", onDelete: .setNull))
            .field("mentee_id", .int, .required, .references("mentoring_participants", "id", onDelete: .cascade))
            .field("mentor_id", .int, .required, .references("mentoring_participants", "id", onDelete: .cascade))
            .field("theme", .string)
            .field("stage", .string, .required)
            .field("started_on", .string, .required)
            .field("ended_on", .string)
            .field("outcome", .string)
            .field("agreement_signed_on", .string)
            .field("agreement_goals", .string, .required)
            .field("plan_long_term", .string, .required)
            .field("plan_pilot", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await db.schema("mentoring_stage_events")
            .field("id", .int, .identifier(auto: true))
            .field("pair_id", .int, .required, .references("mentoring_pairs", "id", onDelete: .cascade))
            .field("from_stage", .string)
            .field("to_stage", .string, .required)
            .field("comment", .string, .required)
            .field("user_id", .int, .references("users", "id", onDelete: .setNull))
            .field("at", .datetime, .required)
            .create()
        try await db.schema("mentoring_logbook")
            .field("id", .int, .identifier(auto: true))
            .field("pair_id", .int, .required, .references("mentoring_pairs", "id", onDelete: .cascade))
            .field("day", .string, .required)
            .field("kind", .string, .required)
            .field("note", .string, .required)
            .field("user_id", .int, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime)
            .create()
        try await db.schema("mentoring_evaluations")
            .field("id", .int, .identifier(auto: true))
            .field("pair_id", .int, .required, .references("mentoring_pairs", "id", onDelete: .cascade))
            .field("side", .string, .required)
            .field("rating", .int, .required)
            .field("text", .string, .required)
            .field("user_id", .int, .references("users", "id", onDelete: .setNull))
            .field("at", .datetime, .required)
            .unique(on: "pair_id", "side")
            .create()
        try await db.schema("learning_networks")
            .field("id", .int, .identifier(auto: true))
            .field("host_id", .int, .required, .references("organisations", "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("catalogue_action_id", .string)
            .field("created_at", .datetime)
            .create()
        try await db.schema("learning_network_members")
            .field("id", .int, .identifier(auto: true))
            .field("network_id", .int, .required, .references("learning_networks", "id", onDelete: .cascade))
            .field("organisation_id", .int, .required, .references("organisations", "id", onDelete: .cascade))
            .unique(on: "network_id", "organisation_id")
            .create()
        try await db.schema("learning_sessions")
            .field("id", .int, .identifier(auto: true))
            .field("network_id", .int, .required, .references("learning_networks", "id", onDelete: .cascade))
            .field("day", .string, .required)
            .field("place", .string, .required)
            .field("link", .string, .required)
            .field("agenda", .string, .required)
            .field("notes", .string, .required)
            .field("materials", .string, .required)
            .create()
        try await db.schema("learning_attendance")
            .field("id", .int, .identifier(auto: true))
            .field("session_id", .int, .required, .references("learning_sessions", "id", onDelete: .cascade))
            .field("organisation_id", .int, .required, .references("organisations", "id", onDelete: .cascade))
            .unique(on: "session_id", "organisation_id")
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "mentoring_participants_programme_idx").on("mentoring_participants").column("programme_id").run()
            try await sql.create(index: "mentoring_participants_user_idx").on("mentoring_participants").column("user_id").run()
            try await sql.create(index: "mentoring_pairs_programme_idx").on("mentoring_pairs").column("programme_id").run()
            try await sql.create(index: "mentoring_logbook_pair_idx").on("mentoring_logbook").column("pair_id").run()
            try await sql.create(index: "mentoring_stage_events_pair_idx").on("mentoring_stage_events").column("pair_id").run()
            try await sql.create(index: "learning_sessions_network_idx").on("learning_sessions").column("network_id").run()
        }
    }
    func revert(on db: any Database) async throws {
        for table in ["learning_attendance", "learning_sessions", "learning_network_members", "learning_networks", "mentoring_evaluations",
                      "mentoring_logbook", "mentoring_stage_events", "mentoring_pairs", "mentoring_proposals", "mentoring_rounds",
                      "mentoring_participants", "mentoring_staff", "mentoring_programmes"] {
            try await db.schema(table).delete()
        }
    }
}
