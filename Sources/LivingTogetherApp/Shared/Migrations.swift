import Fluent
import SQLKit
import Vapor

/// All migrations, in order, in numbered and commented groups. Old migrations are never edited: a
/// change is a new migration with a working `revert`.
enum Migrations {
    static func register(on app: Application) {
        // 001 — Directory: countries, organisations, the shared-data counters.
        app.migrations.add(CreateCountries())
        app.migrations.add(SeedCountries())
        app.migrations.add(CreateOrganisations())
        app.migrations.add(CreateAppState())
        // 002 — Accounts: people, memberships, invitations, password resets, outbox, API tokens,
        //        sign-in attempts (for the rate limit) and sessions.
        app.migrations.add(CreateUsers())
        app.migrations.add(CreateMemberships())
        app.migrations.add(CreateInvitations())
        app.migrations.add(CreatePasswordResets())
        app.migrations.add(CreateOutboxMessages())
        app.migrations.add(CreateAPITokens())
        app.migrations.add(CreateSignInAttempts())
        app.migrations.add(CreateSessions())
        // 003 — Benchmarks: framework versions, assessments, their change history, follow-ups of gaps.
        app.migrations.add(CreateBenchmarkFrameworks())
        app.migrations.add(CreateAssessments())
        app.migrations.add(CreateAssessmentChanges())
        app.migrations.add(CreateFollowUps())
        // 004 — Plans: catalogue versions, uptake requests, action plans, indicators, values, updates.
        app.migrations.add(CreatePlans())
        // 005 — Mentoring: programmes, staff, participants, rounds, pairs with stages, logbook, evaluations;
        //        learning networks with members, sessions and attendance.
        app.migrations.add(CreateMentoring())
        // 006 — Directory names: other names per organisation (found by search), and region names by code.
        app.migrations.add(AddAlternateNames())
        app.migrations.add(CreateRegions())
        // 007 — Knowledge: the library of good practices and tools.
        app.migrations.add(CreateKnowledge())
        app.migrations.add(CreatePracticeReviews())
        app.migrations.add(CreatePracticeTransfers())
        // 008 — Knowledge: events with their registrations, agenda feeds and follow-up messages; the day a record's
        //        owner was last asked "still running?".
        app.migrations.add(CreateEvents())
        app.migrations.add(AddPracticeReminders())
        // 009 — Participation: activities, registrations and attendance.
        app.migrations.add(CreateParticipation())
        app.migrations.add(AddParticipationAccess())
    }
}

struct AddAlternateNames: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("organisations").field("alternate_names", .string).update()
    }
    func revert(on db: any Database) async throws { try await db.schema("organisations").deleteField("alternate_names").update() }
}

/// The regions (GeoNames admin1) by country and code, so that pages show "Flanders", not "VLG".
struct CreateRegions: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("regions")
            .field("country", .string, .required)
            .field("code", .string, .required)
            .field("name", .string, .required)
            .unique(on: "country", "code")
            .create()
        guard let sql = db as? any SQLDatabase else { return }
        let rows = try DemoContent.regions()
        for start in stride(from: 0, to: rows.count, by: 300) {
            var insert = sql.insert(into: "regions").columns("country", "code", "name")
            for r in rows[start..<min(rows.count, start + 300)] {
                insert = insert.values(SQLBind(r.country), SQLBind(r.code), SQLBind(r.name))
            }
            try await insert.run()
        }
    }
    func revert(on db: any Database) async throws { try await db.schema("regions").delete() }
}

struct CreateCountries: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("countries")
            .field("code", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .field("languages", .string, .required)
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema("countries").delete() }
}

struct CreateOrganisations: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("organisations")
            .field("id", .int, .identifier(auto: true))
            .field("kind", .string, .required)
            .field("name", .string, .required)
            .field("search_name", .string, .required)
            .field("slug", .string, .required)
            .field("country", .string, .required)
            .field("region", .string)
            .field("population", .int)
            .field("latitude", .double)
            .field("longitude", .double)
            .field("timezone", .string)
            .field("source_key", .string)
            .field("born_abroad_percent", .double)
            .field("languages", .string)
            .field("budget_band", .string)
            .field("website", .string)
            .field("description", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "source_key")
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "organisations_country_idx").on("organisations").column("country").run()
            try await sql.create(index: "organisations_search_idx").on("organisations").column("search_name").run()
        }
    }
    func revert(on db: any Database) async throws { try await db.schema("organisations").delete() }
}

struct CreateAppState: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("app_state")
            .field("key", .string, .identifier(auto: false))
            .field("value", .int, .required)
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema("app_state").delete() }
}

struct CreateUsers: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("users")
            .field("id", .int, .identifier(auto: true))
            .field("email", .string, .required)
            .field("name", .string, .required)
            .field("password_hash", .string, .required)
            .field("is_platform_admin", .bool, .required)
            .field("language", .string)
            .field("created_at", .datetime)
            .unique(on: "email")
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema("users").delete() }
}

struct CreateMemberships: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("memberships")
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("organisation_id", .int, .required, .references("organisations", "id", onDelete: .cascade))
            .field("role", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "user_id", "organisation_id")
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema("memberships").delete() }
}

struct CreateInvitations: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("invitations")
            .field("id", .int, .identifier(auto: true))
            .field("organisation_id", .int, .required, .references("organisations", "id", onDelete: .cascade))
            .field("email", .string, .required)
            .field("role", .string, .required)
            .field("token_hash", .string, .required)
            .field("invited_by_id", .int, .references("users", "id", onDelete: .setNull))
            .field("expires_at", .datetime, .required)
            .field("accepted_at", .datetime)
            .field("revoked_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema("invitations").delete() }
}

struct CreatePasswordResets: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("password_resets")
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema("password_resets").delete() }
}

struct CreateOutboxMessages: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("outbox_messages")
            .field("id", .int, .identifier(auto: true))
            .field("recipient", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("sent_at", .datetime)
            .field("created_at", .datetime)
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema("outbox_messages").delete() }
}

struct CreateAPITokens: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("api_tokens")
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("prefix", .string, .required)
            .field("token_hash", .string, .required)
            .field("last_used_at", .datetime)
            .field("revoked_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema("api_tokens").delete() }
}

struct CreateSignInAttempts: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("sign_in_attempts")
            .field("id", .int, .identifier(auto: true))
            .field("email", .string, .required)
            .field("address", .string, .required)
            .field("succeeded", .bool, .required)
            .field("at", .datetime, .required)
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "sign_in_attempts_email_idx").on("sign_in_attempts").column("email").column("at").run()
            try await sql.create(index: "sign_in_attempts_address_idx").on("sign_in_attempts").column("address").column("at").run()
        }
    }
    func revert(on db: any Database) async throws { try await db.schema("sign_in_attempts").delete() }
}

struct CreateSessions: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("sessions")
            .field("key_hash", .string, .identifier(auto: false))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("expires_at", .datetime, .required)
            .field("created_at", .datetime)
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema("sessions").delete() }
}
