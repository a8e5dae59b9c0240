import Fluent
import LivingTogetherCore
import Vapor

/// The assessment's use cases, shared by the pages and the API. Each returns an explicit outcome;
/// nothing is stored unless the whole change is valid.
enum AssessmentUseCases {
    enum StartOutcome { case ok(Assessment), invalid(FieldErrors), exists(Assessment) }

    /// Deletes a draft with its history and follow-ups; a submitted assessment stays (false), as its report may be
    /// read, compared and published. A plan action that answered one of its gaps keeps its place without the link.
    static func deleteDraft(_ a: Assessment, on db: any Database) async throws -> Bool {
        guard !a.isSubmitted else { return false }
        let id = try a.requireID()
        try await db.transaction { tx in
            try await AssessmentChange.query(on: tx).filter(\.$assessment.$id == id).delete()
            try await FollowUp.query(on: tx).filter(\.$assessment.$id == id).delete()
            try await PlanAction.query(on: tx).filter(\.$gapAssessment.$id == id).set(\.$gapAssessment.$id, to: nil)
                .set(\.$gapKeyFactor, to: nil).update()
            try await a.delete(on: tx)
        }
        return true
    }

    static let earliestYear = 2000

    static func start(organisation: Organisation, frameworkKey: String, year: Int?, by user: CurrentUser,
                      req: Request) async throws -> StartOutcome {
        var errors = FieldErrors()
        let orgID = try organisation.requireID()
        let latest = try await req.application.benchmarks.latest(key: frameworkKey, on: req.db)
        if latest == nil { errors.add("framework", "error.framework.unknown", [frameworkKey]) }
        let thisYear = Calendar(identifier: .gregorian).component(.year, from: Date())
        if let year {
            if year < earliestYear || year > thisYear + 1 { errors.add("year", "error.year.range", [String(earliestYear), String(thisYear + 1)]) }
        } else {
            errors.add("year", "error.year.missing")
        }
        if organisation.organisationKind != .municipality { errors.add("organisation", "error.assessment.notMunicipality") }
        guard errors.isEmpty, let latest, let year else { return .invalid(errors) }
        if let existing = try await Assessment.query(on: req.db).filter(\.$organisation.$id == orgID)
            .filter(\.$frameworkKey == frameworkKey).filter(\.$year == year).first() {
            return .exists(existing)
        }
        let a = Assessment()
        a.$organisation.id = orgID
        a.$framework.id = try latest.row.requireID()
        a.frameworkKey = frameworkKey
        a.year = year
        a.status = Assessment.draft
        a.revision = 1
        a.published = false
        a.$createdBy.id = user.id
        try a.encode(AssessmentContent())
        try await req.db.transaction { tx in
            try await a.create(on: tx)
            try await record(a, action: "created", changes: [], by: user.id, on: tx)
        }
        return .ok(a)
    }

    enum SaveOutcome {
        case ok
        case invalid([AssessmentProblem])
        /// Someone saved since this edit began: the current saved content and who saved it.
        case conflict(current: AssessmentContent, revision: Int, by: String?, at: Date?)
        case notDraft
    }

    static func save(_ a: Assessment, content: AssessmentContent, baseRevision: Int, framework: Framework, by user: CurrentUser,
                     on db: any Database) async throws -> SaveOutcome {
        guard !a.isSubmitted else { return .notDraft }
        let problems = content.problems(against: framework)
        guard problems.isEmpty else { return .invalid(problems) }
        let id = try a.requireID()
        return try await db.transaction { tx -> SaveOutcome in
            // Re-read inside the transaction and change only if the revision is still the one the edit began from.
            guard let current = try await Assessment.find(id, on: tx) else { throw Abort(.notFound) }
            guard !current.isSubmitted else { return .notDraft }
            guard current.revision == baseRevision else {
                let last = try await AssessmentChange.query(on: tx).filter(\.$assessment.$id == id).sort(\.$revision, .descending)
                    .with(\.$user).first()
                return .conflict(current: try current.decodedContent(), revision: current.revision, by: last?.user?.name, at: last?.at)
            }
            let old = try current.decodedContent()
            let changes = content.changes(from: old)
            guard !changes.isEmpty else { return .ok }
            try current.encode(content)
            current.revision = baseRevision + 1
            // The conditional update makes a concurrent save in another process fail this one, not overwrite it.
            try await Assessment.query(on: tx).filter(\.$id == id).filter(\.$revision == baseRevision)
                .set(\.$content, to: current.content).set(\.$revision, to: current.revision).set(\.$updatedAt, to: Date()).update()
            let check = try await Assessment.find(id, on: tx)
            guard check?.revision == baseRevision + 1, check?.content == current.content else {
                throw Abort(.conflict, reason: "error.assessment.conflict")
            }
            try await record(current, action: "saved", changes: changes, by: user.id, on: tx)
            try await BenchmarkStore.bump(on: tx)
            a.content = current.content
            a.revision = current.revision
            return .ok
        }
    }

    enum SubmitOutcome { case ok, incomplete([String]), notDraft, conflict }

    static func submit(_ a: Assessment, baseRevision: Int?, framework: Framework, by user: CurrentUser,
                       on db: any Database) async throws -> SubmitOutcome {
        guard !a.isSubmitted else { return .notDraft }
        if let baseRevision, baseRevision != a.revision { return .conflict }
        let content = try a.decodedContent()
        let unrated = content.unrated(in: framework)
        guard unrated.isEmpty else { return .incomplete(unrated) }
        try await db.transaction { tx in
            a.status = Assessment.submitted
            a.submittedAt = Date()
            a.average = Scoring.average(content.ratings.values.compactMap(\.level))
            try await a.save(on: tx)
            try await record(a, action: "submitted", changes: [], by: user.id, on: tx)
            try await BenchmarkStore.bump(on: tx)
        }
        return .ok
    }

    static func setPublished(_ a: Assessment, _ published: Bool, by user: CurrentUser, on db: any Database) async throws {
        try await db.transaction { tx in
            a.published = published
            try await a.save(on: tx)
            try await record(a, action: published ? "published" : "unpublished", changes: [], by: user.id, on: tx)
            try await BenchmarkStore.bump(on: tx)
        }
    }

    static func record(_ a: Assessment, action: String, changes: [FieldChange], by userID: Int?, on db: any Database) async throws {
        let c = AssessmentChange()
        c.$assessment.id = try a.requireID()
        c.$user.id = userID
        c.revision = a.revision
        c.action = action
        c.changes = String(decoding: try JSONEncoder().encode(changes), as: UTF8.self)
        c.at = Date()
        try await c.create(on: db)
    }

    /// The same theme's latest submitted assessment of an earlier year, for the comparison.
    static func previous(of a: Assessment, on db: any Database) async throws -> Assessment? {
        try await Assessment.query(on: db).filter(\.$organisation.$id == a.$organisation.id).filter(\.$frameworkKey == a.frameworkKey)
            .filter(\.$status == Assessment.submitted).filter(\.$year < a.year).sort(\.$year, .descending).first()
    }

    /// All figures of a report. Cached by `BenchmarkStore` until an assessment or the directory changes.
    struct Report: @unchecked Sendable {
        var assessment: Assessment
        var organisation: Organisation
        var framework: Framework
        var content: AssessmentContent
        var previous: Assessment?
        var figures: ReportFigures
        var followUps: [FollowUp]
    }

    /// The report of an assessment id, from the cache when nothing changed since it was made.
    static func report(id: Int, req: Request) async throws -> Report {
        if let cached = try await req.application.benchmarks.cachedReport(id, on: req.db) { return cached }
        guard let a = try await Assessment.find(id, on: req.db) else { throw Abort(.notFound) }
        let r = try await report(a, req: req)
        req.application.benchmarks.storeReport(r, id: id)
        return r
    }

    static func report(_ a: Assessment, req: Request) async throws -> Report {
        let framework = try await req.application.benchmarks.framework(id: a.$framework.id, on: req.db)
        guard let org = try await Organisation.find(a.$organisation.id, on: req.db) else { throw Abort(.notFound) }
        let content = try a.decodedContent()
        let previous = try await previous(of: a, on: req.db)
        let peers = try await req.application.benchmarks.peerIndex(theme: a.frameworkKey, on: req.db)
            .peers(of: try org.requireID(), country: org.country, band: org.population.map { SizeBand.of(population: $0) })
        let figures = Scoring.figures(framework: framework, content: content, previous: try previous?.decodedContent(), peers: peers)
        let followUps = try await FollowUp.query(on: req.db).filter(\.$assessment.$id == a.requireID()).all()
        return Report(assessment: a, organisation: org, framework: framework, content: content, previous: previous, figures: figures,
                      followUps: followUps)
    }
}
