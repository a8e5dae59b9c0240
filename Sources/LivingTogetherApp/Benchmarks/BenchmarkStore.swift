import Fluent
import LivingTogetherCore
import SQLKit
import Synchronization
import Vapor

/// Framework versions (immutable once stored, so cached by id for the life of the process) and the peer
/// index per theme (rebuilt when another submission anywhere bumps `assessments_generation`).
final class BenchmarkStore: Sendable {
    private let frameworks = Mutex<[Int: Framework]>([:])

    private struct PeerState {
        var indexes: [String: PeerIndex] = [:]
        /// Reports of assessments, reused until any assessment or the directory changes.
        var reports: [Int: AssessmentUseCases.Report] = [:]
        /// The rendered main part of reports as visitors see them, per assessment and language.
        var visitorPages: [String: (title: String, main: HTML)] = [:]
        var generation = -1
        var directoryGeneration = -1
        var lastCheck = Date.distantPast
    }
    private let peers = Mutex(PeerState())
    static let counterKey = "assessments_generation"

    // MARK: frameworks

    func framework(id: Int, on db: any Database) async throws -> Framework {
        if let f = frameworks.withLock({ $0[id] }) { return f }
        guard let row = try await FrameworkVersion.find(id, on: db) else { throw Abort(.notFound) }
        let f = try Self.decode(row)
        frameworks.withLock { $0[id] = f }
        return f
    }

    /// Framework rows without their (large) document.
    private static func versions(on db: any Database) -> QueryBuilder<FrameworkVersion> {
        FrameworkVersion.query(on: db).field(\.$id).field(\.$frameworkKey).field(\.$version)
    }

    static func decode(_ row: FrameworkVersion) throws -> Framework {
        switch FrameworkLoader.load(Data(row.content.utf8), file: "\(row.frameworkKey).v\(row.version)") {
        case .success(let f): return f
        case .failure(let p): throw Abort(.internalServerError, reason: "stored framework is invalid: \(p)")
        }
    }

    /// The latest version of each framework, ordered by title.
    /// Only the id, key and version of the rows are read: the document comes from the cache.
    func latestVersions(on db: any Database) async throws -> [(row: FrameworkVersion, framework: Framework)] {
        let rows = try await Self.versions(on: db).sort(\.$frameworkKey).sort(\.$version, .descending).all()
        var seen = Set<String>()
        var out: [(FrameworkVersion, Framework)] = []
        for row in rows where seen.insert(row.frameworkKey).inserted {
            out.append((row, try await framework(id: row.id!, on: db)))
        }
        return out
    }

    func latest(key: String, on db: any Database) async throws -> (row: FrameworkVersion, framework: Framework)? {
        guard let row = try await Self.versions(on: db).filter(\.$frameworkKey == key).sort(\.$version, .descending).first() else { return nil }
        return (row, try await framework(id: row.id!, on: db))
    }

    /// Stores the shipped frameworks that the database does not have yet (by id and version).
    static func syncShipped(on db: any Database, logger: Logger) async throws {
        let shipped: [Framework]
        switch ShippedFrameworks.load() {
        case .success(let f): shipped = f
        case .failure(let p): throw Abort(.internalServerError, reason: "A shipped benchmark framework is invalid:\n\(p)")
        }
        for f in shipped {
            let exists = try await FrameworkVersion.query(on: db).filter(\.$frameworkKey == f.id).filter(\.$version == f.version).count() > 0
            guard !exists else { continue }
            try await FrameworkVersion(key: f.id, version: f.version, content: try encode(f), uploadedBy: nil).create(on: db)
            logger.notice("benchmark framework loaded", metadata: ["framework": .string(f.id), "version": .stringConvertible(f.version)])
        }
    }

    static func encode(_ f: Framework) throws -> String { try ContentJSON.encode(f) }

    // MARK: peers

    /// At most once a second, compares the shared change counters and forgets what another process
    /// (or this one) has changed since: peer indexes and cached reports.
    private func revalidate(on db: any Database) async throws {
        let now = Date()
        let check = peers.withLock { s -> Bool in
            if now.timeIntervalSince(s.lastCheck) > 1 { s.lastCheck = now; return true }
            return false
        }
        guard check else { return }
        let stored = try await DirectoryIndexCache.counter(Self.counterKey, on: db)
        let directory = try await DirectoryIndexCache.generation(on: db)
        peers.withLock { s in
            if stored != s.generation || directory != s.directoryGeneration {
                s.indexes = [:]; s.reports = [:]; s.visitorPages = [:]; s.generation = stored; s.directoryGeneration = directory
            }
        }
    }

    /// Forgets cached figures at once (after a change made by this process).
    func invalidate() {
        peers.withLock { s in s.indexes = [:]; s.reports = [:]; s.visitorPages = [:]; s.lastCheck = .distantPast }
    }

    func cachedReport(_ id: Int, on db: any Database) async throws -> AssessmentUseCases.Report? {
        try await revalidate(on: db)
        return peers.withLock { $0.reports[id] }
    }

    func visitorPage(_ key: String) -> (title: String, main: HTML)? { peers.withLock { $0.visitorPages[key] } }

    func storeVisitorPage(_ page: (title: String, main: HTML), key: String) {
        peers.withLock { s in
            if s.visitorPages.count > 10_000 { s.visitorPages.removeAll(keepingCapacity: true) }
            s.visitorPages[key] = page
        }
    }

    func storeReport(_ report: AssessmentUseCases.Report, id: Int) {
        peers.withLock { s in
            if s.reports.count > 10_000 { s.reports.removeAll(keepingCapacity: true) }
            s.reports[id] = report
        }
    }

    /// The peer index of a theme: each municipality's latest submitted assessment, with its country and size band.
    func peerIndex(theme: String, on db: any Database) async throws -> PeerIndex {
        try await revalidate(on: db)
        if let index = peers.withLock({ $0.indexes[theme] }) { return index }
        let index = try await Self.buildPeerIndex(theme: theme, on: db)
        peers.withLock { $0.indexes[theme] = index }
        return index
    }

    static func buildPeerIndex(theme: String, on db: any Database) async throws -> PeerIndex {
        guard let sql = db as? any SQLDatabase else { return PeerIndex([]) }
        struct Row: Decodable { var organisation_id: Int; var year: Int; var content: String; var country: String; var population: Int? }
        let rows = try await sql.select()
            .column(SQLColumn("organisation_id", table: "assessments")).column(SQLColumn("year", table: "assessments"))
            .column(SQLColumn("content", table: "assessments"))
            .column(SQLColumn("country", table: "organisations")).column(SQLColumn("population", table: "organisations"))
            .from("assessments")
            .join("organisations", on: SQLColumn("organisation_id", table: "assessments"), .equal, SQLColumn("id", table: "organisations"))
            .where(SQLColumn("framework_key", table: "assessments"), .equal, SQLBind(theme))
            .where(SQLColumn("status", table: "assessments"), .equal, SQLBind(Assessment.submitted))
            .all(decoding: Row.self)
        var latest: [Int: Row] = [:]
        for r in rows where (latest[r.organisation_id]?.year ?? Int.min) < r.year { latest[r.organisation_id] = r }
        let decoder = JSONDecoder()
        let contributions = latest.values.compactMap { r -> PeerIndex.Contribution? in
            guard let content = try? decoder.decode(AssessmentContent.self, from: Data(r.content.utf8)) else { return nil }
            return PeerIndex.Contribution(organisationID: r.organisation_id, country: r.country,
                                          band: r.population.map { SizeBand.of(population: $0) },
                                          levels: content.ratings.compactMapValues(\.level))
        }
        return PeerIndex(contributions)
    }

    /// Marks assessments as changed for every process (call in the same transaction as a submission).
    static func bump(on db: any Database) async throws {
        try await DirectoryIndexCache.bump(Self.counterKey, on: db)
    }
}

struct BenchmarkStoreKey: StorageKey { typealias Value = BenchmarkStore }

extension Application {
    var benchmarks: BenchmarkStore {
        guard let s = storage[BenchmarkStoreKey.self] else { fatalError("BenchmarkStore is set up in configure") }
        return s
    }
}

/// After any change made through a benchmarks route, this process forgets its cached reports and
/// peer figures at once (other processes notice the shared counter within a second).
struct BenchmarkChangesMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        if request.method != .GET && request.method != .HEAD { request.application.benchmarks.invalidate() }
        return response
    }
}
