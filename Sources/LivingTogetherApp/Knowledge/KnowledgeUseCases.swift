import Fluent
import LivingTogetherCore
import Vapor

/// Writing to the library: a member's new record, changes, the review's steps and the yearly confirmation. Each
/// write is one transaction that also bumps the library's change counter.
enum KnowledgeUseCases {
    /// What the tags may name, for reading a form.
    static func known(_ req: Request) async throws -> PracticeInput.Known {
        let frameworks = try await req.application.benchmarks.latestVersions(on: req.db).map(\.framework)
        let actions = try await PlanUseCases.catalogueActions(req.actor, language: "en", plans: req.application.plans, on: req.db)
        return .init(themes: Set(frameworks.map(\.id)), keyFactors: Set(frameworks.flatMap { $0.keyFactors.map(\.id) }),
                     actions: Set(actions.map(\.id)), countries: Set(req.application.directoryIndex.countries.map(\.code)))
    }

    /// A free address for a new record, made of its title ("hallo-nederlands", "hallo-nederlands-2").
    static func freeSlug(for title: String, on db: any Database) async throws -> String {
        var base = Slug.make(title).prefix(ContentChecker.maximumIdentifierLength - 4).trimmingCharacters(in: ["-"])
        // The library's own addresses ("new", "review", "library.json") are never a record's.
        if base.isEmpty || !(base.first?.isLetter ?? false) || ["new", "review", "library"].contains(base) { base = "practice-" + base }
        let taken = Set(try await PracticeRow.query(on: db).filter(\.$slug =~ String(base)).field(\.$slug).all().map(\.slug))
        if !taken.contains(String(base)) { return String(base) }
        var n = 2
        while taken.contains("\(base)-\(n)") { n += 1 }
        return "\(base)-\(n)"
    }

    static func create(owner: Int, input: PracticeInput, known: PracticeInput.Known, by user: Int?,
                       on db: any Database) async throws -> Result<PracticeRow, FieldErrors> {
        let slug = try await freeSlug(for: input.fields["title"] ?? "", on: db)
        switch input.read(id: slug, base: nil, known: known) {
        case .failure(let e): return .failure(e)
        case .success(let p):
            let row = PracticeRow()
            row.slug = slug; row.kind = p.kind.rawValue; row.status = PracticeStatus.draft.rawValue
            row.content = try ContentJSON.encode(p); row.$owner.id = owner
            try await db.transaction { tx in
                try await row.create(on: tx)
                try await note(row, from: .draft, to: .draft, comment: "created", user: user, on: tx)
                try await KnowledgeStore.bump(on: tx)
            }
            return .success(row)
        }
    }

    static func update(_ row: PracticeRow, input: PracticeInput, known: PracticeInput.Known,
                       on db: any Database) async throws -> Result<Void, FieldErrors> {
        switch input.read(id: row.slug, base: try row.practice(), known: known) {
        case .failure(let e): return .failure(e)
        case .success(let p):
            row.kind = p.kind.rawValue; row.content = try ContentJSON.encode(p)
            try await db.transaction { tx in
                try await row.save(on: tx)
                try await KnowledgeStore.bump(on: tx)
            }
            return .success(())
        }
    }

    static let maximumCommentLength = 2_000

    /// A step of the review, with its comment (a comment is required to send a record back).
    static func move(_ row: PracticeRow, to: PracticeStatus, comment: String, by user: Int?,
                     on db: any Database) async throws -> Result<Void, FieldErrors> {
        var e = FieldErrors()
        let from = row.practiceStatus
        let text = comment.trimmingWhitespace()
        if text.count > maximumCommentLength { e.add("comment", "error.text.long", [String(maximumCommentLength)]) }
        if from == .inReview && to == .draft && text.isEmpty { e.add("comment", "error.knowledge.commentNeeded") }
        if to == .published {
            // A published record is checked as the shipped ones are, but one language suffices.
            var c = ContentChecker(file: row.slug)
            PracticeLoader.check(try row.practice(), "", into: &c, requireAllLanguages: false)
            if !c.errors.isEmpty { e.add("status", "error.knowledge.incomplete", [c.errors.map(\.description).joined(separator: "; ")]) }
        }
        guard e.isEmpty else { return .failure(e) }
        try await db.transaction { tx in
            row.status = to.rawValue
            if to == .published && row.lastVerified == nil { row.lastVerified = Day.today.description }
            try await row.save(on: tx)
            try await note(row, from: from, to: to, comment: text, user: user, on: tx)
            try await KnowledgeStore.bump(on: tx)
        }
        return .success(())
    }

    static let maximumStoryLength = 5_000

    /// A municipality's transfer story of a published record: what it adapted and the result, both needed.
    static func tellTransfer(_ row: PracticeRow, organisation: Int, adapted: String, result: String, by user: Int?,
                             on db: any Database) async throws -> Result<PracticeTransfer, FieldErrors> {
        var e = FieldErrors()
        let adapted = adapted.trimmingWhitespace(), result = result.trimmingWhitespace()
        if adapted.isEmpty { e.add("adapted", "error.knowledge.required") }
        if result.isEmpty { e.add("result", "error.knowledge.required") }
        for (f, v) in [("adapted", adapted), ("result", result)] where v.count > maximumStoryLength {
            e.add(f, "error.text.long", [String(maximumStoryLength)])
        }
        guard e.isEmpty else { return .failure(e) }
        let story = PracticeTransfer()
        story.$practice.id = try row.requireID(); story.$organisation.id = organisation; story.$user.id = user
        story.adapted = adapted; story.result = result
        try await story.create(on: db)
        return .success(story)
    }

    /// A comment in the record's review, its status unchanged.
    static func comment(_ row: PracticeRow, _ comment: String, by user: Int?, on db: any Database) async throws
        -> Result<Void, FieldErrors> {
        var e = FieldErrors()
        let text = comment.trimmingWhitespace()
        if text.isEmpty { e.add("comment", "error.knowledge.required") }
        if text.count > maximumCommentLength { e.add("comment", "error.text.long", [String(maximumCommentLength)]) }
        guard e.isEmpty else { return .failure(e) }
        try await note(row, from: row.practiceStatus, to: row.practiceStatus, comment: text, user: user, on: db)
        return .success(())
    }

    /// "Still running?" answered: yes confirms the record today; no records its end year and confirms it.
    static func verify(_ row: PracticeRow, stillRunning: Bool, by user: Int?, on db: any Database) async throws {
        var p = try row.practice()
        if !stillRunning {
            p.stillRunning = false
            if p.end == nil { p.end = String(Day.today.year) }
        } else {
            p.stillRunning = true; p.end = nil
        }
        let content = try ContentJSON.encode(p)
        try await db.transaction { tx in
            row.content = content; row.lastVerified = Day.today.description
            try await row.save(on: tx)
            try await note(row, from: row.practiceStatus, to: row.practiceStatus, comment: stillRunning ? "verified:running" : "verified:ended",
                           user: user, on: tx)
            try await KnowledgeStore.bump(on: tx)
        }
    }

    static func note(_ row: PracticeRow, from: PracticeStatus, to: PracticeStatus, comment: String, user: Int?,
                     on db: any Database) async throws {
        let r = PracticeReview()
        r.$practice.id = try row.requireID(); r.$user.id = user; r.fromStatus = from.rawValue; r.toStatus = to.rawValue
        r.comment = comment
        try await r.create(on: db)
    }
}

extension PracticeRow {
    func requireID() throws -> Int {
        guard let id else { throw Abort(.internalServerError, reason: "practice without id") }
        return id
    }
}
