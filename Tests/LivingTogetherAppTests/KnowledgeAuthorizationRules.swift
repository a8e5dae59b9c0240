import Fluent
import Foundation
@testable import LivingTogetherApp
import LivingTogetherCore
import Testing
import Vapor
import VaporTesting

extension AppTests.AuthorizationWalk {
    /// Who may write a record: editors and administrators of an organisation.
    static let knowledgeAuthors: Set<Persona> = [.editorA, .adminA, .adminB, .coordinator]
    /// Library editors (the coordinator, the platform administrator) and the owner A's editors.
    static let libraryEditorsAndEditorsOfA: Set<Persona> = [.editorA, .adminA, .coordinator, .platformAdmin]

    static func practiceForm(owner: Int) -> [(String, String)] {
        [("owner", String(owner)), ("written_in", "en"), ("kind", "practice"), ("title", "Language walks"),
         ("summary", "Newcomers and neighbours walk and talk."), ("issue", "Few chances to speak Dutch."),
         ("how_it_works", "Volunteers lead a walk each week."), ("organisations", "Mechelen"), ("country", "BE"),
         ("still_running", "yes"), ("start", "2023")]
    }

    /// A record as the API takes it: the form's field names, the tags as lists.
    static func apiPractice(owner: Int) -> [String: any Sendable] {
        ["owner": owner, "written_in": "en", "kind": "practice", "title": "Language walks", "summary": "Newcomers and neighbours walk.",
         "issue": "Few chances to speak Dutch.", "how_it_works": "Volunteers lead a walk each week.", "organisations": "Mechelen",
         "country": "BE", "still_running": "yes", "start": 2023, "size_bands": ["m"]]
    }

    /// The published library is open data: every page, download and API read is for everyone. Writing is for the
    /// editors of an organisation; the review for library editors.
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
        Rule(method: .GET, pattern: "/knowledge/new", allowed: knowledgeAuthors) { _, _ in Probe(path: "/knowledge/new") },
        Rule(method: .POST, pattern: "/knowledge/new", allowed: knowledgeAuthors) { app, p in
            Probe(path: "/knowledge/new", form: practiceForm(owner: app.editorOrganisation(p)))
        },
        Rule(method: .GET, pattern: "/knowledge/review", allowed: signedIn) { _, _ in Probe(path: "/knowledge/review") },
        Rule(method: .GET, pattern: "/knowledge/:slug/edit", allowed: libraryEditorsAndEditorsOfA) { app, _ in
            Probe(path: "/knowledge/\(try await app.makePractice(owner: app.world.orgA, status: .draft).slug)/edit")
        },
        Rule(method: .POST, pattern: "/knowledge/:slug/edit", allowed: libraryEditorsAndEditorsOfA) { app, _ in
            Probe(path: "/knowledge/\(try await app.makePractice(owner: app.world.orgA, status: .draft).slug)/edit",
                  form: practiceForm(owner: app.world.orgA))
        },
        Rule(method: .POST, pattern: "/knowledge/:slug/status", allowed: libraryEditorsAndEditorsOfA) { app, _ in
            Probe(path: "/knowledge/\(try await app.makePractice(owner: app.world.orgA, status: .draft).slug)/status",
                  form: [("to", "in-review"), ("comment", "")])
        },
        Rule(method: .POST, pattern: "/knowledge/:slug/verify", allowed: libraryEditorsAndEditorsOfA) { app, _ in
            Probe(path: "/knowledge/\(try await app.makePractice(owner: app.world.orgA, status: .published).slug)/verify",
                  form: [("still_running", "yes")])
        },
        // A transfer story: editors of a municipality, for their own (the probe names the persona's organisation).
        Rule(method: .POST, pattern: "/knowledge/:slug/transfers", allowed: [.editorA, .adminA, .adminB]) { app, p in
            Probe(path: "/knowledge/\(try await app.makePractice(owner: app.world.orgC, status: .published).slug)/transfers",
                  form: [("organisation", String(app.editorOrganisation(p) == app.world.orgC ? app.world.orgA : app.editorOrganisation(p))),
                         ("adapted", "Walks in two languages."), ("result", "Forty people a month.")])
        },
        Rule(method: .POST, pattern: "/knowledge/:slug/comments", allowed: libraryEditorsAndEditorsOfA) { app, _ in
            Probe(path: "/knowledge/\(try await app.makePractice(owner: app.world.orgA, status: .inReview).slug)/comments",
                  form: [("comment", "Add the figures of 2024, please.")])
        },
        Rule(method: .POST, pattern: "/api/v1/practices", allowed: knowledgeAuthors) { app, p in
            Probe(path: "/api/v1/practices", json: apiPractice(owner: app.editorOrganisation(p)))
        },
        Rule(method: .PUT, pattern: "/api/v1/practices/:slug", allowed: libraryEditorsAndEditorsOfA) { app, _ in
            Probe(path: "/api/v1/practices/\(try await app.makePractice(owner: app.world.orgA, status: .draft).slug)",
                  json: apiPractice(owner: app.world.orgA))
        },
        Rule(method: .POST, pattern: "/api/v1/practices/:slug/status", allowed: libraryEditorsAndEditorsOfA) { app, _ in
            Probe(path: "/api/v1/practices/\(try await app.makePractice(owner: app.world.orgA, status: .draft).slug)/status",
                  json: ["to": "in-review"])
        },
        Rule(method: .POST, pattern: "/api/v1/practices/:slug/comments", allowed: libraryEditorsAndEditorsOfA) { app, _ in
            Probe(path: "/api/v1/practices/\(try await app.makePractice(owner: app.world.orgA, status: .inReview).slug)/comments",
                  json: ["comment": "Which year did it start?"])
        },
        Rule(method: .POST, pattern: "/api/v1/practices/:slug/verify", allowed: libraryEditorsAndEditorsOfA) { app, _ in
            Probe(path: "/api/v1/practices/\(try await app.makePractice(owner: app.world.orgA, status: .published).slug)/verify",
                  json: ["still_running": true])
        },
        Rule(method: .POST, pattern: "/api/v1/practices/:slug/transfers", allowed: [.editorA, .adminA, .adminB]) { app, p in
            Probe(path: "/api/v1/practices/\(try await app.makePractice(owner: app.world.orgC, status: .published).slug)/transfers",
                  json: ["organisation": app.editorOrganisation(p) == app.world.orgC ? app.world.orgA : app.editorOrganisation(p),
                         "adapted": "Walks in two languages.", "result": "Forty people a month."])
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

    /// A record of the organisation at a status, as a member would have written it.
    func makePractice(owner: Int, status: PracticeStatus, title: String = "Language walks") async throws -> PracticeRow {
        let known = PracticeInput.Known(themes: [], keyFactors: [], actions: [], countries: ["BE"])
        var fields = Dictionary(uniqueKeysWithValues: AppTests.AuthorizationWalk.practiceForm(owner: owner))
        fields["title"] = title
        guard case .success(let row) = try await KnowledgeUseCases.create(owner: owner, input: PracticeInput(fields), known: known,
                                                                          by: nil, on: db) else {
            throw TestSetupError("the practice was refused")
        }
        if status != .draft {
            row.status = status.rawValue
            row.lastVerified = status == .published ? Day.today.description : nil
            try await row.save(on: db)
            try await knowledge.rebuild(on: db)
        }
        return row
    }

    func firstPracticeSlug() async throws -> String {
        try await loadLibrary()
        guard let row = try await PracticeRow.query(on: db).sort(\.$slug).first() else { throw TestSetupError("no practice") }
        return row.slug
    }
}
