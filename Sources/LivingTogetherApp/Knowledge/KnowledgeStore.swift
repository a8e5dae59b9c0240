import Fluent
import LivingTogetherCore
import Synchronization
import Vapor

/// The library's published records and their search index, kept per process. Every change to the library bumps
/// `app_state.knowledge_generation` in its transaction; at most once a second a request compares the counter and
/// rebuilds when another process changed the library (this process's own changes rebuild at once).
final class KnowledgeStore: Sendable {
    struct Snapshot: Sendable {
        var index = KnowledgeSearchIndex(records: [])
        var rows: [Int: (row: PracticeRow, practice: Practice)] = [:]
        var bySlug: [String: Int] = [:]
        /// The shared change counter it was built at (pages that show library links key their caches by it).
        var generation = 0
        /// The countries and languages of the published records, for the search's filters.
        var countries: [String] = []
        var languages: [String] = []

        /// The published records tagged with each key factor and each catalogue action, by title (made once, when
        /// the snapshot is built: report and catalogue pages ask for them on every view).
        var byKeyFactor: [String: [(slug: String, title: LocalizedText)]] = [:]
        var byAction: [String: [(slug: String, title: LocalizedText)]] = [:]

        func tagged(keyFactor: String) -> [(slug: String, title: LocalizedText)] { byKeyFactor[keyFactor] ?? [] }
        func tagged(action: String) -> [(slug: String, title: LocalizedText)] { byAction[action] ?? [] }
    }
    private struct State {
        var snapshot = Snapshot()
        var generation = -1
        var lastCheck = Date.distantPast
        /// The search form's lists per language, with the library generation and the time they were made: the themes
        /// and actions they offer come from frameworks and catalogues, so they are remade every ten seconds.
        var filters: [String: (generation: Int, at: Date, value: KnowledgeViews.Filters)] = [:]
    }

    func cachedFilters(_ language: String, generation: Int) -> KnowledgeViews.Filters? {
        state.withLock { s in
            guard let f = s.filters[language], f.generation == generation, Date().timeIntervalSince(f.at) < 10 else { return nil }
            return f.value
        }
    }

    func storeFilters(_ value: KnowledgeViews.Filters, language: String, generation: Int) {
        state.withLock { $0.filters[language] = (generation, Date(), value) }
    }
    private let state = Mutex(State())
    static let counterKey = "knowledge_generation"

    /// The published library, rebuilt first when it changed.
    func snapshot(on db: any Database) async throws -> Snapshot {
        let now = Date()
        let (check, current, never) = state.withLock { s -> (Bool, Snapshot, Bool) in
            let due = now.timeIntervalSince(s.lastCheck) > 1
            if due { s.lastCheck = now }
            return (due, s.snapshot, s.generation < 0)
        }
        guard check || never else { return current }
        let stored = try await DirectoryIndexCache.counter(Self.counterKey, on: db)
        if !never && stored == state.withLock({ $0.generation }) { return current }
        return try await rebuild(on: db)
    }

    @discardableResult
    func rebuild(on db: any Database) async throws -> Snapshot {
        let generation = try await DirectoryIndexCache.counter(Self.counterKey, on: db)
        let rows = try await PracticeRow.query(on: db).filter(\.$status == PracticeStatus.published.rawValue).sort(\.$id).all()
        var snapshot = Snapshot()
        var records: [(id: Int, practice: Practice)] = []
        for row in rows {
            guard let id = row.id, let p = try? row.practice() else { continue }
            snapshot.rows[id] = (row, p)
            snapshot.bySlug[row.slug] = id
            records.append((id, p))
        }
        snapshot.index = KnowledgeSearchIndex(records: records)
        snapshot.generation = generation
        for (row, p) in snapshot.rows.values.sorted(by: { $0.practice.title("en") < $1.practice.title("en") }) {
            for k in p.keyFactors { snapshot.byKeyFactor[k, default: []].append((row.slug, p.title)) }
            for a in p.catalogueActions { snapshot.byAction[a, default: []].append((row.slug, p.title)) }
        }
        snapshot.countries = Set(records.map(\.practice.country)).sorted()
        snapshot.languages = Set(records.flatMap(\.practice.languages)).sorted()
        let built = snapshot
        state.withLock { s in s.snapshot = built; s.generation = generation; s.lastCheck = Date() }
        return built
    }

    /// Marks the library as changed for every process. Call inside the change's transaction.
    static func bump(on db: any Database) async throws { try await DirectoryIndexCache.bump(counterKey, on: db) }

    /// The records the platform ships, stored as published when the database lacks them (by address).
    static func syncShipped(on db: any Database, logger: Logger) async throws {
        guard let url = ShippedPractices.url() else {
            throw Abort(.internalServerError, reason: "The shipped library practices.v1.json is missing from the bundle")
        }
        let library: PracticeLibrary
        switch PracticeLoader.load(try Data(contentsOf: url), file: url.lastPathComponent) {
        case .failure(let p): throw Abort(.internalServerError, reason: "The shipped library is invalid:\n\(p)")
        case .success(let l): library = l
        }
        let existing = Set(try await PracticeRow.query(on: db).field(\.$slug).all().map(\.slug))
        let missing = library.records.filter { !existing.contains($0.id) }
        guard !missing.isEmpty else { return }
        try await db.transaction { tx in
            for p in missing {
                let row = PracticeRow()
                row.slug = p.id; row.kind = p.kind.rawValue; row.status = PracticeStatus.published.rawValue
                row.content = try ContentJSON.encode(p); row.lastVerified = nil
                try await row.create(on: tx)
            }
            try await bump(on: tx)
        }
        logger.notice("knowledge library loaded", metadata: ["records": .stringConvertible(missing.count)])
    }
}

struct KnowledgeStoreKey: StorageKey { typealias Value = KnowledgeStore }

extension Application {
    var knowledge: KnowledgeStore {
        if let s = storage[KnowledgeStoreKey.self] { return s }
        let s = KnowledgeStore()
        storage[KnowledgeStoreKey.self] = s
        return s
    }
}
