import Fluent
import Foundation
@testable import LivingTogetherApp
import LivingTogetherCore
import Testing
import Vapor
import VaporTesting

extension AppTests.AuthorizationWalk {
    /// The published library is open data: every page, download and API read is for everyone.
    static let knowledgeRules: [Rule] = [
        Rule(method: .GET, pattern: "/knowledge", allowed: everyone) { app, _ in
            try await app.loadLibrary()
            return Probe(path: "/knowledge?q=language")
        },
        Rule(method: .GET, pattern: "/knowledge/:slug", allowed: everyone) { app, _ in
            Probe(path: "/knowledge/\(try await app.firstPracticeSlug())")
        },
        Rule(method: .GET, pattern: "/knowledge/library.json", allowed: everyone) { app, _ in
            try await app.loadLibrary()
            return Probe(path: "/knowledge/library.json")
        },
        Rule(method: .GET, pattern: "/knowledge/library.csv", allowed: everyone) { app, _ in
            try await app.loadLibrary()
            return Probe(path: "/knowledge/library.csv")
        },
        Rule(method: .GET, pattern: "/api/v1/practices", allowed: everyone) { app, _ in
            try await app.loadLibrary()
            return Probe(path: "/api/v1/practices?q=buddy")
        },
        Rule(method: .GET, pattern: "/api/v1/practices/:slug", allowed: everyone) { app, _ in
            Probe(path: "/api/v1/practices/\(try await app.firstPracticeSlug())")
        },
    ]
}

extension Application {
    /// The shipped library, as `serve` stores it.
    func loadLibrary() async throws {
        try await KnowledgeStore.syncShipped(on: db, logger: logger)
        try await knowledge.rebuild(on: db)
    }

    func firstPracticeSlug() async throws -> String {
        try await loadLibrary()
        guard let row = try await PracticeRow.query(on: db).sort(\.$slug).first() else { throw TestSetupError("no practice") }
        return row.slug
    }
}
