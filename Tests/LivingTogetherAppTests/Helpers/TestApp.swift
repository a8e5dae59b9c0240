import Fluent
import Foundation
@testable import LivingTogetherApp
import Logging
import SQLKit
import Testing
import Vapor
import VaporTesting

// Running the web tests:
//   swift test --filter LivingTogetherAppTests                     (in-memory SQLite, one database per test)
//   TEST_DATABASE_URL=postgres://lt:lt@127.0.0.1:5432/lt_test \
//     swift test --filter LivingTogetherAppTests                   (PostgreSQL: the schema `public` of that
//                                                                   database is dropped and re-created per test)
// TEST_LOG_LEVEL=info (or debug, trace) shows the app's logs.

/// The root of every web test. `.serialized` applies to all nested suites, so that a PostgreSQL run
/// (TEST_DATABASE_URL) never has two tests on one database at once. Suites are added with
/// `extension AppTests { @Suite struct … }` in their own files.
@Suite(.serialized) struct AppTests {}

/// Where the web tests store their data: an in-memory SQLite per test (the default), or the
/// PostgreSQL database named by TEST_DATABASE_URL, whose schema is dropped and re-created per test.
enum TestDatabase {
    static var postgresURL: String? {
        guard let url = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"], url.hasPrefix("postgres") else { return nil }
        return url
    }
    static var isPostgres: Bool { postgresURL != nil }
}

/// Logs go to standard error at `TEST_LOG_LEVEL` (default: error), so that a passing run stays quiet.
private let loggingIsSetUp: Bool = {
    let level = ProcessInfo.processInfo.environment["TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = level
        return handler
    }
    return true
}()

/// A configured, migrated application holding the fixture world (`app.world`), shut down afterwards.
///
/// - Parameter settings: changes to the settings read from the environment, applied after `configure`
///   (e.g. `{ $0.publicURL = "https://…" }`); the demo content is always off.
func withTestApp(
    settings adjust: (inout Settings) -> Void = { _ in },
    _ body: (Application) async throws -> Void
) async throws {
    _ = loggingIsSetUp
    // The arguments decide whether `configure` registers the `serve` start-up (migrate, demo content,
    // directory index); the test runner's own arguments must not change that, so they are fixed here
    // to those of a plain `livingtogether` (= serve) start.
    var environment = Environment.testing
    environment.arguments = ["livingtogether"]
    let app = try await Application.make(environment)
    do {
        if let url = TestDatabase.postgresURL {
            setenv("DATABASE_URL", url, 1)
        } else if let url = ProcessInfo.processInfo.environment["DATABASE_URL"], url.hasPrefix("postgres") {
            // A developer's own PostgreSQL must never receive the tests' DROP SCHEMA.
            unsetenv("DATABASE_URL")
        }
        try await configure(app)
        app.settings.demoContent = false
        adjust(&app.settings)
        if TestDatabase.isPostgres {
            guard let sql = app.db as? any SQLDatabase else { throw TestSetupError("PostgreSQL database without SQL") }
            try await sql.raw("DROP SCHEMA IF EXISTS public CASCADE").run()
            try await sql.raw("CREATE SCHEMA public").run()
        }
        try await app.autoMigrate()
        try await BenchmarkStore.syncShipped(on: app.db, logger: app.logger)
        app.storage[FixtureWorldKey.self] = try await FixtureWorld.seed(app)
        try await app.directoryIndex.rebuild(on: app.db)
        try await body(app)
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
}

struct TestSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Application {
    /// Runs a raw SQL statement (test set-up only).
    func sql(_ text: String) async throws {
        guard let sql = db as? any SQLDatabase else { throw TestSetupError("the database does not speak SQL") }
        try await sql.raw(SQLQueryString(text)).run()
    }
}
